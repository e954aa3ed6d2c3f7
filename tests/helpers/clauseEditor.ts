/** A headless editor with the clause commands, for unit tests of clause editing. */
import { createSchemaExtensions } from '@onetext/shared/schema'
import { Editor, type JSONContent } from '@tiptap/core'
import { afterEach, expect } from 'vitest'
import { ClauseCommands } from '../../client/src/editor/ClauseCommands'

const editors: Editor[] = []

/** Destroys the editors a test made (registered for every test file that imports this). */
afterEach(() => {
  for (const editor of editors.splice(0)) editor.destroy()
})

/** A headless editor of `content` with the clause commands, `locked` clauses locked. */
export function editorOf(
  content: JSONContent,
  locked: string[] = [],
  refusals: string[] = [],
): Editor {
  const editor = new Editor({
    element: null,
    extensions: [
      ...createSchemaExtensions(),
      ClauseCommands.configure({
        lockedClauses: () => new Set(locked),
        onLockedEdit: () => refusals.push('refused'),
      }),
    ],
    content,
  })
  editors.push(editor)
  return editor
}

/** Puts the caret `offset` characters after the start of the first text `needle` (or at its end). */
export function caretAt(editor: Editor, needle: string, offset: number | 'end' = 0): void {
  let found: number | null = null
  editor.state.doc.descendants((node, pos) => {
    if (found !== null) return false
    if (node.isTextblock && node.textContent === needle) found = pos + 1
    return true
  })
  if (found === null) throw new Error(`no textblock "${needle}"`)
  const at = (found as number) + (offset === 'end' ? needle.length : offset)
  editor.commands.setTextSelection(at)
}

/** Puts the caret in the `index`-th empty paragraph. */
export function caretInEmpty(editor: Editor, index = 0): void {
  const found: number[] = []
  editor.state.doc.descendants((node, pos) => {
    if (node.type.name === 'paragraph' && node.content.size === 0) found.push(pos + 1)
  })
  editor.commands.setTextSelection(found[index] as number)
}

/** The caret: the type and text of its textblock and its offset there. */
export function caret(editor: Editor): { type: string; text: string; offset: number } {
  const { $from } = editor.state.selection
  return {
    type: $from.parent.type.name,
    text: $from.parent.textContent,
    offset: $from.parentOffset,
  }
}

/** The document's JSON, after checking that it is valid. */
export function json(editor: Editor): JSONContent {
  editor.state.doc.check()
  return editor.getJSON()
}

/** Any clause id (a fresh one). */
export const anyId = expect.any(String) as unknown as string
/** An empty paragraph. */
export const empty: JSONContent = { type: 'paragraph' }

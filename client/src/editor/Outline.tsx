/**
 * The outline of the clause tree: every clause (article, section, sub-section) with its number and
 * heading, indented by depth. Choosing one moves the cursor to the start of its heading and scrolls
 * it into view. One Tab stop: Up and Down (Home, End) move between clauses.
 *
 * Typing in a paragraph changes no clause, so the outline must not re-render then: entries hold
 * only the clause's id, number, depth and heading (a clause's position moves with every keystroke
 * above it and is looked up by id when it is chosen), and are keyed by their place in the list.
 */
import type { Editor } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { useEditorState } from '@tiptap/react'
import { useRovingFocus } from '../components/useRovingFocus'
import {
  clauseIdOfNode,
  clausePosition,
  forEachClauseNode,
  headingTextStart,
} from './clauseSkeleton'

/** One clause as the outline lists it. */
export interface OutlineEntry {
  /** The clause id, or null for a clause not given one yet. */
  id: string | null
  number: string
  /** 1 for an article. */
  depth: number
  /** The heading's words, or "(untitled)". */
  text: string
}

/** The outline of `doc`: its clauses in document order (walking the clause skeleton only). */
export function outlineEntries(doc: ProseMirrorNode): OutlineEntry[] {
  const entries: OutlineEntry[] = []
  forEachClauseNode(doc, ({ node, number, depth }) => {
    entries.push({
      id: clauseIdOfNode(node),
      number,
      depth,
      text: node.firstChild?.textContent || '(untitled)',
    })
    return undefined
  })
  return entries
}

/** The last document read and its outline: transactions that change no content reuse it. */
let lastRead: { doc: ProseMirrorNode; entries: OutlineEntry[] } | null = null

function readOutline(editor: Editor): OutlineEntry[] {
  if (lastRead?.doc === editor.state.doc) return lastRead.entries
  const entries = outlineEntries(editor.state.doc)
  lastRead = { doc: editor.state.doc, entries }
  return entries
}

function sameOutline(a: OutlineEntry[] | null, b: OutlineEntry[] | null): boolean {
  if (a === b) return true
  if (!a || !b || a.length !== b.length) return false
  return a.every((entry, index) => {
    const other = b[index]
    return (
      entry.id === other?.id &&
      entry.number === other.number &&
      entry.depth === other.depth &&
      entry.text === other.text
    )
  })
}

/**
 * Where the text of the heading of `entry` starts in the current document: the clause with its id,
 * or (for a clause without one) the clause at its place; null when it is gone.
 */
function headingStart(editor: Editor, entry: OutlineEntry, index: number): number | null {
  const { doc } = editor.state
  if (entry.id !== null) {
    const pos = clausePosition(doc, entry.id)
    return pos === null ? null : headingTextStart(pos)
  }
  let seen = 0
  let found: number | null = null
  forEachClauseNode(doc, ({ pos }) => {
    if (found !== null) return false
    if (seen++ === index) found = headingTextStart(pos)
    return undefined
  })
  return found
}

/** The outline pane of a live document. */
export function Outline({ editor }: { editor: Editor }) {
  const entries =
    useEditorState({
      editor,
      selector: ({ editor: current }) => readOutline(current),
      equalityFn: sameOutline,
    }) ?? []
  const roving = useRovingFocus(entries.length, 'vertical')
  return (
    <nav className="outline" aria-label="Outline">
      <h2 className="pane-title">Outline</h2>
      {entries.length === 0 && <p className="muted">No clauses yet.</p>}
      <ol onKeyDown={roving.onKeyDown}>
        {entries.map((entry, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an entry is its place in the outline
          <li key={index} className={`outline-level-${entry.depth + 1}`}>
            <button
              type="button"
              className="outline-link"
              ref={roving.itemRef(index)}
              tabIndex={index === roving.stop ? 0 : -1}
              onClick={() => {
                roving.setStop(index)
                const pos = headingStart(editor, entry, index)
                if (pos === null) return
                // Focus now, not on the next frame as Tiptap's focus command does: a key pressed
                // right after choosing (Enter, then typing on) must land at the heading, not be lost.
                editor.view.focus()
                editor.chain().setTextSelection(pos).scrollIntoView().run()
              }}
            >
              {`${entry.number}. ${entry.text}`}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  )
}

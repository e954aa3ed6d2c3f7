/**
 * The outline of articles and sections: every heading of the document, indented by level.
 * Choosing one moves the cursor there and scrolls it into view. One Tab stop: Up and Down (Home,
 * End) move between headings.
 *
 * Typing in a paragraph changes no heading, so the outline must not re-render then: entries hold
 * only level and text (a heading's position moves with every keystroke above it and is looked up
 * when it is chosen), and are keyed by their place in the list.
 */
import { ClauseNumberer } from '@onetext/shared/clauses'
import { SEGMENT_NODE } from '@onetext/shared/segments'
import type { Editor } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { useEditorState } from '@tiptap/react'
import { useRovingFocus } from '../components/useRovingFocus'
import { forEachTopBlock } from './topBlocks'

interface OutlineEntry {
  level: number
  text: string
}

/** A heading as read from the document, before numbering. */
interface RawHeading {
  level: number
  text: string
}

/**
 * The headings of each top-level node already read. A keystroke replaces only the segment it
 * lands in (ProseMirror keeps every unchanged node), so reading the outline again walks that one
 * segment's blocks, not the whole text.
 */
const headingsRead = new WeakMap<ProseMirrorNode, readonly RawHeading[]>()

function headingsIn(child: ProseMirrorNode): readonly RawHeading[] {
  let headings = headingsRead.get(child)
  if (headings) return headings
  const found: RawHeading[] = []
  const read = (node: ProseMirrorNode) => {
    if (node.type.name === 'heading')
      found.push({ level: Number(node.attrs.level), text: node.textContent || '(untitled)' })
  }
  if (child.type.name === SEGMENT_NODE) child.forEach(read)
  else read(child)
  headings = found
  headingsRead.set(child, headings)
  return headings
}

/** The last document read and its outline: transactions that change no content reuse it. */
let lastRead: { doc: unknown; entries: OutlineEntry[] } | null = null

function readOutline(editor: Editor): OutlineEntry[] {
  if (lastRead?.doc === editor.state.doc) return lastRead.entries
  const entries: OutlineEntry[] = []
  const numberer = new ClauseNumberer()
  editor.state.doc.forEach((child) => {
    for (const { level, text } of headingsIn(child)) {
      const number = numberer.next(level)
      entries.push({ level, text: number ? `${number}. ${text}` : text })
    }
  })
  lastRead = { doc: editor.state.doc, entries }
  return entries
}

function sameOutline(a: OutlineEntry[] | null, b: OutlineEntry[] | null): boolean {
  if (a === b) return true
  if (!a || !b || a.length !== b.length) return false
  return a.every((entry, index) => entry.level === b[index]?.level && entry.text === b[index]?.text)
}

/** Position of the `index`-th heading of the current document, or null. */
function headingPosition(editor: Editor, index: number): number | null {
  let seen = 0
  let found: number | null = null
  forEachTopBlock(editor.state.doc, (node, offset) => {
    if (found !== null || node.type.name !== 'heading') return
    if (seen === index) found = offset
    seen++
  })
  return found
}

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
      {entries.length === 0 && <p className="muted">No headings yet.</p>}
      <ol onKeyDown={roving.onKeyDown}>
        {entries.map((entry, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an entry is its place in the outline
          <li key={index} className={`outline-level-${entry.level}`}>
            <button
              type="button"
              className="outline-link"
              ref={roving.itemRef(index)}
              tabIndex={index === roving.stop ? 0 : -1}
              onClick={() => {
                roving.setStop(index)
                const pos = headingPosition(editor, index)
                if (pos === null) return
                // Focus now, not on the next frame as Tiptap's focus command does: a key pressed
                // right after choosing (Enter, then typing on) must land at the heading, not be lost.
                editor.view.focus()
                editor
                  .chain()
                  .setTextSelection(pos + 1)
                  .scrollIntoView()
                  .run()
              }}
            >
              {entry.text}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  )
}

/**
 * The outline of articles and sections: every heading of the document, indented by level.
 * Choosing one moves the cursor there and scrolls it into view.
 */
import { ClauseNumberer } from '@onetext/shared/clauses'
import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'

interface OutlineEntry {
  level: number
  text: string
  pos: number
}

function readOutline(editor: Editor): OutlineEntry[] {
  const entries: OutlineEntry[] = []
  const numberer = new ClauseNumberer()
  editor.state.doc.forEach((node, offset) => {
    if (node.type.name !== 'heading') return
    const level = Number(node.attrs.level)
    const number = numberer.next(level)
    const text = node.textContent || '(untitled)'
    entries.push({ level, text: number ? `${number}. ${text}` : text, pos: offset })
  })
  return entries
}

export function Outline({ editor }: { editor: Editor }) {
  const entries =
    useEditorState({
      editor,
      selector: ({ editor: current }) => readOutline(current),
      equalityFn: (a, b) => JSON.stringify(a) === JSON.stringify(b),
    }) ?? []
  return (
    <nav className="outline" aria-label="Outline">
      <h2 className="pane-title">Outline</h2>
      {entries.length === 0 && <p className="muted">No headings yet.</p>}
      <ol>
        {entries.map((entry) => (
          <li key={`${entry.pos}-${entry.text}`} className={`outline-level-${entry.level}`}>
            <button
              type="button"
              className="outline-link"
              onClick={() => {
                editor
                  .chain()
                  .focus()
                  .setTextSelection(entry.pos + 1)
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

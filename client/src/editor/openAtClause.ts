/**
 * Opening a text at a clause named in the address (`#clause-<id>`, as "Edit freely" in the
 * mediator's review links to it): once the clause is in the editor (a live document fills in after
 * it syncs), the caret goes to the start of its heading, the clause scrolls into view, and the
 * address drops the fragment so that a reload does not jump again.
 */
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import type { Editor } from '@tiptap/core'
import { useEffect } from 'react'

/** The address fragment that opens a text at clause `clauseId`. */
export function clauseFragment(clauseId: string): string {
  return `#clause-${encodeURIComponent(clauseId)}`
}

/** Position before clause `clauseId` in `editor`'s document, or -1. */
function clausePosition(editor: Editor, clauseId: string): number {
  let at = -1
  editor.state.doc.descendants((node, pos) => {
    if (at >= 0) return false
    if (node.type.name === CLAUSE_NODE && node.attrs[CLAUSE_ID_ATTRIBUTE] === clauseId) {
      at = pos
      return false
    }
    return true
  })
  return at
}

/** Moves `editor` to the clause the address names, when `enabled` and once it is there. */
export function useOpenAtClause(editor: Editor | null, enabled: boolean): void {
  useEffect(() => {
    if (!editor || !enabled) return
    const match = /^#clause-(.+)$/.exec(window.location.hash)
    if (!match?.[1]) return
    let clauseId: string
    try {
      clauseId = decodeURIComponent(match[1])
    } catch {
      return
    }
    const open = (): boolean => {
      if (editor.isDestroyed) return true
      const at = clausePosition(editor, clauseId)
      if (at < 0) return false
      editor.commands.focus(at + 2, { scrollIntoView: true })
      const element = editor.view.nodeDOM(at)
      if (element instanceof HTMLElement) element.scrollIntoView({ block: 'start' })
      window.history.replaceState(null, '', window.location.pathname)
      return true
    }
    if (open()) return
    const onTransaction = () => {
      if (open()) editor.off('transaction', onTransaction)
    }
    editor.on('transaction', onTransaction)
    return () => {
      editor.off('transaction', onTransaction)
    }
  }, [editor, enabled])
}

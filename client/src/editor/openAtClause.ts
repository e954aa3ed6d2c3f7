/**
 * Opening a text at a clause named in the address (`#clause-<id>`, as "Edit freely" in the
 * mediator's review links to it): once the clause is in the editor (a live document fills in after
 * it syncs), the caret goes to the start of its heading, the clause scrolls into view, and the
 * address drops the fragment so that a reload does not jump again.
 */
import type { Editor } from '@tiptap/core'
import { useEffect } from 'react'
import { clausePosition, headingTextStart } from './clauseSkeleton'

/** The address fragment that opens a text at clause `clauseId`. */
export function clauseFragment(clauseId: string): string {
  return `#clause-${encodeURIComponent(clauseId)}`
}

/**
 * Puts the caret of `editor` at the start of the heading of clause `clauseId` and scrolls the clause
 * to the top of the view. False when the document holds no such clause (yet).
 */
export function moveToClause(editor: Editor, clauseId: string): boolean {
  const at = clausePosition(editor.state.doc, clauseId)
  if (at === null) return false
  editor.commands.focus(headingTextStart(at), { scrollIntoView: true })
  const element = editor.view.nodeDOM(at)
  if (element instanceof HTMLElement) element.scrollIntoView({ block: 'start' })
  return true
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
      if (!moveToClause(editor, clauseId)) return false
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

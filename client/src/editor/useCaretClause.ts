/**
 * The clause the caret is in, for panels that follow the writer through a text (the mediator's
 * suggestions beside the working draft). Read from the clause skeleton once the selection or the
 * text has been still for a moment, so typing pays nothing for it.
 */
import { CLAUSE_NODE } from '@onetext/shared/clauses'
import type { Editor } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { useEffect, useState } from 'react'
import { clauseIdOfNode, forEachClauseNode } from './clauseSkeleton'

/** The innermost clause holding a position: its id, number ("3.1") and heading words. */
export interface CaretClause {
  readonly id: string
  readonly number: string
  readonly heading: string
}

/** How long the caret and the text stay still before the clause is read again. */
const SETTLE_MS = 120

/** The innermost clause with an id that holds position `pos` of `doc`, or null (outside clauses). */
export function clauseAt(doc: ProseMirrorNode, pos: number): CaretClause | null {
  const $pos = doc.resolve(Math.max(0, Math.min(pos, doc.content.size)))
  let id: string | null = null
  for (let depth = $pos.depth; depth > 0 && id === null; depth--) {
    const node = $pos.node(depth)
    if (node.type.name === CLAUSE_NODE) id = clauseIdOfNode(node)
  }
  if (id === null) return null
  let found: CaretClause | null = null
  forEachClauseNode(doc, ({ node, number }) => {
    if (found !== null) return false
    if (clauseIdOfNode(node) === id)
      found = { id: id as string, number, heading: node.firstChild?.textContent || '(untitled)' }
    return undefined
  })
  return found
}

/** The clause the caret of `editor` is in (null outside clauses, or without an editor). */
export function useCaretClause(editor: Editor | null): CaretClause | null {
  const [clause, setClause] = useState<CaretClause | null>(null)
  useEffect(() => {
    if (!editor) return
    let timer: ReturnType<typeof setTimeout> | null = null
    const read = () => {
      timer = null
      if (editor.isDestroyed) return
      const next = clauseAt(editor.state.doc, editor.state.selection.from)
      setClause((current) =>
        current?.id === next?.id &&
        current?.number === next?.number &&
        current?.heading === next?.heading
          ? current
          : next,
      )
    }
    const schedule = () => {
      if (timer !== null) clearTimeout(timer)
      timer = setTimeout(read, SETTLE_MS)
    }
    read()
    editor.on('transaction', schedule)
    return () => {
      editor.off('transaction', schedule)
      if (timer !== null) clearTimeout(timer)
    }
  }, [editor])
  return clause
}

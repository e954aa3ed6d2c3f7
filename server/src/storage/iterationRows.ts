/**
 * Reading an iteration's stored JSON columns. Iterations are immutable records, so those stored by
 * release 0.1.0 keep their flat document (headings and segments) and clauses without `depth` and
 * `parentId`; they are read here in the clause tree's shape, once, by both stores.
 */
import type { Clause } from '@onetext/shared/clauses'
import { legacyToClauseDoc } from '@onetext/shared/legacyDocument'
import type { JSONContent } from '@tiptap/core'

/** An iteration's `doc_json` as a clause-tree document. */
export function readIterationDoc(json: string): JSONContent {
  return legacyToClauseDoc(JSON.parse(json) as JSONContent)
}

/** An iteration's `clauses` column, each clause with its depth and parent. */
export function readIterationClauses(json: string): Clause[] {
  const clauses = JSON.parse(json) as Array<Partial<Clause> & Omit<Clause, 'depth' | 'parentId'>>
  /** The last clause seen at each depth (index 0 is depth 1). */
  const open: string[] = []
  return clauses.map((clause) => {
    if (typeof clause.depth === 'number' && clause.parentId !== undefined) return clause as Clause
    const depth = Math.max(1, Math.min(open.length + 1, clause.level - 1))
    open.length = depth - 1
    const parentId = open[depth - 2] ?? null
    open[depth - 1] = clause.id
    return { ...clause, depth, parentId }
  })
}

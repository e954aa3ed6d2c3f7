/**
 * What the editor's outline pane lists: the clauses of the document, read from the clause skeleton
 * (never from the body text), each with its id, number, depth and heading.
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { clauseIdOfNode, forEachClauseNode } from './clauseSkeleton'

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

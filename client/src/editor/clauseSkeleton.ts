/**
 * The clause skeleton of an editor document: its clause nodes (children of the document and child
 * clauses of clauses), walked without ever descending into a heading or a body block, so a walk
 * costs the number of clauses, not the size of the text. Numbers come from
 * `@onetext/shared/clauses` ({@link clauseNumber}), as everywhere else.
 */
import {
  CLAUSE_HEADING_NODE,
  CLAUSE_ID_ATTRIBUTE,
  CLAUSE_NODE,
  clauseNumber,
} from '@onetext/shared/clauses'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'

/** One clause node as {@link forEachClauseNode} finds it. */
export interface ClauseAt {
  node: ProseMirrorNode
  /** The position just before the clause node. */
  pos: number
  /** 1 for a top-level clause. */
  depth: number
  /** "3", "3.1", "3.1(a)", ... */
  number: string
  /** The clause id of the clause this one is a child of, or null at the top. */
  parentId: string | null
}

/** The clause id a clause node holds, or null when it has none. */
export function clauseIdOfNode(node: ProseMirrorNode): string | null {
  const id = node.attrs[CLAUSE_ID_ATTRIBUTE]
  return typeof id === 'string' && id !== '' ? id : null
}

/** The position where the text of the heading of the clause at `pos` starts. */
export function headingTextStart(pos: number): number {
  return pos + 2
}

/**
 * Calls `visit` for every clause node of `doc` in document order (a parent before its children).
 * Returning false from `visit` skips that clause's children.
 */
export function forEachClauseNode(
  doc: ProseMirrorNode,
  visit: (clause: ClauseAt) => boolean | undefined,
): void {
  const walk = (
    parent: ProseMirrorNode,
    start: number,
    number: string | null,
    parentId: string | null,
    depth: number,
  ) => {
    let index = 0
    parent.forEach((child, offset) => {
      if (child.type.name !== CLAUSE_NODE) return
      const pos = start + offset
      const own = clauseNumber(number, depth, index++)
      if (visit({ node: child, pos, depth, number: own, parentId }) === false) return
      walk(child, pos + 1, own, clauseIdOfNode(child), depth + 1)
    })
  }
  walk(doc, 0, null, null, 1)
}

/** The position of the clause with id `clauseId` in `doc`, or null when none holds it. */
export function clausePosition(doc: ProseMirrorNode, clauseId: string): number | null {
  let found: number | null = null
  forEachClauseNode(doc, ({ node, pos }) => {
    if (found !== null) return false
    if (clauseIdOfNode(node) === clauseId) found = pos
    return undefined
  })
  return found
}

/** True for a node of the skeleton: a clause or a clause's heading. */
function isSkeletonNode(node: ProseMirrorNode): boolean {
  return node.type.name === CLAUSE_NODE || node.type.name === CLAUSE_HEADING_NODE
}

/**
 * True when a clause or a clause heading of `doc` starts or ends between `from` and `to` (both
 * included): a change of that range may change the clause skeleton. A range inside one paragraph
 * or inside one heading's text touches none.
 */
export function touchesSkeleton(doc: ProseMirrorNode, from: number, to: number): boolean {
  let found = false
  const low = Math.max(0, from - 1)
  const high = Math.min(doc.content.size, to + 1)
  doc.nodesBetween(low, high, (node, pos) => {
    if (found || !isSkeletonNode(node)) return false
    const end = pos + node.nodeSize
    if ((pos >= from && pos <= to) || (end >= from && end <= to)) {
      found = true
      return false
    }
    return node.type.name === CLAUSE_NODE
  })
  return found
}

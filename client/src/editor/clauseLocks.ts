/**
 * Which clauses the clause commands must leave alone: a locked (tentatively agreed) clause and its
 * whole subtree. The editor's lock filter refuses such edits too; the commands check first so that
 * they refuse as a whole instead of being cut off half done.
 */
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import type { Node as ProseMirrorNode, ResolvedPos } from '@tiptap/pm/model'

/** A clause under a lock: its node and the id of the clause it is a child of. */
interface LockedClause {
  node: ProseMirrorNode
  parentId: string | null
}

function clauseId(node: ProseMirrorNode): string | null {
  const id = node.attrs[CLAUSE_ID_ATTRIBUTE]
  return typeof id === 'string' && id !== '' ? id : null
}

/** Every clause of `doc` that is locked or inside a locked clause, by clause id. */
function lockedClauses(
  doc: ProseMirrorNode,
  locked: ReadonlySet<string>,
): Map<string, LockedClause> {
  const found = new Map<string, LockedClause>()
  const walk = (node: ProseMirrorNode, parentId: string | null, underLock: boolean) => {
    node.forEach((child) => {
      if (child.type.name !== CLAUSE_NODE) return
      const id = clauseId(child)
      const isLocked = underLock || (id !== null && locked.has(id))
      if (isLocked && id !== null) found.set(id, { node: child, parentId })
      walk(child, id, isLocked)
    })
  }
  walk(doc, null, false)
  return found
}

/**
 * True when every locked clause of `before` (and every clause inside one) is in `after` unchanged
 * and under the same parent clause.
 */
export function keepsLockedClauses(
  before: ProseMirrorNode,
  after: ProseMirrorNode,
  locked: ReadonlySet<string>,
): boolean {
  if (locked.size === 0) return true
  const was = lockedClauses(before, locked)
  if (was.size === 0) return true
  const now = lockedClauses(after, locked)
  for (const [id, clause] of was) {
    const other = now.get(id)
    if (!other || other.parentId !== clause.parentId) return false
    if (other.node !== clause.node && !other.node.eq(clause.node)) return false
  }
  return true
}

/** True when the clause `clause`, any clause around it or any clause inside it is locked. */
export function touchesLockedClause(
  $clause: ResolvedPos,
  clause: ProseMirrorNode,
  locked: ReadonlySet<string>,
): boolean {
  if (locked.size === 0) return false
  for (let depth = 1; depth <= $clause.depth; depth++) {
    const id = clauseId($clause.node(depth))
    if (id !== null && locked.has(id)) return true
  }
  let inside = false
  const own = clauseId(clause)
  if (own !== null && locked.has(own)) return true
  clause.descendants((node) => {
    if (inside) return false
    if (node.type.name !== CLAUSE_NODE) return false
    const id = clauseId(node)
    if (id !== null && locked.has(id)) inside = true
    return !inside
  })
  return inside
}

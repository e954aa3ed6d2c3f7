/**
 * The rules a document kind adds to the update gate (docs/SECURITY.md): each one looks at what an
 * update did to a copy of the document and may refuse it. Rules see the change after the gate's own
 * checks passed: the update is well-formed, written under the author's own client IDs, builds only
 * on what the document has, and was applied to the copy without error.
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import { RefusalReason, type RefusalReasonValue } from '@onetext/shared/protocol'
import * as Y from 'yjs'

/** Any shared type (Yjs types differ only in their event type, which the gate never reads). */
// biome-ignore lint/suspicious/noExplicitAny: Yjs itself types a parent or changed type as AbstractType<any>
export type SharedType = Y.AbstractType<any>

/** Why an update was refused: the reason sent to its client and words for a person. */
export interface GateRefusal {
  readonly reason: RefusalReasonValue
  readonly text: string
}

/** The refusal of an update that builds on something the document does not have. */
export const BUILDS_ON_REFUSED: GateRefusal = {
  reason: RefusalReason.buildsOnRefused,
  text: 'Your change builds on a change the server does not have (one it refused) and was not saved.',
}

/** One client update applied to the gate's copy of a document. */
export interface GateChange {
  /** Who sent it (the connection's server-stamped identity). */
  readonly author: PresenceUser
  /** The live document, not yet changed. */
  readonly before: Y.Doc
  /** The copy with the update applied. */
  readonly after: Y.Doc
  /** The copy's transaction that applied the update (`changed`, `deleteSet`, `beforeState`). */
  readonly transaction: Y.Transaction
  /** The items the update inserted, in the copy, in clock order per client. */
  readonly inserted: readonly Y.Item[]
}

/** A check one kind of document runs on every client update. */
export interface GateRule {
  /** Returns null to let the update through, or why it is refused. */
  check(change: GateChange): GateRefusal | null
}

/**
 * The items of `doc` in `[from, to)` of `client`, splitting none (the gate's copy is only read).
 * Items already there before `from` are skipped; GC structs are not items.
 */
export function itemsInRange(doc: Y.Doc, client: number, from: number, to: number): Y.Item[] {
  const structs = doc.store.clients.get(client)
  if (!structs || from >= Math.min(to, Y.getState(doc.store, client))) return []
  const items: Y.Item[] = []
  let index = Y.findIndexSS(structs, from)
  for (; index < structs.length; index++) {
    const struct = structs[index] as Y.Item | Y.GC
    if (struct.id.clock >= to) break
    if (struct instanceof Y.Item) items.push(struct)
  }
  return items
}

/** The root type (a direct child of the document) that `type` belongs to. */
export function rootOf(type: SharedType): SharedType {
  let current = type
  while (current._item !== null) {
    const parent = current._item.parent
    if (!(parent instanceof Y.AbstractType)) break
    current = parent
  }
  return current
}

/**
 * The type an item belongs to (its parent), or null when Yjs could not resolve it (the parent was
 * deleted and collected).
 */
export function parentType(item: Y.Item): SharedType | null {
  return item.parent instanceof Y.AbstractType ? item.parent : null
}

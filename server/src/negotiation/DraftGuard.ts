/**
 * Refuses working-draft updates that touch a tentatively agreed clause: a rule of the update gate
 * (server/src/gate/UpdateGate.ts). A locked clause is locked as a subtree: its `clauseId`, its
 * heading, its body and its child clauses. The verdict is decided from what the update touched, in
 * the gate's copy with the update applied, never from the whole draft:
 *
 * - each item the update inserted (text, formats, elements, attribute values) that is still there,
 *   by the chain of shared types it sits in;
 * - each item the update deleted that existed before it (Yjs deletes a type's children with it, so
 *   deleting a clause reaches every clause inside it), by the item itself when it holds a type
 *   (a deleted clause element) and the chain above it.
 *
 * A chain touches a lock when one of its `clause` elements held a locked id before the update or
 * holds one after it: so an update is also refused when it changes or removes a locked clause's id,
 * or gives another clause a locked id. Moving a locked clause (a deletion and an insertion in Yjs)
 * is refused; inserting next to a locked clause, into its parent, is not.
 *
 * Items the update both inserted and deleted (or inserted already deleted) change nothing anyone
 * sees and are not counted. Cost: the touched items times the depth of the tree, with one verdict
 * per shared type remembered within a check (most items of an update share their parents).
 */

import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import { RefusalReason } from '@onetext/shared/protocol'
import * as Y from 'yjs'
import type { GateChange, GateRefusal, GateRule, SharedType } from '../gate/GateRule'
import { parentType } from '../gate/GateRule'

/** What the client is told when its change touched a locked clause. */
export const LOCKED_REFUSAL: GateRefusal = {
  reason: RefusalReason.locked,
  text: 'Your change touched a tentatively agreed clause and was refused.',
}

/** The value a map entry (an attribute) held at the end of `item`, or at clock `end` within it. */
function entryValue(item: Y.Item, end: number): unknown {
  const content = item.content
  if (!(content instanceof Y.ContentAny)) return undefined
  const values = content.getContent()
  return values[Math.min(item.length, end - item.id.clock) - 1]
}

/** One check of one update: the locked ids, the update's transaction, and verdicts found so far. */
class LockCheck {
  /** Per shared type: true when it is a locked clause or inside one. */
  private readonly inside = new Map<SharedType, boolean>()

  constructor(
    private readonly locked: ReadonlySet<string>,
    private readonly transaction: Y.Transaction,
  ) {}

  /** The clock of `client` before the update (items from there on are the update's own). */
  private stateBefore(client: number): number {
    return this.transaction.beforeState.get(client) ?? 0
  }

  private isLockedId(value: unknown): boolean {
    return typeof value === 'string' && this.locked.has(value)
  }

  /**
   * True when `element` is a clause whose id is locked before the update or after it. The entries
   * of one attribute are linked from the oldest (`left`) to the current one; the value before the
   * update is that of the last entry older than the update, unless it was deleted before.
   */
  private isLockedClause(element: Y.XmlElement): boolean {
    if (element.nodeName !== CLAUSE_NODE) return false
    let entry = element._map.get(CLAUSE_ID_ATTRIBUTE) ?? null
    if (entry === null) return false
    if (!entry.deleted && this.isLockedId(entryValue(entry, entry.id.clock + entry.length)))
      return true
    while (entry !== null && entry.id.clock >= this.stateBefore(entry.id.client)) entry = entry.left
    if (entry === null) return false
    if (entry.deleted && !Y.isDeleted(this.transaction.deleteSet, entry.id)) return false
    return this.isLockedId(entryValue(entry, this.stateBefore(entry.id.client)))
  }

  /** True when `type` is a locked clause or sits inside one (its chain of parents up to the root). */
  private insideLocked(type: SharedType | null): boolean {
    const path: SharedType[] = []
    let verdict = false
    for (let current = type; current !== null; ) {
      const known = this.inside.get(current)
      if (known !== undefined) {
        verdict = known
        break
      }
      path.push(current)
      if (current instanceof Y.XmlElement && this.isLockedClause(current)) {
        verdict = true
        break
      }
      current = current._item === null ? null : parentType(current._item)
    }
    for (const seen of path) this.inside.set(seen, verdict)
    return verdict
  }

  /** True when changing `item` (inserting or deleting it) changes a locked clause. */
  touches(item: Y.Item): boolean {
    const content = item.content
    return this.insideLocked(content instanceof Y.ContentType ? content.type : parentType(item))
  }

  /** True when one of the items the update deleted, that existed before it, is in a locked clause. */
  deletedTouch(store: Y.Doc['store']): boolean {
    for (const [client, ranges] of this.transaction.deleteSet.clients) {
      const structs = store.clients.get(client)
      if (!structs) continue
      const before = this.stateBefore(client)
      for (const { clock, len } of ranges) {
        const end = Math.min(clock + len, before)
        if (clock >= end) continue
        for (let index = Y.findIndexSS(structs, clock); index < structs.length; index++) {
          const struct = structs[index] as Y.Item | Y.GC
          if (struct.id.clock >= end) break
          if (struct instanceof Y.Item && this.touches(struct)) return true
        }
      }
    }
    return false
  }
}

/** The gate rule of the working draft; `locked()` gives the locked clause ids at the moment. */
export function lockRule(locked: () => ReadonlySet<string>): GateRule {
  return {
    check(change: GateChange): GateRefusal | null {
      const ids = locked()
      if (ids.size === 0) return null
      const check = new LockCheck(ids, change.transaction)
      for (const item of change.inserted) {
        if (!item.deleted && check.touches(item)) return LOCKED_REFUSAL
      }
      return check.deletedTouch(change.after.store) ? LOCKED_REFUSAL : null
    },
  }
}

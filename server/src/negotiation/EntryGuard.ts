/**
 * Keeps the keyed entries of a document's root maps honest (annotations in layers, caucus notes and
 * the table; rationales in suggestion copies): everyone who may write the document may add and change entries,
 * but only as each root's {@link EntryRules} allow - nobody may speak for somebody else. A rule of
 * the update gate (server/src/gate/UpdateGate.ts): the entries the update touched are read before
 * (from the live document) and after (from the gate's copy with the update applied), and each
 * root's rules judge the difference. Cost in proportion to what the update touched.
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import { RefusalReason } from '@onetext/shared/protocol'
import * as Y from 'yjs'
import type { GateChange, GateRefusal, GateRule, SharedType } from '../gate/GateRule'

/** An entry read into plain values, or null for an entry of the wrong shape. */
export type EntryState = Record<string, unknown> | null

/** What may happen to the entries of one root map. */
export interface EntryRules {
  /** The root map's name. */
  readonly root: string
  /** What the client is told when a change to this root's entries is refused. */
  readonly refusal: string
  /** Reads one entry (a value of the root map) into plain values; null when it has the wrong shape. */
  read(value: unknown): EntryState
  /**
   * True when the touched entries may go from `before` to `after` by `author`'s hand. Keys absent
   * from a map were absent from the root (an entry added or deleted).
   */
  allowed(
    before: ReadonlyMap<string, EntryState>,
    after: ReadonlyMap<string, EntryState>,
    author: PresenceUser,
  ): boolean
}

/**
 * True when every entry gone from `after` was `author`'s own (its `authorId`): only its author may
 * delete an annotation. Entries of the wrong shape may be deleted by anyone.
 */
export function deletedOnlyByAuthor(
  before: ReadonlyMap<string, EntryState>,
  after: ReadonlyMap<string, EntryState>,
  author: PresenceUser,
): boolean {
  for (const [id, state] of before) {
    if (after.has(id) || state === null) continue
    if (state.authorId !== author.id) return false
  }
  return true
}

/** The states of the entries under `keys` in `root` (absent keys are left out). */
function entryStates(
  root: Y.Map<unknown>,
  keys: Iterable<string>,
  rules: EntryRules,
): Map<string, EntryState> {
  const states = new Map<string, EntryState>()
  for (const key of keys) if (root.has(key)) states.set(key, rules.read(root.get(key)))
  return states
}

/**
 * The keys of `root`'s entries the transaction changed: keys set or deleted on the root, and the
 * entries holding any type changed inside them.
 */
export function touchedKeys(transaction: Y.Transaction, root: SharedType): Set<string> {
  const keys = new Set<string>()
  for (const [type, changedKeys] of transaction.changed) {
    if (type === root) {
      for (const key of changedKeys) if (key !== null) keys.add(key)
      continue
    }
    let current: SharedType = type
    while (current._item !== null) {
      const item: Y.Item = current._item
      if (item.parent === root) {
        if (item.parentSub !== null) keys.add(item.parentSub)
        break
      }
      if (!(item.parent instanceof Y.AbstractType)) break
      current = item.parent
    }
  }
  return keys
}

/** The gate rule that checks the entries of each root in `rules` (at least one). */
export function entryRule(rules: readonly EntryRules[]): GateRule {
  if (rules.length === 0) throw new RangeError('an entry rule needs rules for at least one root')
  return {
    check(change: GateChange): GateRefusal | null {
      for (const root of rules) {
        const after = change.after.getMap<unknown>(root.root)
        const keys = touchedKeys(change.transaction, after)
        if (keys.size === 0) continue
        const beforeStates = entryStates(change.before.getMap<unknown>(root.root), keys, root)
        const afterStates = entryStates(after, keys, root)
        if (!root.allowed(beforeStates, afterStates, change.author)) {
          return { reason: RefusalReason.notYours, text: root.refusal }
        }
      }
      return null
    },
  }
}

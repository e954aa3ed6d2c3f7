/**
 * Keeps the keyed entries of a document's root maps honest (annotations in layers, caucus notes and
 * the table; proposals in layers): everyone who may write the document may add and change entries,
 * but only as each root's {@link EntryRules} allow - nobody may speak for somebody else. A client's
 * update is applied to a shadow copy first, the entries it touches are read before (from the
 * document itself, which the shadow equals until then) and after, and each root's rules judge the
 * difference. A refused update leaves the shadow diverged, so it is rebuilt from the real document
 * on the next check.
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import type * as Y from 'yjs'
import type { UpdateValidator } from '../sync/UpdateValidator'
import { ShadowCopy } from './ShadowCopy'

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
 * delete an annotation or a proposal. Entries of the wrong shape may be deleted by anyone.
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

export class EntryGuard implements UpdateValidator {
  private readonly shadow: ShadowCopy
  private lastRefusal: string

  /** `rules`: one per root map whose entries are guarded (at least one). */
  constructor(
    private readonly doc: Y.Doc,
    private readonly rules: readonly EntryRules[],
  ) {
    if (rules.length === 0) throw new RangeError('an entry guard needs rules for at least one root')
    this.shadow = new ShadowCopy(doc)
    this.lastRefusal = rules[0]?.refusal ?? ''
  }

  /** The refusal of the rules that refused the last refused update. */
  get refusal(): string {
    return this.lastRefusal
  }

  /** Only the entries the update touches are compared (typing in a proposal's text touches one). */
  accept(update: Uint8Array, author: PresenceUser): boolean {
    const shadow = this.shadow.current()
    const touched = this.rules.map(() => new Set<string>())
    const observers = this.rules.map((rules, index) => {
      const root = shadow.getMap<unknown>(rules.root)
      const keys = touched[index] as Set<string>
      const observe = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
        for (const event of events) {
          if (event.target === root) for (const key of event.changes.keys.keys()) keys.add(key)
          else if (typeof event.path[0] === 'string') keys.add(event.path[0])
        }
      }
      root.observeDeep(observe)
      return () => root.unobserveDeep(observe)
    })
    try {
      this.shadow.apply(update)
    } finally {
      for (const stop of observers) stop()
    }
    for (const [index, rules] of this.rules.entries()) {
      const keys = touched[index] as Set<string>
      if (keys.size === 0) continue
      const before = entryStates(this.doc.getMap<unknown>(rules.root), keys, rules)
      const after = entryStates(this.shadow.current().getMap<unknown>(rules.root), keys, rules)
      if (!rules.allowed(before, after, author)) {
        this.lastRefusal = rules.refusal
        this.shadow.drop()
        return false
      }
    }
    return true
  }
}

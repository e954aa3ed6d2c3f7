/**
 * The one validation gate every client update passes before it touches a live document
 * (docs/SECURITY.md, "The update gate"). In order, each step refusing with a named reason:
 *
 * 1. structure: the update is read without trusting it, within the named limits
 *    (updateStructure.ts): `malformed`;
 * 2. roots: it writes only to the roots its document kind has: `serverOnly`;
 * 3. ownership: new structs only under client IDs the author introduced to this document or that
 *    nobody has (ClientOwners.ts): `foreignClient`;
 * 4. references: it builds only on what the document has (no gap in a client's clocks, no origin,
 *    parent or deletion the document lacks; Yjs would hold such an update back for ever):
 *    `buildsOnRefused`;
 * 5. nesting: no shared type it creates deeper than the limit (nestingDepth.ts): `schema`;
 * 6. the update is applied to a copy of the document (ShadowCopy.ts); every item it inserted must
 *    have its origin on its left and its right origin on its right or, where Yjs itself writes it,
 *    to the left in the same list: the update is then written again without those right origins
 *    and judged from step 1 (originOrder.ts); otherwise `malformed`. A live map entry holding
 *    more than one value is `malformed` too (mapEntries.ts). Then the document kind's rules
 *    judge what it did (schema, locks, authorship: GateRule.ts).
 *
 * Only an update every step accepts is applied to the live document; the client IDs it introduced
 * are then claimed for its author, in the same turn (so in the same disk write).
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import type { RootKind } from '@onetext/shared/documentRoots'
import { MAX_TREE_DEPTH } from '@onetext/shared/limits'
import { RefusalReason } from '@onetext/shared/protocol'
import * as Y from 'yjs'
import { ShadowCopy } from '../negotiation/ShadowCopy'
import type { ClientOwners } from './ClientOwners'
import { SERVER_OWNER } from './ClientOwners'
import type { GateChange, GateRefusal, GateRule } from './GateRule'
import { BUILDS_ON_REFUSED, itemsInRange, rootOf } from './GateRule'
import { withoutKnownDeletions } from './knownDeletions'
import { liveEntryOfMany } from './mapEntries'
import { nestingWithinLimit } from './nestingDepth'
import { checkNeighbours, withoutRightOrigins } from './originOrder'
import { MalformedUpdate } from './SafeDecoder'
import { readUpdateStructure, type UpdateStructure } from './updateStructure'

/**
 * How many times one update may be written again without right origins that lie to the left of
 * their origins (originOrder.ts); an update that still holds such items after that is refused as
 * `malformed`.
 */
const MAX_REANCHORS = 3

/**
 * The gate's answer to one update: the update to apply to the live document (the one offered, less
 * the deletions the document already has: knownDeletions.ts), or why it is refused.
 */
export type GateVerdict =
  | { readonly accepted: Uint8Array; readonly refused?: undefined }
  | { readonly refused: GateRefusal; readonly accepted?: undefined }

/** What one kind of document accepts from clients. */
export interface DocumentProfile {
  /** The roots clients may write, by name. */
  readonly roots: ReadonlyMap<string, RootKind>
  /** The kind's rules, run in order on the copy with the update applied. */
  readonly rules: readonly GateRule[]
}

const FOREIGN_CLIENT: GateRefusal = {
  reason: RefusalReason.foreignClient,
  text: "Your change was written under another person's editing session and was refused.",
}

function malformed(detail: string): GateRefusal {
  return {
    reason: RefusalReason.malformed,
    text: `Your change could not be read (${detail}) and was refused.`,
  }
}

/**
 * True when one of the update's items starts before what the document has of its client and runs
 * past it. A client that merged an acknowledged edit with newer ones into one struct and sends it
 * again writes such items (Yjs merges a client's adjacent items when it encodes).
 */
function straddles(structure: UpdateStructure, doc: Y.Doc): boolean {
  const { items } = structure
  for (let i = 0; i < items.client.length; i++) {
    const state = Y.getState(doc.store, items.client[i] as number)
    if ((items.clock[i] as number) < state && (items.end[i] as number) > state) return true
  }
  return false
}

export class UpdateGate {
  private readonly shadow: ShadowCopy
  /** Client IDs the last accepted update introduced, claimed once it is applied (see {@link applied}). */
  private unclaimed: number[] = []
  /** Connections whose updates this gate applied to the copy first (their transactions skip it). */
  private readonly checkedOrigins = new WeakSet<object>()
  /**
   * Told of each update applied to the live document, with its author and the client IDs claimed
   * for them, inside the transaction that applied it (none by default).
   */
  onApplied: ((author: PresenceUser, claimed: readonly number[]) => void) | null = null

  constructor(
    private readonly doc: Y.Doc,
    private readonly owners: ClientOwners,
    private readonly profile: DocumentProfile,
  ) {
    owners.reserveServerClient(doc)
    this.shadow = new ShadowCopy(
      doc,
      (origin) => this.isChecked(origin),
      (copy) => {
        for (const [name, kind] of profile.roots) {
          if (kind === 'xml') copy.getXmlFragment(name)
          else copy.getMap(name)
        }
      },
    )
    doc.on('afterTransaction', this.claimServerWrites)
  }

  /**
   * Checks `update`, sent by `author` over the connection `origin`. An accepted update has been
   * applied to the gate's copy: apply the verdict's `accepted` bytes to the live document next
   * (with `origin` as the transaction origin), then call {@link applied}.
   */
  check(update: Uint8Array, author: PresenceUser, origin: object): GateVerdict {
    return this.judge(update, author, origin, MAX_REANCHORS)
  }

  /**
   * The steps of {@link check}. When the update holds items whose right origin lies to the left of
   * their origin (originOrder.ts), those right origins are dropped and the update so rewritten is
   * judged again, at most `reanchors` times.
   */
  private judge(
    update: Uint8Array,
    author: PresenceUser,
    origin: object,
    reanchors: number,
  ): GateVerdict {
    const refused = (refusal: GateRefusal): GateVerdict => ({ refused: refusal })
    let offered = update
    let structure: UpdateStructure
    try {
      structure = readUpdateStructure(offered)
      // Only what the document lacks of a straddling item is new; Yjs would take that part alone,
      // placed after the client's item before it, whatever the item's origin said. Slicing it here
      // hands the copy, the rules and the live document that same part, with its real origin.
      if (straddles(structure, this.doc)) {
        offered = Y.diffUpdate(offered, Y.encodeStateVector(this.doc))
        structure = readUpdateStructure(offered)
      }
    } catch (error) {
      if (error instanceof MalformedUpdate) return refused(malformed(error.message))
      throw error
    }
    for (const root of structure.roots) {
      if (!this.profile.roots.has(root)) {
        return refused({
          reason: RefusalReason.serverOnly,
          text: 'Your change wrote to a part of the document that only the server writes and was refused.',
        })
      }
    }
    const unclaimed: number[] = []
    const store = this.doc.store
    for (const [client, range] of structure.written) {
      const state = Y.getState(store, client)
      if (range.end <= state) continue
      if (range.start > state) return refused(BUILDS_ON_REFUSED)
      const owner = this.owners.ownerOf(client)
      if (owner === undefined) unclaimed.push(client)
      else if (owner !== author.id) return refused(FOREIGN_CLIENT)
    }
    if (!this.buildsOnKnown(structure)) return refused(BUILDS_ON_REFUSED)
    if (!nestingWithinLimit(structure, this.doc)) {
      return refused({
        reason: RefusalReason.schema,
        text: `Your change nests the document deeper than ${MAX_TREE_DEPTH} levels and was refused.`,
      })
    }
    const accepted = withoutKnownDeletions(offered, structure, this.doc)
    const tried = this.tryOnCopy(accepted, author, structure, reanchors > 0)
    if (tried instanceof Uint8Array) return this.judge(tried, author, origin, reanchors - 1)
    if (tried) return refused(tried)
    this.checkedOrigins.add(origin)
    this.unclaimed = unclaimed
    return { accepted }
  }

  /**
   * Claims for `author` the client IDs the update just applied to the live document introduced, or
   * those of them `claimable` accepts (the rest stay unowned).
   */
  applied(author: PresenceUser, claimable: (client: number) => boolean = () => true): void {
    const claims = this.unclaimed.filter(claimable)
    if (claims.length > 0) this.owners.claim(claims, author.id)
    this.unclaimed = []
    this.onApplied?.(author, claims)
  }

  /** Forgets the copy: the live document did not take an update the copy took. */
  diverged(): void {
    this.shadow.drop()
    this.unclaimed = []
  }

  private isChecked(origin: unknown): boolean {
    return typeof origin === 'object' && origin !== null && this.checkedOrigins.has(origin)
  }

  /** True when every ID the update refers to or deletes is in the document or in the update. */
  private buildsOnKnown(structure: UpdateStructure): boolean {
    const store = this.doc.store
    const known = (client: number, clock: number): boolean => {
      if (clock < Y.getState(store, client)) return true
      const range = structure.written.get(client)
      return range !== undefined && clock >= range.start && clock < range.end
    }
    const references = structure.references
    for (let i = 0; i < references.length; i += 2) {
      if (!known(references[i] as number, references[i + 1] as number)) return false
    }
    for (const { client, ranges } of structure.deletions) {
      const known = Math.max(Y.getState(store, client), structure.written.get(client)?.end ?? 0)
      for (let i = 0; i < ranges.length; i += 2) {
        if ((ranges[i] as number) + (ranges[i + 1] as number) > known) return false
      }
    }
    return true
  }

  /**
   * Applies the update to the copy and runs the rules; the copy is dropped when it is refused. When
   * `mayReanchor` and the update inserted items whose right origin lies to the left of their origin,
   * the copy is dropped too and the answer is the update rewritten without those right origins.
   */
  private tryOnCopy(
    update: Uint8Array,
    author: PresenceUser,
    structure: UpdateStructure,
    mayReanchor: boolean,
  ): GateRefusal | Uint8Array | null {
    const copy = this.shadow.current()
    // The update's own transaction is the first; Yjs may follow it with a clean-up transaction of
    // its own (redundant text formatting), which is not the client's doing.
    let transaction: Y.Transaction | null = null
    const capture = (tr: Y.Transaction) => {
      transaction ??= tr
    }
    copy.on('afterTransaction', capture)
    try {
      this.shadow.apply(update)
    } catch (error) {
      return malformed(error instanceof Error ? error.message : String(error))
    } finally {
      copy.off('afterTransaction', capture)
    }
    if (this.shadow.hadPending) {
      this.shadow.drop()
      return BUILDS_ON_REFUSED
    }
    const applied = transaction as Y.Transaction | null
    if (!applied) return null
    const inserted: Y.Item[] = []
    for (const [client, range] of structure.written) {
      const from = Math.max(range.start, applied.beforeState.get(client) ?? 0)
      inserted.push(...itemsInRange(copy, client, from, range.end))
    }
    const neighbours = checkNeighbours(copy, inserted)
    if (neighbours.misplaced || (neighbours.reanchor.length > 0 && !mayReanchor)) {
      this.shadow.drop()
      return malformed("an item's neighbours are not on either side of it")
    }
    if (neighbours.reanchor.length > 0) {
      // The copy placed those items as Yjs does from the offered bytes, which the rewritten update
      // no longer says: it is dropped, and the rewritten update is tried on a new one.
      const rewritten = withoutRightOrigins(update, structure, neighbours.reanchor, copy, this.doc)
      this.shadow.drop()
      return rewritten
    }
    if (liveEntryOfMany(inserted)) {
      this.shadow.drop()
      return malformed('a map entry holds more than one value')
    }
    const change: GateChange = {
      author,
      before: this.doc,
      after: copy,
      transaction: applied,
      inserted,
    }
    const refusal = this.rootShapes(change) ?? this.runRules(change)
    if (refusal) this.shadow.drop()
    return refusal
  }

  /**
   * The update changed only the roots of the profile, and what it inserted directly into a root
   * fits the root's kind: list children of XML, keyed entries of maps.
   */
  private rootShapes(change: GateChange): GateRefusal | null {
    for (const type of change.transaction.changed.keys()) {
      const name = Y.findRootTypeKey(rootOf(type))
      if (name === undefined || !this.profile.roots.has(name)) {
        return {
          reason: RefusalReason.serverOnly,
          text: 'Your change wrote to a part of the document that only the server writes and was refused.',
        }
      }
    }
    for (const item of change.inserted) {
      const parent = item.parent
      if (!(parent instanceof Y.AbstractType) || parent._item !== null) continue
      const name = Y.findRootTypeKey(parent)
      const kind = name === undefined ? undefined : this.profile.roots.get(name)
      if (kind === undefined || (kind === 'map') !== (item.parentSub !== null)) {
        return {
          reason: RefusalReason.schema,
          text: 'Your change put content where the document holds none of its kind and was refused.',
        }
      }
    }
    return null
  }

  private runRules(change: GateChange): GateRefusal | null {
    for (const rule of this.profile.rules) {
      const refusal = rule.check(change)
      if (refusal) return refusal
    }
    return null
  }

  /** Claims the server's own client ID the first time the server writes under it. */
  private readonly claimServerWrites = (transaction: Y.Transaction): void => {
    const client = this.doc.clientID
    if (this.owners.ownerOf(client) !== undefined) return
    if ((transaction.afterState.get(client) ?? 0) > (transaction.beforeState.get(client) ?? 0))
      this.owners.claim([client], SERVER_OWNER)
  }

  /** Stops watching the document. */
  destroy(): void {
    this.doc.off('afterTransaction', this.claimServerWrites)
    this.shadow.drop()
  }
}

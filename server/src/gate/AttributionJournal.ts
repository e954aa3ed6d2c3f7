/**
 * The server's record, inside a suggestion copy, of who changed what (docs/PROTOCOL.md "Suggestion
 * copies"): what `attributeChanges` (shared/src/suggestions/attribution.ts) reads to name the author
 * of each suggested change, written only by the server (clients may not write these roots: the
 * gate refuses them as `serverOnly`). After each transaction of client updates the gate let
 * through, in the same turn (so in the same disk write as the updates), under the server's origin:
 *
 * - `attribution[client] = {userId, name}` for each client ID the gate claimed for the author
 *   (ClientOwners.ts): words are attributed by the client ID of their Yjs items;
 * - `{k:'d', c, s, l, u, n, t}` in `journal` for each range of seed items (iteration N's text) the
 *   transaction deleted: deleted text has no item of its author, so the journal names them;
 * - `{k:'i', c, s, u, t}` in `journal`, an insertion-time checkpoint: the items of client `c` from
 *   clock `s` on were typed from time `t` on; at most one per client per
 *   {@link CHECKPOINT_INTERVAL_MS}.
 *
 * A transaction's deletions are attributed to the connection that sent it. A sync step 2 can carry
 * deletions another user made while the server was down (it relays what the client holds): they
 * are attributed to that connection's user (docs/SECURITY.md).
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import {
  ATTRIBUTION_ROOT,
  JOURNAL_ROOT,
  type JournalEntry,
  readSeed,
} from '@onetext/shared/suggestions/copyDoc'
import type * as Y from 'yjs'
import { SERVER_ORIGIN } from '../sync/origins'
import type { ClientOwners } from './ClientOwners'
import type { UpdateGate } from './UpdateGate'

/** Shortest time between two insertion-time checkpoints of one client. */
export const CHECKPOINT_INTERVAL_MS = 10_000

export class AttributionJournal {
  /** The author of the client updates applied in the transaction under way, if any. */
  private author: PresenceUser | null = null
  private claimed: number[] = []
  /** When each client's last checkpoint was written (since this load). */
  private readonly checkpoints = new Map<number, number>()

  /** Starts journaling the updates `gate` lets into `doc`; `now` gives the time in ms. */
  constructor(
    private readonly doc: Y.Doc,
    gate: UpdateGate,
    private readonly owners: ClientOwners,
    private readonly now: () => number = Date.now,
  ) {
    gate.onApplied = (author, claimed) => {
      this.author = author
      this.claimed.push(...claimed)
    }
    doc.on('afterTransaction', this.record)
  }

  private readonly record = (transaction: Y.Transaction): void => {
    const author = this.author
    if (author === null) return
    this.author = null
    const claimed = this.claimed.splice(0)
    const at = this.now()
    const entries: JournalEntry[] = []
    const seed = readSeed(this.doc)
    if (seed !== null) {
      const before = transaction.beforeState.get(seed.client) ?? 0
      for (const { clock, len } of transaction.deleteSet.clients.get(seed.client) ?? []) {
        const end = Math.min(clock + len, before)
        if (clock >= end) continue
        const l = end - clock
        entries.push({ k: 'd', c: seed.client, s: clock, l, u: author.id, n: author.name, t: at })
      }
    }
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0
      if (after <= before || this.owners.ownerOf(client) !== author.id) continue
      const last = this.checkpoints.get(client)
      if (last !== undefined && at - last < CHECKPOINT_INTERVAL_MS) continue
      this.checkpoints.set(client, at)
      entries.push({ k: 'i', c: client, s: before, u: author.id, t: at })
    }
    if (entries.length === 0 && claimed.length === 0) return
    // A transaction started here runs once this one is done, as a change of its own.
    this.doc.transact(() => {
      const attribution = this.doc.getMap<unknown>(ATTRIBUTION_ROOT)
      for (const client of claimed)
        attribution.set(String(client), { userId: author.id, name: author.name })
      if (entries.length > 0) this.doc.getArray<JournalEntry>(JOURNAL_ROOT).push(entries)
    }, SERVER_ORIGIN)
  }

  /** Stops journaling. */
  destroy(): void {
    this.doc.off('afterTransaction', this.record)
  }
}

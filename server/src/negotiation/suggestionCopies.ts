/**
 * Parties' suggestion copies (`<neg>.suggest.<party>.<N>`, docs/PROTOCOL.md "Suggestion copies") on
 * the server: a load hook seeds a new copy from iteration N's JSON (never from the working draft's
 * Yjs state) and starts its attribution journal; {@link SuggestionCopies.facts} tells the copy's
 * gate rules (CopyGuard.ts) which iteration is the latest and which clause ids iteration N has.
 *
 * The seed is written under a client ID of its own, which the server owns, from clock 0
 * (copySeed.ts), and recorded in the copy's `seed` root: anyone can rebuild the same items from
 * iteration N's JSON and that client ID. A copy of an iteration that was never circulated does not
 * load (nothing is written).
 */
import { parseDocumentName } from '@onetext/shared/documentNames'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { readSeed, SEED_ROOT } from '@onetext/shared/suggestions/copyDoc'
import { seedUpdate } from '@onetext/shared/suggestions/copySeed'
import * as Y from 'yjs'
import { AttributionJournal } from '../gate/AttributionJournal'
import { type ClientOwners, SERVER_OWNER } from '../gate/ClientOwners'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import { SERVER_ORIGIN } from '../sync/origins'
import type { SharedDocument } from '../sync/SharedDocument'
import type { CopyFacts } from './CopyGuard'
import type { NegotiationDocs } from './NegotiationDocs'

/** A client ID for a seed: one no user owns and the document does not write under. */
function freshSeedClient(doc: Y.Doc, owners: ClientOwners | null): number {
  for (;;) {
    const client = new Y.Doc().clientID
    if (client !== doc.clientID && owners?.ownerOf(client) === undefined) return client
  }
}

export class SuggestionCopies {
  /** Clause ids of each iteration a loaded copy is of, by `<negotiationId>.<N>`. */
  private readonly clauseIds = new Map<string, ReadonlySet<string>>()

  constructor(private readonly docs: NegotiationDocs) {}

  /** What the gate rules of the copy of iteration `iteration` of `negotiationId` need to know. */
  facts(negotiationId: string, iteration: number): CopyFacts {
    const key = `${negotiationId}.${iteration}`
    return {
      iteration,
      latest: () => this.docs.latestIteration(negotiationId),
      iterationClauseIds: () => this.clauseIds.get(key) ?? new Set(),
    }
  }

  /**
   * Adds the load hook that seeds copies and starts their journal; install it after the update
   * gate's (it claims the seed's client ID in the gate's ownership record).
   */
  install(registry: DocumentRegistry): void {
    registry.onAfterLoad((document) => this.prepare(document))
  }

  private async prepare(document: SharedDocument): Promise<void> {
    const ref = parseDocumentName(document.name)
    if (ref?.kind !== 'suggest' || ref.iteration === undefined) return
    const { negotiationId, iteration } = ref
    await this.docs.refreshLocks(negotiationId)
    const record = await this.docs.iteration(negotiationId, iteration)
    if (!record) {
      document.destroy()
      throw new RangeError(`${document.name}: Single Text ${iteration} was never circulated`)
    }
    this.clauseIds.set(`${negotiationId}.${iteration}`, new Set(record.clauses.map((c) => c.id)))
    const doc = document.doc
    const owners = document.owners
    const seed = readSeed(doc)
    if (seed === null && doc.getXmlFragment(RICH_TEXT_FIELD).length === 0) {
      const client = freshSeedClient(doc, owners)
      const update = seedUpdate(record.doc, client)
      owners?.claim([client], SERVER_OWNER)
      // Two transactions: one that applies an update is not local, and Yjs would take the
      // server's own writes in it for another client's under the same ID.
      Y.applyUpdate(doc, update, SERVER_ORIGIN)
      doc.transact(() => {
        const seedMap = doc.getMap<number>(SEED_ROOT)
        seedMap.set('client', client)
        seedMap.set('iteration', iteration)
      }, SERVER_ORIGIN)
    }
    if (document.gate && owners) {
      const journal = new AttributionJournal(doc, document.gate, owners)
      doc.once('destroy', () => journal.destroy())
    }
  }
}

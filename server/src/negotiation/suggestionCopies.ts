/**
 * Parties' suggestion copies (`<neg>.suggest.<party>.<N>`, docs/PROTOCOL.md "Suggestion copies") on
 * the server: a load hook seeds a new copy from iteration N's JSON (never from the working draft's
 * Yjs state) and starts its attribution journal; {@link SuggestionCopies.facts} tells the copy's
 * gate rules (CopyGuard.ts) which iteration is the latest and which clause ids iteration N has.
 *
 * The seed is written under a client ID of its own, which the server owns, from clock 0
 * (copySeed.ts), and recorded in the copy's `seed` root: anyone can rebuild the same items from
 * iteration N's JSON and that client ID. A copy of an iteration that was never circulated does not
 * load (nothing is written). A copy of iteration N+1 is seeded with the party's open changes of its
 * copy of N that carry onto N+1 (draftCarry.ts).
 */
import { parseDocumentName } from '@onetext/shared/documentNames'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { readSeed, SEED_ROOT } from '@onetext/shared/suggestions/copyDoc'
import { seedUpdate } from '@onetext/shared/suggestions/copySeed'
import * as random from 'lib0/random'
import * as Y from 'yjs'
import { AttributionJournal } from '../gate/AttributionJournal'
import { type ClientOwners, SERVER_OWNER } from '../gate/ClientOwners'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import { SERVER_ORIGIN } from '../sync/origins'
import type { SharedDocument } from '../sync/SharedDocument'
import type { CopyFacts } from './CopyGuard'
import { copyChangeSteps, replaySteps } from './draftCarry'
import type { NegotiationDocs } from './NegotiationDocs'
import { sharedChangeKeys } from './suggestionRecords'
import { runInSlices, type SliceStats } from './timeSlices'

/** A client ID for a seed: one no user owns and the document does not write under. */
function freshSeedClient(doc: Y.Doc, owners: ClientOwners | null, also: Y.Doc = doc): number {
  for (;;) {
    // As Yjs picks a document's client ID, without building a document for it.
    const client = random.uint32()
    if (
      client !== doc.clientID &&
      client !== also.clientID &&
      owners?.ownerOf(client) === undefined &&
      !doc.store.clients.has(client) &&
      !also.store.clients.has(client)
    )
      return client
  }
}

export class SuggestionCopies {
  /**
   * `exists` tells whether a document was ever stored (copies of earlier iterations that no one
   * opened are not created to carry nothing from them); `log` gets one line per copy seeded with
   * drafts: how many carried, how many did not, and how long it took.
   */
  constructor(
    private readonly docs: NegotiationDocs,
    private readonly exists: (name: string) => Promise<boolean> = async () => false,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** What the gate rules of the copy of iteration `iteration` of `negotiationId` need to know. */
  facts(negotiationId: string, iteration: number): CopyFacts {
    return { iteration, latest: () => this.docs.latestIteration(negotiationId) }
  }

  /**
   * Adds the load hook that seeds copies and starts their journal; install it after the update
   * gate's (it claims the seed's client ID in the gate's ownership record).
   */
  install(registry: DocumentRegistry): void {
    registry.onAfterLoad((document) => this.prepare(document))
  }

  /**
   * Replays into the freshly seeded copy of iteration `iteration` the open changes of the party's
   * copy of the iteration before that carry onto it (draftCarry.ts), in slices with the event loop
   * let through between them (the copy is not served until its load hooks end; the copy before it
   * no longer changes).
   */
  private async carryDrafts(
    document: SharedDocument,
    partyId: string,
    iteration: number,
  ): Promise<void> {
    const { negotiationId } = parseDocumentName(document.name) ?? { negotiationId: '' }
    const previousName = this.docs.copyName(negotiationId, partyId, iteration - 1)
    if (!(await this.exists(previousName))) return
    const previous = await this.docs.iteration(negotiationId, iteration - 1)
    if (!previous) return
    const status = await this.docs.status(negotiationId)
    const decided = sharedChangeKeys(
      Object.values(status.suggestions),
      partyId,
      iteration - 1,
      (change) => change.status !== 'open',
    )
    const started = performance.now()
    const work: SliceStats = { busyMs: 0, slices: 0 }
    const groups = await this.docs.registry.withDocument(previousName, (copy) =>
      runInSlices(copyChangeSteps(copy.doc, previous.doc, decided), { stats: work }),
    )
    if (groups.length === 0) return
    const owners = document.owners
    const outcome = await runInSlices(
      replaySteps(
        document.doc,
        groups,
        previous.doc,
        {
          freshClient: (doc) => freshSeedClient(doc, owners, document.doc),
          claim: (client, author) => owners?.claim([client], author?.userId ?? SERVER_OWNER),
        },
        SERVER_ORIGIN,
      ),
      { stats: work },
    )
    this.log(
      `seeded ${document.name} with drafts of Single Text ${iteration - 1}: ${outcome.carried} changes carried, ${outcome.outdated} not; ${work.busyMs.toFixed(1)} ms of work in ${work.slices} slices, ${(performance.now() - started).toFixed(1)} ms in all`,
    )
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
      if (iteration > 1) await this.carryDrafts(document, ref.partyId ?? '', iteration)
    }
    if (document.gate && owners) {
      const journal = new AttributionJournal(doc, document.gate, owners)
      doc.once('destroy', () => journal.destroy())
    }
  }
}

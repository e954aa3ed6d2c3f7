/**
 * The single-text cycle's services, built once per server, and the update gate on every negotiation
 * document (server/src/gate/UpdateGate.ts) with each kind's rules (documentProfiles.ts): the
 * working draft guarded against changes to tentatively agreed clauses, the entries of the other
 * documents (annotations, rationales) against anyone speaking for somebody else.
 */
import { parseDocumentName } from '@onetext/shared/documentNames'
import { installUpdateGate } from '../gate/installGate'
import type { Directory } from '../storage/Directory'
import type { DocumentStore } from '../storage/DocumentStore'
import type { IterationStore } from '../storage/IterationStore'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import type { PersistenceQueue } from '../sync/PersistenceQueue'
import { ClauseService } from './ClauseService'
import { CommandQueue } from './CommandQueue'
import { migrateToClauseTree } from './clauseTreeMigration'
import { documentProfile } from './documentProfiles'
import { IterationService } from './IterationService'
import { removeLegacyBallots } from './legacyVotes'
import { NegotiationDocs } from './NegotiationDocs'
import { SuggestionService } from './SuggestionService'
import { projectRecords } from './statusProjection'
import { SuggestionCopies } from './suggestionCopies'
import { VoteService } from './VoteService'

export interface NegotiationServices {
  docs: NegotiationDocs
  /** Runs each negotiation's state-changing commands one at a time. */
  commands: CommandQueue
  iterations: IterationService
  clauses: ClauseService
  suggestions: SuggestionService
  votes: VoteService
}

/** Builds the services and installs the update gate on the registry. */
export function createNegotiationServices(
  registry: DocumentRegistry,
  store: DocumentStore,
  persistence: PersistenceQueue,
  iterationStore: IterationStore,
  directory: Directory,
  log: (line: string) => void = () => {},
): NegotiationServices {
  const docs = new NegotiationDocs(registry, persistence, iterationStore)
  const iterations = new IterationService(docs, iterationStore, log)
  registry.onAfterLoad(async (document) => {
    if (migrateToClauseTree(document.doc)) log(`converted ${document.name} to the clause tree`)
    const ref = parseDocumentName(document.name)
    if (ref?.kind === 'draft') await docs.refreshLocks(ref.negotiationId)
    if (ref?.kind === 'status') {
      removeLegacyBallots(document.doc)
      await projectRecords(document.doc, ref.negotiationId, iterationStore, log)
    }
  })
  const copies = new SuggestionCopies(docs, (name) => store.exists(name), log)
  installUpdateGate(registry, store, persistence, (name) =>
    documentProfile(
      name,
      (negotiationId) => docs.lockedClauses(negotiationId),
      (negotiationId, iteration) => copies.facts(negotiationId, iteration),
    ),
  )
  copies.install(registry)
  return {
    docs,
    commands: new CommandQueue(),
    iterations,
    clauses: new ClauseService(docs, iterations, directory),
    suggestions: new SuggestionService(docs, directory, (name) => store.exists(name)),
    votes: new VoteService(docs, directory),
  }
}

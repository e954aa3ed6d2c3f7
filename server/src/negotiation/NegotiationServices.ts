/**
 * The single-text cycle's services, built once per server, and the hook that guards every working
 * draft against changes to tentatively agreed clauses.
 */
import { parseDocumentName } from '@onetext/shared/documentNames'
import type { Directory } from '../storage/Directory'
import type { IterationStore } from '../storage/IterationStore'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import type { PersistenceQueue } from '../sync/PersistenceQueue'
import { AnnotationGuard } from './AnnotationGuard'
import { ClauseService } from './ClauseService'
import { DraftGuard } from './DraftGuard'
import { IterationService } from './IterationService'
import { NegotiationDocs } from './NegotiationDocs'
import { ProposalService } from './ProposalService'
import { VoteService } from './VoteService'

export interface NegotiationServices {
  docs: NegotiationDocs
  iterations: IterationService
  clauses: ClauseService
  proposals: ProposalService
  votes: VoteService
}

/** The documents that hold annotations (party layers, caucus notes, the table). */
const ANNOTATED_KINDS: ReadonlySet<string> = new Set(['layer', 'caucus', 'table'])

/** Builds the services and installs the draft guard and the annotation guard on the registry. */
export function createNegotiationServices(
  registry: DocumentRegistry,
  persistence: PersistenceQueue,
  iterationStore: IterationStore,
  directory: Directory,
): NegotiationServices {
  const docs = new NegotiationDocs(registry, persistence)
  const iterations = new IterationService(docs, iterationStore)
  registry.onAfterLoad(async (document) => {
    const ref = parseDocumentName(document.name)
    if (ref && ANNOTATED_KINDS.has(ref.kind)) {
      document.validator = new AnnotationGuard(document.doc)
      return
    }
    if (ref?.kind !== 'draft') return
    await docs.refreshLocks(ref.negotiationId)
    document.validator = new DraftGuard(document.doc, () => docs.lockedClauses(ref.negotiationId))
  })
  return {
    docs,
    iterations,
    clauses: new ClauseService(docs, iterations, directory),
    proposals: new ProposalService(docs, iterations),
    votes: new VoteService(docs),
  }
}

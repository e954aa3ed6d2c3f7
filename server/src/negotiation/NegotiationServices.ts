/**
 * The single-text cycle's services, built once per server, and the hook that guards every working
 * draft against changes to tentatively agreed clauses and the entries of the other documents
 * (annotations, proposals) against anyone speaking for somebody else.
 */
import { parseDocumentName } from '@onetext/shared/documentNames'
import type { Directory } from '../storage/Directory'
import type { IterationStore } from '../storage/IterationStore'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import type { PersistenceQueue } from '../sync/PersistenceQueue'
import { ANNOTATION_RULES } from './annotationRules'
import { ClauseService } from './ClauseService'
import { DraftGuard } from './DraftGuard'
import { EntryGuard, type EntryRules } from './EntryGuard'
import { IterationService } from './IterationService'
import { NegotiationDocs } from './NegotiationDocs'
import { ProposalService } from './ProposalService'
import { PROPOSAL_RULES } from './proposalRules'
import { VoteService } from './VoteService'

export interface NegotiationServices {
  docs: NegotiationDocs
  iterations: IterationService
  clauses: ClauseService
  proposals: ProposalService
  votes: VoteService
}

/** The guarded entries of each kind of document: annotations everywhere, proposals in party layers. */
const ENTRY_RULES: ReadonlyMap<string, readonly EntryRules[]> = new Map([
  ['layer', [ANNOTATION_RULES, PROPOSAL_RULES]],
  ['caucus', [ANNOTATION_RULES]],
  ['table', [ANNOTATION_RULES]],
])

/** Builds the services and installs the draft guard and the entry guards on the registry. */
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
    const rules = ref ? ENTRY_RULES.get(ref.kind) : undefined
    if (rules) {
      document.validator = new EntryGuard(document.doc, rules)
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

/**
 * One proposal per clause of a party's copy, for the migration of proposals to suggestions
 * (suggestionMigration.ts). The old model let several members each draft the same clause in full; a
 * copy holds one text of each clause, so one of them is written into it and the others' words are
 * kept, in full, in the clause's rationale, where the party reads them beside the text.
 */
import type { LegacyProposal } from './legacyProposals'

/** What the migration writes of one proposal: the copy it goes into is its iteration's. */
export interface PlacedProposal {
  readonly proposal: LegacyProposal
  readonly iteration: number
}

/** The plans written into copies, each with the drafts of the same clause that it displaces. */
export interface ProposalsPerClause<P extends PlacedProposal> {
  readonly written: readonly P[]
  readonly displaced: ReadonlyMap<P, readonly LegacyProposal[]>
}

/** The proposal still being drafted (not shared, not adopted) before one that was shared. */
function isDraft(proposal: LegacyProposal): boolean {
  return proposal.shared === null && !proposal.adopted
}

/**
 * Of the plans that go into one copy's clause (same party, iteration and clause), the one written:
 * the latest draft, else the latest proposal. The others that are drafts are displaced (a shared
 * one lives on as its shared suggestion); their order is that of `plans`.
 */
export function proposalsPerClause<P extends PlacedProposal>(
  plans: readonly P[],
): ProposalsPerClause<P> {
  const groups = new Map<string, P[]>()
  for (const plan of plans) {
    const { partyId, clauseId } = plan.proposal
    const key = JSON.stringify([partyId, plan.iteration, clauseId])
    const group = groups.get(key)
    if (group) group.push(plan)
    else groups.set(key, [plan])
  }
  const written: P[] = []
  const displaced = new Map<P, readonly LegacyProposal[]>()
  for (const group of groups.values()) {
    const drafts = group.filter((plan) => isDraft(plan.proposal))
    const candidates = drafts.length > 0 ? drafts : group
    const chosen = candidates.reduce((latest, plan) =>
      plan.proposal.createdAt >= latest.proposal.createdAt ? plan : latest,
    )
    written.push(chosen)
    const others = group
      .filter((plan) => plan !== chosen && isDraft(plan.proposal))
      .map((plan) => plan.proposal)
    if (others.length > 0) displaced.set(chosen, others)
  }
  return { written, displaced }
}

/**
 * The words a displaced draft leaves in its clause's rationale: who drafted it and when, its text
 * as the party wrote it, and its own rationale.
 */
export function displacedDraftNote(proposal: LegacyProposal): string {
  const when =
    proposal.createdAt > 0 ? ` on ${new Date(proposal.createdAt).toISOString().slice(0, 10)}` : ''
  const by = proposal.authorName === '' ? '' : ` by ${proposal.authorName}`
  const rationale = proposal.rationale === '' ? '' : `\nIts rationale: ${proposal.rationale}`
  return `Another draft of this clause${by}${when}, against Single Text ${proposal.baseIteration}:\n${proposal.text}${rationale}`
}

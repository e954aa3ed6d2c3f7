/**
 * Proposals: a party lead shares a private proposal from the party's layer with the table (the
 * server copies it into the status document, where nobody can alter it); the mediator adopts a
 * shared proposal into the working draft, whole or edited, and the clause records where its words
 * came from.
 */

import { PROPOSALS_ROOT, readLayerProposal } from '@onetext/shared/layerDoc'
import { type ClauseState, type SharedProposal, STATUS_ROOTS } from '@onetext/shared/statusDoc'
import * as Y from 'yjs'
import { commandAllowed } from '../access/commands'
import type { MemberRecord, UserRecord } from '../storage/Directory'
import { recordActivity } from './activity'
import { replaceClauseBody } from './draftOps'
import type { IterationService } from './IterationService'
import type { NegotiationDocs } from './NegotiationDocs'
import { NegotiationError } from './NegotiationError'
import { markInDiscussion, putClauseState, recordResponse } from './statusRules'

/** Longest proposal text accepted (about 20 pages). */
export const MAX_PROPOSAL_TEXT = 100_000

export class ProposalService {
  constructor(
    private readonly docs: NegotiationDocs,
    private readonly iterations: IterationService,
  ) {}

  /** The lead of the proposal's party shares it with the table. */
  async share(
    negotiationId: string,
    user: UserRecord,
    member: MemberRecord,
    proposalId: string,
  ): Promise<SharedProposal> {
    if (!commandAllowed(member, 'share-proposal') || member.partyId === null) {
      throw new NegotiationError(
        'forbidden',
        'forbidden',
        'Only a party lead can share their party’s proposals.',
      )
    }
    const partyId = member.partyId
    const layer = this.docs.layerName(negotiationId, partyId)
    const proposal = await this.docs.registry.withDocument(layer, (document) => {
      const map = document.doc.getMap<unknown>(PROPOSALS_ROOT).get(proposalId)
      return map instanceof Y.Map ? readLayerProposal(map) : null
    })
    if (!proposal)
      throw new NegotiationError('not-found', 'not-found', 'Your party has no such proposal.')
    if (proposal.text.length > MAX_PROPOSAL_TEXT) {
      throw new NegotiationError(
        'invalid',
        'too-long',
        `A proposal may be at most ${MAX_PROPOSAL_TEXT} characters.`,
      )
    }
    const latest = await this.iterations.latest(negotiationId)
    if (!latest?.clauses.some((clause) => clause.id === proposal.clauseId)) {
      throw new NegotiationError(
        'conflict',
        'unknown-clause',
        'The proposal’s clause is not in the current iteration.',
      )
    }
    const shared: SharedProposal = {
      id: proposal.id,
      partyId,
      clauseId: proposal.clauseId,
      baseIteration: proposal.baseIteration,
      text: proposal.text,
      rationale: proposal.rationale,
      authorName: proposal.authorName,
      sharedBy: user.id,
      sharedByName: user.name,
      sharedAt: Date.now(),
      status: 'shared',
    }
    await this.docs.changeStatus(negotiationId, (statusDoc, status) => {
      if (status.proposals[proposalId]) {
        throw new NegotiationError(
          'conflict',
          'already-shared',
          'This proposal has already been shared.',
        )
      }
      statusDoc.getMap<SharedProposal>(STATUS_ROOTS.proposals).set(proposalId, shared)
      recordActivity(statusDoc, {
        kind: 'proposal-shared',
        clauseId: proposal.clauseId,
        iteration: latest.number,
        text: `${user.name} shared a proposal on a clause of Single Text ${latest.number}.`,
      })
      markInDiscussion(statusDoc, proposal.clauseId)
      recordResponse(statusDoc, partyId, latest.number)
    })
    await this.docs.change(layer, (doc) => {
      const map = doc.getMap<unknown>(PROPOSALS_ROOT).get(proposalId)
      if (map instanceof Y.Map) {
        map.set('status', 'shared')
        map.set('sharedAt', shared.sharedAt)
      }
    })
    return shared
  }

  /**
   * The mediator adopts a shared proposal into the working draft: its words (or `editedText`)
   * replace the clause's body. Refused for a tentatively agreed clause.
   */
  async adopt(
    negotiationId: string,
    user: UserRecord,
    proposalId: string,
    editedText: string | null,
  ): Promise<ClauseState> {
    const status = await this.docs.status(negotiationId)
    const proposal = status.proposals[proposalId]
    if (!proposal)
      throw new NegotiationError('not-found', 'not-found', 'There is no such shared proposal.')
    if (status.clauses[proposal.clauseId]?.status === 'tentatively-agreed') {
      throw new NegotiationError(
        'conflict',
        'clause-locked',
        'The clause is tentatively agreed; reopen it first.',
      )
    }
    const text = editedText ?? proposal.text
    if (text.length > MAX_PROPOSAL_TEXT) {
      throw new NegotiationError(
        'invalid',
        'too-long',
        `The text may be at most ${MAX_PROPOSAL_TEXT} characters.`,
      )
    }
    const replaced = await this.docs.change(this.docs.draftName(negotiationId), (doc) =>
      replaceClauseBody(doc, proposal.clauseId, text),
    )
    if (!replaced) {
      throw new NegotiationError(
        'conflict',
        'clause-missing',
        'The working draft no longer has this clause.',
      )
    }
    const current = (await this.iterations.latest(negotiationId))?.number ?? 0
    return this.docs.changeStatus(negotiationId, (statusDoc, now) => {
      const state = now.clauses[proposal.clauseId]
      if (!state) throw new NegotiationError('not-found', 'not-found', 'There is no such clause.')
      const provenance = [
        ...state.provenance,
        {
          at: Date.now(),
          iteration: current,
          suggestionId: proposalId,
          proposalId,
          partyId: proposal.partyId,
          adoptedBy: user.id,
          adoptedByName: user.name,
          edited: text !== proposal.text,
        },
      ]
      putClauseState(
        statusDoc,
        { ...state, provenance },
        state.status === 'open' ? 'in-discussion' : state.status,
      )
      statusDoc
        .getMap<SharedProposal>(STATUS_ROOTS.proposals)
        .set(proposalId, { ...proposal, status: 'adopted' })
      return statusDoc
        .getMap<ClauseState>(STATUS_ROOTS.clauses)
        .get(proposal.clauseId) as ClauseState
    })
  }
}

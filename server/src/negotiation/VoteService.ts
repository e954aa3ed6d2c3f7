/**
 * Up-or-down votes at the table, as a bargaining table votes (shared/src/votes.ts): the mediator
 * puts a question (usually a shared suggestion) to the table under a rule (consensus of the parties,
 * or a majority of them); members vote yes, no or abstain within their party, and each ballot is
 * written to the party's caucus document, which only that party reads; a party lead decides
 * whether the table sees the party's tally and attaches a written dissent. Closing the vote writes
 * to the status document each party's position and the outcome: no member's name or ballot.
 */
import { randomUUID } from 'node:crypto'
import { type ClauseState, STATUS_ROOTS, type Vote } from '@onetext/shared/statusDoc'
import {
  CAUCUS_VOTE_ROOTS,
  type PartyBallot,
  type PartyPosition,
  type PartyStance,
  partyPosition,
  readPartyBallots,
  readPartyStance,
  tallyOf,
  type VoteChoice,
  type VoteRule,
  voteOutcome,
} from '@onetext/shared/votes'
import { commandAllowed } from '../access/commands'
import type { Directory, MemberRecord, UserRecord } from '../storage/Directory'
import { recordActivity } from './activity'
import type { NegotiationDocs } from './NegotiationDocs'
import { NegotiationError } from './NegotiationError'
import { markInDiscussion } from './statusRules'

const CHOICES: ReadonlySet<string> = new Set(['yes', 'no', 'abstain'])

export class VoteService {
  constructor(
    private readonly docs: NegotiationDocs,
    private readonly directory: Directory,
  ) {}

  /**
   * Opens a vote on a clause (and optionally one of its shared suggestions) under `rule` (consensus
   * when not given). Mediator only.
   */
  async open(
    negotiationId: string,
    user: UserRecord,
    fields: { clauseId: string; suggestionId: string | null; question: string; rule?: VoteRule },
  ): Promise<Vote> {
    const question = fields.question.trim().slice(0, 1000)
    if (question === '')
      throw new NegotiationError('invalid', 'invalid-body', 'The vote needs a question.')
    return this.docs.changeStatus(negotiationId, (statusDoc, status) => {
      const clause = status.clauses[fields.clauseId]
      if (!clause) throw new NegotiationError('not-found', 'not-found', 'There is no such clause.')
      if (
        fields.suggestionId !== null &&
        status.suggestions[fields.suggestionId]?.clauseId !== fields.clauseId
      ) {
        throw new NegotiationError(
          'not-found',
          'not-found',
          'There is no such shared suggestion on this clause.',
        )
      }
      const vote: Vote = {
        id: randomUUID(),
        clauseId: fields.clauseId,
        suggestionId: fields.suggestionId,
        question,
        rule: fields.rule ?? 'consensus',
        openedAt: Date.now(),
        openedBy: user.name,
        closedAt: null,
        result: null,
      }
      statusDoc.getMap<Vote>(STATUS_ROOTS.votes).set(vote.id, vote)
      recordActivity(statusDoc, {
        kind: 'vote-opened',
        clauseId: fields.clauseId,
        text: `A vote was opened: “${question}”`,
      })
      statusDoc
        .getMap<ClauseState>(STATUS_ROOTS.clauses)
        .set(fields.clauseId, { ...clause, votes: [...clause.votes, vote.id] })
      markInDiscussion(statusDoc, fields.clauseId)
      return vote
    })
  }

  /**
   * A member of a party casts (or changes) their ballot on an open vote; it is kept in the party's
   * caucus document.
   */
  async ballot(
    negotiationId: string,
    user: UserRecord,
    member: MemberRecord,
    voteId: string,
    choice: string,
  ): Promise<void> {
    if (!commandAllowed(member, 'cast-ballot') || member.partyId === null) {
      throw new NegotiationError(
        'forbidden',
        'forbidden',
        'Only members of a party vote; the mediator does not.',
      )
    }
    if (!CHOICES.has(choice))
      throw new NegotiationError('invalid', 'invalid-body', 'Vote yes, no or abstain.')
    await this.openVote(negotiationId, voteId)
    const ballot: PartyBallot = {
      userId: user.id,
      name: user.name,
      choice: choice as VoteChoice,
      at: Date.now(),
    }
    await this.docs.change(this.docs.caucusName(negotiationId, member.partyId), (caucus) => {
      const ballots = caucus.getMap<Record<string, PartyBallot>>(CAUCUS_VOTE_ROOTS.ballots)
      ballots.set(voteId, { ...ballots.get(voteId), [user.id]: ballot })
    })
  }

  /** A party lead sets what the table will see of the party in an open vote. */
  async stance(
    negotiationId: string,
    member: MemberRecord,
    voteId: string,
    change: Partial<PartyStance>,
  ): Promise<void> {
    if (member.partyId === null)
      throw new NegotiationError('forbidden', 'forbidden', 'Only a party lead speaks for a party.')
    await this.openVote(negotiationId, voteId)
    await this.docs.change(this.docs.caucusName(negotiationId, member.partyId), (caucus) => {
      const current = readPartyStance(caucus, voteId)
      caucus.getMap<PartyStance>(CAUCUS_VOTE_ROOTS.stances).set(voteId, {
        showTally: change.showTally ?? current.showTally,
        dissent: (change.dissent ?? current.dissent).trim(),
      })
    })
  }

  /**
   * Closes a vote: reads each party's ballots and stance from its caucus, records each party's
   * position (with its tally and dissent where the party chose to show them) and the outcome under
   * the vote's rule. Mediator only.
   */
  async close(negotiationId: string, voteId: string): Promise<Vote> {
    await this.openVote(negotiationId, voteId)
    const parties: PartyPosition[] = []
    for (const party of await this.directory.listParties(negotiationId)) {
      const { ballots, stance } = await this.docs.registry.withDocument(
        this.docs.caucusName(negotiationId, party.id),
        (document) => ({
          ballots: readPartyBallots(document.doc, voteId),
          stance: readPartyStance(document.doc, voteId),
        }),
      )
      const tally = tallyOf(ballots)
      parties.push({
        partyId: party.id,
        position: partyPosition(tally),
        ...(stance.showTally ? { tally } : {}),
        ...(stance.dissent ? { dissent: stance.dissent } : {}),
      })
    }
    return this.docs.changeStatus(negotiationId, (statusDoc, status) => {
      const vote = status.votes[voteId]
      if (!vote) throw new NegotiationError('not-found', 'not-found', 'There is no such vote.')
      if (vote.closedAt !== null)
        throw new NegotiationError('conflict', 'vote-closed', 'This vote is already closed.')
      const closed: Vote = {
        ...vote,
        closedAt: Date.now(),
        result: { parties, outcome: voteOutcome(vote.rule, parties) },
      }
      statusDoc.getMap<Vote>(STATUS_ROOTS.votes).set(voteId, closed)
      recordActivity(statusDoc, {
        kind: 'vote-closed',
        clauseId: vote.clauseId,
        text: `The vote “${vote.question}” ${closed.result?.outcome === 'carried' ? 'carried' : 'failed'}.`,
      })
      return closed
    })
  }

  /** The vote if it exists and is open; 404 or 409 otherwise. */
  private async openVote(negotiationId: string, voteId: string): Promise<Vote> {
    const vote = (await this.docs.status(negotiationId)).votes[voteId]
    if (!vote) throw new NegotiationError('not-found', 'not-found', 'There is no such vote.')
    if (vote.closedAt !== null)
      throw new NegotiationError('conflict', 'vote-closed', 'This vote is closed.')
    return vote
  }
}

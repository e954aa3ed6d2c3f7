/**
 * Up-or-down votes at the table: the mediator puts a question (usually a shared proposal) to the
 * table, members vote yes, no or abstain, and closing the vote records the result, with dissents
 * and abstentions by name, on the clause.
 */
import { randomUUID } from 'node:crypto'
import { type Ballot, type ClauseState, STATUS_ROOTS, type Vote } from '@onetext/shared/statusDoc'
import { commandAllowed } from '../access/commands'
import type { MemberRecord, UserRecord } from '../storage/Directory'
import type { NegotiationDocs } from './NegotiationDocs'
import { NegotiationError } from './NegotiationError'
import { markInDiscussion } from './statusRules'

const CHOICES: ReadonlySet<string> = new Set(['yes', 'no', 'abstain'])

export class VoteService {
  constructor(private readonly docs: NegotiationDocs) {}

  /** Opens a vote on a clause (and optionally one of its shared proposals). Mediator only. */
  async open(
    negotiationId: string,
    user: UserRecord,
    fields: { clauseId: string; proposalId: string | null; question: string },
  ): Promise<Vote> {
    const question = fields.question.trim().slice(0, 1000)
    if (question === '')
      throw new NegotiationError('invalid', 'invalid-body', 'The vote needs a question.')
    return this.docs.changeStatus(negotiationId, (statusDoc, status) => {
      const clause = status.clauses[fields.clauseId]
      if (!clause) throw new NegotiationError('not-found', 'not-found', 'There is no such clause.')
      if (
        fields.proposalId !== null &&
        status.proposals[fields.proposalId]?.clauseId !== fields.clauseId
      ) {
        throw new NegotiationError(
          'not-found',
          'not-found',
          'There is no such shared proposal on this clause.',
        )
      }
      const vote: Vote = {
        id: randomUUID(),
        clauseId: fields.clauseId,
        proposalId: fields.proposalId,
        question,
        openedAt: Date.now(),
        openedBy: user.name,
        closedAt: null,
        ballots: {},
        result: null,
      }
      statusDoc.getMap<Vote>(STATUS_ROOTS.votes).set(vote.id, vote)
      statusDoc
        .getMap<ClauseState>(STATUS_ROOTS.clauses)
        .set(fields.clauseId, { ...clause, votes: [...clause.votes, vote.id] })
      markInDiscussion(statusDoc, fields.clauseId)
      return vote
    })
  }

  /** A member of a party casts (or changes) their ballot on an open vote. */
  async ballot(
    negotiationId: string,
    user: UserRecord,
    member: MemberRecord,
    voteId: string,
    choice: string,
  ): Promise<void> {
    if (!commandAllowed(member, 'cast-ballot')) {
      throw new NegotiationError(
        'forbidden',
        'forbidden',
        'Only members of a party vote; the mediator does not.',
      )
    }
    if (!CHOICES.has(choice))
      throw new NegotiationError('invalid', 'invalid-body', 'Vote yes, no or abstain.')
    await this.docs.changeStatus(negotiationId, (statusDoc, status) => {
      const vote = status.votes[voteId]
      if (!vote) throw new NegotiationError('not-found', 'not-found', 'There is no such vote.')
      if (vote.closedAt !== null)
        throw new NegotiationError('conflict', 'vote-closed', 'This vote is closed.')
      const ballot: Ballot = {
        userId: user.id,
        name: user.name,
        partyId: member.partyId,
        choice: choice as Ballot['choice'],
        at: Date.now(),
      }
      statusDoc
        .getMap<Vote>(STATUS_ROOTS.votes)
        .set(voteId, { ...vote, ballots: { ...vote.ballots, [user.id]: ballot } })
    })
  }

  /** Closes a vote and records its result. Mediator only. */
  async close(negotiationId: string, voteId: string): Promise<Vote> {
    return this.docs.changeStatus(negotiationId, (statusDoc, status) => {
      const vote = status.votes[voteId]
      if (!vote) throw new NegotiationError('not-found', 'not-found', 'There is no such vote.')
      if (vote.closedAt !== null)
        throw new NegotiationError('conflict', 'vote-closed', 'This vote is already closed.')
      const ballots = Object.values(vote.ballots)
      const count = (choice: Ballot['choice']) =>
        ballots.filter((ballot) => ballot.choice === choice).length
      const yes = count('yes')
      const no = count('no')
      const closed: Vote = {
        ...vote,
        closedAt: Date.now(),
        result: {
          yes,
          no,
          abstain: count('abstain'),
          outcome: yes > no ? 'carried' : 'failed',
          dissents: ballots.filter((ballot) => ballot.choice === 'no').map((ballot) => ballot.name),
          abstentions: ballots
            .filter((ballot) => ballot.choice === 'abstain')
            .map((ballot) => ballot.name),
        },
      }
      statusDoc.getMap<Vote>(STATUS_ROOTS.votes).set(voteId, closed)
      return closed
    })
  }
}

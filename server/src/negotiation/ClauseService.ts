/**
 * Clause status and sign-off: each party lead initials a clause for their own party; when every
 * party has, the clause is tentatively agreed and locked, and changing it again first needs every
 * party lead's consent to reopen it.
 */
import type { Clause } from '@onetext/shared/clauses'
import type { ClauseState, ClauseStatus, Signoff } from '@onetext/shared/statusDoc'
import { STATUS_ROOTS } from '@onetext/shared/statusDoc'
import { commandAllowed } from '../access/commands'
import type { Directory, MemberRecord, UserRecord } from '../storage/Directory'
import type { RecordChange } from '../storage/IterationStore'
import { recordActivity } from './activity'
import type { IterationService } from './IterationService'
import type { NegotiationDocs } from './NegotiationDocs'
import { NegotiationError } from './NegotiationError'
import { putClauseState, recordResponse, updateAgreement } from './statusRules'

/** Longest initials accepted. */
export const MAX_INITIALS_LENGTH = 8

/** A clause of the current iteration with its status, as `GET /clauses` answers. */
export interface ClauseSummary {
  id: string
  number: string
  heading: string
  status: ClauseStatus
  statusSince: number | null
  signoffs: Array<
    Pick<Signoff, 'partyId' | 'userId' | 'initials' | 'at'> & { name: string; iteration: number }
  >
  reopen: ClauseState['reopen']
}

/** The clause's state and its pending request to reopen; `409 no-reopen-request` when there is none. */
function pendingReopen(state: ClauseState | undefined): {
  state: ClauseState
  reopen: NonNullable<ClauseState['reopen']>
} {
  if (!state?.reopen)
    throw new NegotiationError(
      'conflict',
      'no-reopen-request',
      'Nobody has asked to reopen this clause.',
    )
  return { state, reopen: state.reopen }
}

export class ClauseService {
  constructor(
    private readonly docs: NegotiationDocs,
    private readonly iterations: IterationService,
    private readonly directory: Directory,
  ) {}

  /** The clauses of the current iteration with their status (empty before the first iteration). */
  async list(negotiationId: string): Promise<ClauseSummary[]> {
    const latest = await this.iterations.latest(negotiationId)
    const status = await this.docs.status(negotiationId)
    return (latest?.clauses ?? []).map((clause) => {
      const state = status.clauses[clause.id]
      return {
        id: clause.id,
        number: clause.number,
        heading: clause.heading,
        status: state?.status ?? 'open',
        statusSince: state?.statusSince ?? null,
        signoffs: Object.values(state?.signoffs ?? {}).map((signoff) => ({
          partyId: signoff.partyId,
          userId: signoff.userId,
          name: signoff.name,
          initials: signoff.initials,
          at: signoff.at,
          iteration: signoff.iteration,
        })),
        reopen: state?.reopen ?? null,
      }
    })
  }

  private async currentClause(
    negotiationId: string,
    clauseId: string,
  ): Promise<{ clause: Clause; iteration: number; ids: string[] }> {
    const latest = await this.iterations.latest(negotiationId)
    const clause = latest?.clauses.find((candidate) => candidate.id === clauseId)
    if (!latest || !clause) {
      throw new NegotiationError(
        'not-found',
        'not-found',
        'There is no such clause in the current iteration.',
      )
    }
    return {
      clause,
      iteration: latest.number,
      ids: latest.clauses.map((candidate) => candidate.id),
    }
  }

  private requireLead(member: MemberRecord): string {
    if (!commandAllowed(member, 'signoff') || member.partyId === null) {
      throw new NegotiationError(
        'forbidden',
        'forbidden',
        'Only a party lead can do this, for their own party.',
      )
    }
    return member.partyId
  }

  /** A party lead initials a clause of the current iteration for their party. */
  async signoff(
    negotiationId: string,
    user: UserRecord,
    member: MemberRecord,
    clauseId: string,
    initials: string,
  ): Promise<ClauseState> {
    const partyId = this.requireLead(member)
    const trimmed = initials.trim()
    if (trimmed.length === 0 || trimmed.length > MAX_INITIALS_LENGTH) {
      throw new NegotiationError(
        'invalid',
        'invalid-body',
        `Initials must be 1 to ${MAX_INITIALS_LENGTH} characters.`,
      )
    }
    const { clause, iteration, ids } = await this.currentClause(negotiationId, clauseId)
    const parties = (await this.directory.listParties(negotiationId)).map((party) => party.id)
    return this.docs.changeStatus(negotiationId, (statusDoc, status, records) => {
      const state = status.clauses[clauseId]
      if (!state) throw new NegotiationError('not-found', 'not-found', 'There is no such clause.')
      if (state.status === 'tentatively-agreed') {
        throw new NegotiationError(
          'conflict',
          'already-agreed',
          'This clause is already tentatively agreed.',
        )
      }
      const signoff: Signoff = {
        partyId,
        userId: user.id,
        name: user.name,
        initials: trimmed,
        at: Date.now(),
        iteration,
      }
      records.push({ kind: 'signoff-put', signoff: { ...signoff, negotiationId, clauseId } })
      const signoffs = { ...state.signoffs, [partyId]: signoff }
      const allSigned = parties.every((party) => signoffs[party]?.iteration === iteration)
      const next: ClauseState = { ...state, signoffs }
      putClauseState(statusDoc, next, allSigned ? 'tentatively-agreed' : 'in-discussion')
      if (allSigned)
        recordActivity(statusDoc, {
          kind: 'clause-agreed',
          clauseId,
          iteration,
          text: `Clause ${clause.number} (${clause.heading}) is tentatively agreed: every party initialled it.`,
        })
      recordResponse(statusDoc, partyId, iteration)
      updateAgreement(statusDoc, ids)
      return statusDoc.getMap<ClauseState>(STATUS_ROOTS.clauses).get(clauseId) as ClauseState
    })
  }

  /** Asks to reopen a tentatively agreed clause (a party lead, whose party consents by asking, or the mediator). */
  async requestReopen(
    negotiationId: string,
    user: UserRecord,
    member: MemberRecord,
    clauseId: string,
    reason: string,
  ): Promise<ClauseState> {
    if (!commandAllowed(member, 'request-reopen')) this.requireLead(member)
    const { clause, ids } = await this.currentClause(negotiationId, clauseId)
    const parties = (await this.directory.listParties(negotiationId)).map((party) => party.id)
    return this.docs.changeStatus(negotiationId, (statusDoc, status, records) => {
      const state = status.clauses[clauseId]
      if (state?.status !== 'tentatively-agreed') {
        throw new NegotiationError(
          'conflict',
          'not-agreed',
          'Only a tentatively agreed clause can be reopened.',
        )
      }
      if (state.reopen)
        throw new NegotiationError(
          'conflict',
          'reopen-pending',
          'A request to reopen is already pending.',
        )
      const consents: Record<string, { userId: string; name: string; at: number }> = {}
      if (member.role === 'party-lead' && member.partyId) {
        consents[member.partyId] = { userId: user.id, name: user.name, at: Date.now() }
      }
      const reopen = {
        requestedBy: user.id,
        requestedByName: user.name,
        requestedAt: Date.now(),
        reason: reason.slice(0, 2000),
        consents,
      }
      recordActivity(statusDoc, {
        kind: 'reopen-requested',
        clauseId,
        text: `${user.name} asked to reopen clause ${clause.number} (${clause.heading}).`,
      })
      return this.applyReopen(
        statusDoc,
        { negotiationId, records },
        { ...state, reopen },
        parties,
        ids,
      )
    })
  }

  /** A party lead consents to reopening; when every party has, the clause is open to change again. */
  async consentReopen(
    negotiationId: string,
    user: UserRecord,
    member: MemberRecord,
    clauseId: string,
  ): Promise<ClauseState> {
    const partyId = this.requireLead(member)
    const { ids } = await this.currentClause(negotiationId, clauseId)
    const parties = (await this.directory.listParties(negotiationId)).map((party) => party.id)
    return this.docs.changeStatus(negotiationId, (statusDoc, status, records) => {
      const { state, reopen } = pendingReopen(status.clauses[clauseId])
      const consents = {
        ...reopen.consents,
        [partyId]: { userId: user.id, name: user.name, at: Date.now() },
      }
      return this.applyReopen(
        statusDoc,
        { negotiationId, records },
        { ...state, reopen: { ...reopen, consents } },
        parties,
        ids,
      )
    })
  }

  /**
   * A party lead whose party has not consented declines a request to reopen, with a reason: the
   * request ends, and the clause stays tentatively agreed and locked.
   */
  async declineReopen(
    negotiationId: string,
    user: UserRecord,
    member: MemberRecord,
    clauseId: string,
    reason: string,
  ): Promise<ClauseState> {
    const partyId = this.requireLead(member)
    const text = reason.trim()
    if (text === '')
      throw new NegotiationError('invalid', 'invalid-body', 'Say why your party declines.')
    return this.docs.changeStatus(negotiationId, (statusDoc, status) => {
      const { state, reopen } = pendingReopen(status.clauses[clauseId])
      if (reopen.consents[partyId])
        throw new NegotiationError(
          'conflict',
          'already-consented',
          'Your party has already consented to reopening this clause.',
        )
      const declined: ClauseState = {
        ...state,
        reopen: null,
        reopenDeclined: {
          partyId,
          byName: user.name,
          reason: text,
          at: Date.now(),
          requestedByName: reopen.requestedByName,
        },
      }
      statusDoc.getMap<ClauseState>(STATUS_ROOTS.clauses).set(clauseId, declined)
      return declined
    })
  }

  private applyReopen(
    statusDoc: import('yjs').Doc,
    { negotiationId, records }: { negotiationId: string; records: RecordChange[] },
    state: ClauseState,
    parties: string[],
    ids: string[],
  ): ClauseState {
    const everyone = parties.every((party) => state.reopen?.consents[party] !== undefined)
    if (everyone) {
      records.push({ kind: 'signoffs-clear', negotiationId, clauseIds: [state.clauseId] })
      putClauseState(statusDoc, { ...state, reopen: null, signoffs: {} }, 'in-discussion')
    } else putClauseState(statusDoc, state)
    updateAgreement(statusDoc, ids)
    return statusDoc.getMap<ClauseState>(STATUS_ROOTS.clauses).get(state.clauseId) as ClauseState
  }
}

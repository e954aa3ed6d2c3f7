/**
 * The negotiation's status document (`<negotiationId>.status`): the server-authoritative record of
 * iterations, clause statuses, sign-offs, reopen requests, votes, shared proposals and adoptions.
 * Only the server writes it (clients may only read it), so the whole table sees every change live
 * and nobody can forge a sign-off. Values are plain JSON objects in Y.Maps and Y.Arrays, replaced
 * whole on every change.
 */
import type * as Y from 'yjs'
import type { PartyPosition, VoteRule } from './votes'

/** Status of a clause. */
export type ClauseStatus = 'open' | 'in-discussion' | 'tentatively-agreed'

/** A circulated iteration ("Single Text 3"). */
export interface IterationMeta {
  number: number
  createdAt: number
  note: string
  published: boolean
  createdBy: string
}

/** One party lead's initials on a clause. */
export interface Signoff {
  partyId: string
  userId: string
  name: string
  initials: string
  at: number
  /** The iteration whose text was signed. */
  iteration: number
}

/** A request to reopen a tentatively agreed clause and the consents given so far. */
export interface ReopenRequest {
  requestedBy: string
  requestedByName: string
  requestedAt: number
  reason: string
  /** partyId -> consent. */
  consents: Record<string, { userId: string; name: string; at: number }>
}

/** A party lead's refusal of a request to reopen. */
export interface ReopenDeclined {
  partyId: string
  byName: string
  reason: string
  at: number
  /** The request that was declined. */
  requestedByName: string
}

/** Where a clause's words came from: an adopted proposal. */
export interface Provenance {
  at: number
  /** The iteration that was current when the words were adopted (they appear in the next one). */
  iteration: number
  proposalId: string
  partyId: string
  adoptedBy: string
  adoptedByName: string
  /** True when the mediator edited the proposal's words before adopting them. */
  edited: boolean
}

/**
 * An up-or-down vote at the table on a clause (or a shared proposal on it). The ballots are not
 * here: each party's are in its caucus document (votes.ts); the table sees the parties' positions
 * once the vote is closed.
 */
export interface Vote {
  id: string
  clauseId: string
  proposalId: string | null
  question: string
  rule: VoteRule
  openedAt: number
  openedBy: string
  closedAt: number | null
  /** Set when closed: each party's position, and the outcome under the vote's rule. */
  result: {
    parties: PartyPosition[]
    outcome: 'carried' | 'failed'
  } | null
}

/** Everything recorded about one clause. */
export interface ClauseState {
  clauseId: string
  status: ClauseStatus
  /** When the status last changed (for "how long has it waited"). */
  statusSince: number
  signoffs: Record<string, Signoff>
  reopen: ReopenRequest | null
  /** The last request to reopen that a party declined, with its reason (absent when none). */
  reopenDeclined?: ReopenDeclined
  provenance: Provenance[]
  votes: string[]
}

/** A proposal a party lead has shared with the table (an immutable copy of the party's draft). */
export interface SharedProposal {
  id: string
  partyId: string
  clauseId: string
  baseIteration: number
  text: string
  rationale: string
  authorName: string
  sharedBy: string
  sharedByName: string
  sharedAt: number
  status: 'shared' | 'adopted'
}

/** Root type names of the status document. */
export const STATUS_ROOTS = {
  iterations: 'iterations',
  clauses: 'clauses',
  proposals: 'proposals',
  votes: 'votes',
  responses: 'responses',
  agreement: 'agreement',
  activity: 'activity',
} as const

/** What happened, for the activity feed. */
export type ActivityKind =
  | 'iteration'
  | 'published'
  | 'proposal-shared'
  | 'vote-opened'
  | 'vote-closed'
  | 'reopen-requested'
  | 'clause-agreed'

/**
 * One event of the negotiation, written to the status document in the same transaction as the
 * change it reports. Everyone at the table reads it; local tables read the `published` ones only
 * (through the API).
 */
export interface ActivityEntry {
  id: string
  at: number
  kind: ActivityKind
  clauseId?: string
  iteration?: number
  text: string
}

/** The status document read into plain values. */
export interface NegotiationStatus {
  iterations: IterationMeta[]
  clauses: Record<string, ClauseState>
  proposals: Record<string, SharedProposal>
  votes: Record<string, Vote>
  /** partyId -> the iteration the party last responded to (shared a proposal or signed). */
  responses: Record<string, number>
  agreementReachedAt: number | null
  /** Every event so far, oldest first. */
  activity: ActivityEntry[]
}

function mapValues<T>(map: Y.Map<unknown>): Record<string, T> {
  const out: Record<string, T> = {}
  for (const [key, value] of map.entries()) out[key] = value as T
  return out
}

/** Reads a status document. */
export function readStatus(doc: Y.Doc): NegotiationStatus {
  const agreement = doc.getMap(STATUS_ROOTS.agreement).get('reachedAt')
  return {
    iterations: doc.getArray<IterationMeta>(STATUS_ROOTS.iterations).toArray(),
    clauses: mapValues<ClauseState>(doc.getMap(STATUS_ROOTS.clauses)),
    proposals: mapValues<SharedProposal>(doc.getMap(STATUS_ROOTS.proposals)),
    votes: mapValues<Vote>(doc.getMap(STATUS_ROOTS.votes)),
    responses: mapValues<number>(doc.getMap(STATUS_ROOTS.responses)),
    agreementReachedAt: typeof agreement === 'number' ? agreement : null,
    activity: doc.getArray<ActivityEntry>(STATUS_ROOTS.activity).toArray(),
  }
}

/** The newest iteration, or null before the first circulation. */
export function currentIteration(status: NegotiationStatus): IterationMeta | null {
  return status.iterations[status.iterations.length - 1] ?? null
}

/** Ids of the clauses that are tentatively agreed (and so locked). */
export function lockedClauseIds(status: NegotiationStatus): Set<string> {
  return new Set(
    Object.values(status.clauses)
      .filter((clause) => clause.status === 'tentatively-agreed')
      .map((clause) => clause.clauseId),
  )
}

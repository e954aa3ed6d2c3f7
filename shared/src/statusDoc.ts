/**
 * The negotiation's status document (`<negotiationId>.status`): the server-authoritative record of
 * iterations, clause statuses, sign-offs, reopen requests, votes, shared suggestions and the
 * decisions on them, and where the draft's words came from.
 * Only the server writes it (clients may only read it), so the whole table sees every change live
 * and nobody can forge a sign-off. Values are plain JSON objects in Y.Maps and Y.Arrays, replaced
 * whole on every change.
 */
import type * as Y from 'yjs'
import type { ChangeKind } from './suggestions/diff'
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

/**
 * Where a clause's words came from: an accepted change of a shared suggestion (`suggestionId`,
 * `changeId`, its author and words), or a whole suggestion accepted at once (`changeId` null).
 */
export interface Provenance {
  at: number
  /** The iteration that was current when the words were adopted (they appear in the next one). */
  iteration: number
  /** The shared suggestion. */
  suggestionId: string
  /** The accepted change of the suggestion; null or absent when the whole suggestion was. */
  changeId?: string | null
  partyId: string
  /** Who wrote the accepted words (absent on entries from before per-change decisions). */
  authorId?: string
  authorName?: string
  /** What the accepted change did (absent on entries from before per-change decisions). */
  kind?: ChangeKind
  /** The accepted change's words (absent on entries from before per-change decisions). */
  text?: string
  adoptedBy: string
  adoptedByName: string
  /** True when the mediator edited the words before adopting them. */
  edited: boolean
}

/** What became of one shared change. */
export type SharedChangeStatus = 'open' | 'accepted' | 'rejected' | 'outdated'

/**
 * One change of a shared suggestion, frozen when the party lead shared it: what it does (against
 * the clause's tokens of the iteration it was written against), who made it, and its decision.
 */
export interface SharedChange {
  /** Unique within its suggestion. */
  id: string
  kind: ChangeKind
  text: string
  authorId: string
  authorName: string
  at: number
  /** Token index span in the clause's tokens of the suggestion's iteration (clauseTokens). */
  base: { from: number; to: number }
  /** Text of the one base token before and after the span ('' at an edge). */
  context: { before: string; after: string }
  /** For insert: ProseMirror Slice JSON of the inserted content. */
  content?: unknown
  /** For format: mark names added and removed. */
  marks?: { add: string[]; remove: string[] }
  /** Id of the change paired with this one (a delete and the insert that replaces its words). */
  pairedWith?: string
  status: SharedChangeStatus
  decidedBy?: string
  decidedByName?: string
  decidedAt?: number
}

/**
 * A party's changes to one clause, shared with the table by its lead: immutable once shared but for
 * each change's decision. Its status is derived ({@link suggestionStatus}).
 */
export interface SharedSuggestion {
  id: string
  partyId: string
  clauseId: string
  /** The iteration the changes were written against. */
  iteration: number
  rationale: string
  sharedBy: string
  sharedByName: string
  sharedAt: number
  /** Iterations the suggestion was carried forward from, oldest first. */
  carriedFrom: number[]
  /** The earlier suggestion of the same party on the same clause that this one replaced. */
  supersedes?: string
  changes: SharedChange[]
}

/** Status of a shared suggestion, derived from its changes' decisions. */
export type SharedSuggestionStatus = 'shared' | 'accepted' | 'rejected' | 'outdated'

/**
 * A shared suggestion's status: 'shared' while any change is open; else 'accepted' if any change
 * was accepted, else 'rejected' if any was rejected, else 'outdated'.
 */
export function suggestionStatus(
  suggestion: Pick<SharedSuggestion, 'changes'>,
): SharedSuggestionStatus {
  const statuses = new Set(suggestion.changes.map((change) => change.status))
  if (statuses.has('open')) return 'shared'
  if (statuses.has('accepted')) return 'accepted'
  if (statuses.has('rejected')) return 'rejected'
  return 'outdated'
}

/**
 * An up-or-down vote at the table on a clause (or a shared suggestion on it). The ballots are not
 * here: each party's are in its caucus document (votes.ts); the table sees the parties' positions
 * once the vote is closed.
 */
export interface Vote {
  id: string
  clauseId: string
  /** The shared suggestion put to the vote, if any. */
  suggestionId: string | null
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

/** Root type names of the status document. */
export const STATUS_ROOTS = {
  iterations: 'iterations',
  clauses: 'clauses',
  suggestions: 'suggestions',
  votes: 'votes',
  responses: 'responses',
  agreement: 'agreement',
  activity: 'activity',
} as const

/** What happened, for the activity feed. */
export type ActivityKind =
  | 'iteration'
  | 'published'
  | 'suggestions-shared'
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
  /** Shared suggestions by id. */
  suggestions: Record<string, SharedSuggestion>
  votes: Record<string, Vote>
  /** partyId -> the iteration the party last responded to (shared suggestions or signed). */
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

/**
 * A vote as read: votes stored before suggestions name theirs in `proposalId` (the migration to
 * suggestions rewrites them; a document not yet migrated still reads).
 */
function readVote(stored: Vote & { proposalId?: string | null }): Vote {
  if (!('proposalId' in stored)) return stored
  const { proposalId, ...vote } = stored
  return { ...vote, suggestionId: vote.suggestionId ?? proposalId ?? null }
}

/** Reads a status document. */
export function readStatus(doc: Y.Doc): NegotiationStatus {
  const agreement = doc.getMap(STATUS_ROOTS.agreement).get('reachedAt')
  const clauses = mapValues<ClauseState>(doc.getMap(STATUS_ROOTS.clauses))
  const votes = mapValues<Vote>(doc.getMap(STATUS_ROOTS.votes))
  for (const [id, vote] of Object.entries(votes)) votes[id] = readVote(vote)
  return {
    iterations: doc.getArray<IterationMeta>(STATUS_ROOTS.iterations).toArray(),
    clauses,
    suggestions: mapValues<SharedSuggestion>(doc.getMap(STATUS_ROOTS.suggestions)),
    votes,
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

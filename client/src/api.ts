/**
 * The HTTP API client, typed from the route table the server is built from
 * (shared/src/api/routes.ts): each call names its route (`"METHOD /path"`), and its parameters,
 * body and answer have that route's schema types. Only types come from the table, so no schema
 * code is bundled. The session travels in the httpOnly cookie the server sets at sign-in, so no
 * token is kept in script-readable storage.
 */

import {
  type RouteBody,
  type RouteParams,
  type RouteQuery,
  type RouteReply,
  routePath,
} from '@onetext/shared/api/routeSpec'
import type { ApiRoutes, RouteKey } from '@onetext/shared/api/routes'
import type { ApiAuditEntry, ClauseDiffRow, Role } from '@onetext/shared/apiTypes'

/** An API answer that was not 2xx. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** What a call of route `K` sends. */
export interface RouteInput<K extends RouteKey> {
  params?: RouteParams<ApiRoutes[K]>
  query?: RouteQuery<ApiRoutes[K]>
  body?: RouteBody<ApiRoutes[K]>
}

/** The answer of route `K`. */
export type Reply<K extends RouteKey> = RouteReply<ApiRoutes[K]>

/** Calls route `key` of the API; resolves with its answer or rejects with an ApiRequestError. */
export async function callRoute<K extends RouteKey>(
  key: K,
  input: RouteInput<K> = {},
): Promise<Reply<K>> {
  const space = key.indexOf(' ')
  const method = key.slice(0, space)
  let path = routePath(key.slice(space + 1), (input.params ?? {}) as Record<string, string>)
  if (input.query) {
    const search = new URLSearchParams()
    for (const [name, value] of Object.entries(input.query as Record<string, unknown>)) {
      if (value !== undefined) search.set(name, String(value))
    }
    path += `?${search}`
  }
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: input.body === undefined ? {} : { 'content-type': 'application/json' },
    body: input.body === undefined ? null : JSON.stringify(input.body),
  })
  const text = await response.text()
  let parsed: unknown = null
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    parsed = null
  }
  if (!response.ok) {
    const error = (parsed ?? {}) as { error?: string; message?: string }
    throw new ApiRequestError(
      response.status,
      error.error ?? 'error',
      error.message ?? response.statusText,
    )
  }
  return parsed as Reply<K>
}

/** Signs in; the server sets the session cookie. */
export function signIn(email: string, password: string) {
  return callRoute('POST /api/login', { body: { email, password } })
}

/** Signs out and clears the session cookie. */
export async function signOut(): Promise<void> {
  await callRoute('POST /api/logout')
}

/** The signed-in user, or null when there is no valid session. */
export async function fetchMe(): Promise<Reply<'GET /api/me'>['user'] | null> {
  try {
    return (await callRoute('GET /api/me')).user
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) return null
    throw error
  }
}

/** The negotiations the user belongs to. */
export function fetchNegotiations() {
  return callRoute('GET /api/negotiations')
}

/** One negotiation with the documents the user may open. */
export function fetchNegotiation(id: string) {
  return callRoute('GET /api/negotiations/:id', { params: { id } })
}

/** Turns "open drafting" on or off (mediator only). */
export function setOpenDrafting(negotiationId: string, openDrafting: boolean) {
  return callRoute('PATCH /api/negotiations/:id/settings', {
    params: { id: negotiationId },
    body: { openDrafting },
  })
}

/** The negotiation's activity feed (a local table: publications only). */
export function fetchActivity(negotiationId: string, since?: number) {
  return callRoute('GET /api/negotiations/:id/activity', {
    params: { id: negotiationId },
    ...(since !== undefined ? { query: { since } } : {}),
  })
}

/** Where the caller last looked at the feed, and which events e-mail them. */
export function fetchActivityReader(negotiationId: string) {
  return callRoute('GET /api/negotiations/:id/activity/me', { params: { id: negotiationId } })
}

/** Marks the feed read up to `seenAt`, or changes which events e-mail the caller. */
export function updateActivityReader(
  negotiationId: string,
  change: RouteBody<ApiRoutes['PATCH /api/negotiations/:id/activity/me']>,
) {
  return callRoute('PATCH /api/negotiations/:id/activity/me', {
    params: { id: negotiationId },
    body: change,
  })
}

/** Members and open invitations (mediator only). */
export function fetchMembers(negotiationId: string) {
  return callRoute('GET /api/negotiations/:id/members', { params: { id: negotiationId } })
}

/** Creates a one-time invitation link (mediator only). */
export function createInvite(
  negotiationId: string,
  invite: { email: string; role: Role; partyId: string | null },
) {
  return callRoute('POST /api/negotiations/:id/invites', {
    params: { id: negotiationId },
    body: invite,
  })
}

/** Changes a member's role and party (mediator only). */
export async function updateMember(
  negotiationId: string,
  userId: string,
  assignment: { role: Role; partyId: string | null },
): Promise<void> {
  await callRoute('PATCH /api/negotiations/:id/members/:userId', {
    params: { id: negotiationId, userId },
    body: assignment,
  })
}

/** Removes a member (mediator only). */
export async function removeMember(negotiationId: string, userId: string): Promise<void> {
  await callRoute('DELETE /api/negotiations/:id/members/:userId', {
    params: { id: negotiationId, userId },
  })
}

/** The newest audit entries (mediator only). */
export function fetchAudit(negotiationId: string, limit = 50): Promise<ApiAuditEntry[]> {
  return callRoute('GET /api/negotiations/:id/audit', {
    params: { id: negotiationId },
    query: { limit },
  })
}

/** What an invitation link is for. */
export function fetchInvite(token: string) {
  return callRoute('GET /api/invites/:token', { params: { token } })
}

/** Accepts an invitation; signs in. `name` is needed only for a new account. */
export function acceptInvite(token: string, body: { name?: string; password: string }) {
  return callRoute('POST /api/invites/:token/accept', { params: { token }, body })
}

/** An iteration with its clauses and renderings. */
export type IterationDetail = Reply<'GET /api/negotiations/:id/iterations/:n'>

/** One iteration. */
export function fetchIteration(negotiationId: string, number: number) {
  return callRoute('GET /api/negotiations/:id/iterations/:n', {
    params: { id: negotiationId, n: number },
  })
}

/**
 * Circulates the working draft as the next iteration (mediator), with a note to the table and one
 * for the published record (local tables). `clientState`: the draft session's
 * state (CollabSession.clientState), so that the iteration holds every edit the mediator made.
 */
export function circulateIteration(
  negotiationId: string,
  note: string,
  publishedNote: string,
  clientState?: string,
) {
  return callRoute('POST /api/negotiations/:id/iterations', {
    params: { id: negotiationId },
    body: { note, publishedNote, ...(clientState ? { clientState } : {}) },
  })
}

/** Publishes an iteration to observers, or withdraws it (mediator). */
export async function publishIteration(
  negotiationId: string,
  number: number,
  published: boolean,
): Promise<void> {
  await callRoute('POST /api/negotiations/:id/iterations/:n/publish', {
    params: { id: negotiationId, n: number },
    body: { published },
  })
}

/** Initials a clause for the caller's party (party lead). */
export async function signClause(
  negotiationId: string,
  clauseId: string,
  initials: string,
  clientState?: string,
): Promise<void> {
  await callRoute('POST /api/negotiations/:id/clauses/:clauseId/signoff', {
    params: { id: negotiationId, clauseId },
    body: { initials, ...(clientState ? { clientState } : {}) },
  })
}

/** Declines a request to reopen a clause, for my party, with a reason (party lead). */
export async function declineReopen(
  negotiationId: string,
  clauseId: string,
  reason: string,
): Promise<void> {
  await callRoute('POST /api/negotiations/:id/clauses/:clauseId/reopen/decline', {
    params: { id: negotiationId, clauseId },
    body: { reason },
  })
}

/** Asks to reopen a tentatively agreed clause. */
export async function requestReopen(
  negotiationId: string,
  clauseId: string,
  reason: string,
): Promise<void> {
  await callRoute('POST /api/negotiations/:id/clauses/:clauseId/reopen', {
    params: { id: negotiationId, clauseId },
    body: { reason },
  })
}

/** Consents to reopening a clause (party lead). */
export async function consentReopen(negotiationId: string, clauseId: string): Promise<void> {
  await callRoute('POST /api/negotiations/:id/clauses/:clauseId/reopen/consent', {
    params: { id: negotiationId, clauseId },
  })
}

/** Opens a vote at the table (mediator). */
export async function openVote(
  negotiationId: string,
  vote: {
    clauseId: string
    suggestionId: string | null
    question: string
    rule: 'consensus' | 'majority'
  },
): Promise<void> {
  await callRoute('POST /api/negotiations/:id/votes', {
    params: { id: negotiationId },
    body: vote,
  })
}

/** Casts a ballot. */
export async function castBallot(
  negotiationId: string,
  voteId: string,
  choice: 'yes' | 'no' | 'abstain',
): Promise<void> {
  await callRoute('POST /api/negotiations/:id/votes/:voteId/ballot', {
    params: { id: negotiationId, voteId },
    body: { choice },
  })
}

/** Sets what the table sees of my party in a vote: its tally, a written dissent (party lead). */
export async function setVoteStance(
  negotiationId: string,
  voteId: string,
  stance: { showTally?: boolean; dissent?: string },
): Promise<void> {
  await callRoute('POST /api/negotiations/:id/votes/:voteId/stance', {
    params: { id: negotiationId, voteId },
    body: stance,
  })
}

/** Closes a vote (mediator). */
export async function closeVote(negotiationId: string, voteId: string): Promise<void> {
  await callRoute('POST /api/negotiations/:id/votes/:voteId/close', {
    params: { id: negotiationId, voteId },
  })
}

/** Iterations visible to the caller (observers: published ones), oldest first. */
export function fetchIterations(negotiationId: string) {
  return callRoute('GET /api/negotiations/:id/iterations', { params: { id: negotiationId } })
}

/** One clause of a comparison. */
export type { ClauseDiffRow }

/** The clause-by-clause comparison of iteration `from` with iteration `to`. */
export function fetchDiff(negotiationId: string, from: number, to: number) {
  return callRoute('GET /api/negotiations/:id/diff', {
    params: { id: negotiationId },
    query: { from, to },
  })
}

/** Everything that happened to one clause, iteration by iteration. */
export type ClauseHistory = Reply<'GET /api/negotiations/:id/clauses/:clauseId/history'>

/** The history of one clause. */
export function fetchClauseHistory(negotiationId: string, clauseId: string) {
  return callRoute('GET /api/negotiations/:id/clauses/:clauseId/history', {
    params: { id: negotiationId, clauseId },
  })
}

/** Starts a negotiation from an imported text (organizers); the caller becomes its mediator. */
export function createNegotiation(body: {
  title: string
  parties: string[]
  format: 'md' | 'docx'
  content: string
}) {
  return callRoute('POST /api/negotiations', { body })
}

/** A local supplement the caller may open. */
export type SupplementInfo = Reply<'POST /api/negotiations/:id/supplements'>

/** Local supplements the caller may open. */
export function fetchSupplements(negotiationId: string) {
  return callRoute('GET /api/negotiations/:id/supplements', { params: { id: negotiationId } })
}

/** Starts a local supplement from a published iteration (local tables). */
export function createSupplement(negotiationId: string, title: string, iteration: number) {
  return callRoute('POST /api/negotiations/:id/supplements', {
    params: { id: negotiationId },
    body: { title, iteration },
  })
}

/** A supplement compared with the national text it derives from. */
export function fetchSupplementDiff(negotiationId: string, supplementId: string) {
  return callRoute('GET /api/negotiations/:id/supplements/:supplementId/diff', {
    params: { id: negotiationId, supplementId },
  })
}

/** A suggestion as the list answers it (a party's draft, or shared with the table). */
export type SuggestionInfo = Reply<'GET /api/negotiations/:id/suggestions'>[number]

/**
 * The suggestions the caller may read (a party member: its party's drafts and every party's shared
 * ones; the mediator: all), of clause `clauseId` when given.
 */
export function fetchSuggestions(negotiationId: string, clauseId?: string) {
  return callRoute('GET /api/negotiations/:id/suggestions', {
    params: { id: negotiationId },
    ...(clauseId ? { query: { clause: clauseId } } : {}),
  })
}

/**
 * Accepts (into the working draft) or rejects one change of a shared suggestion, or every open
 * change of it when `changeId` is null (mediator). `clientState`: the draft session's state, so the
 * decision lands on every edit the mediator made. Rejects with an ApiRequestError (409
 * `text-changed` when the words the change was written against changed in the draft).
 */
export function decideSuggestion(
  negotiationId: string,
  suggestionId: string,
  changeId: string | null,
  decision: 'accept' | 'reject',
  clientState?: string,
) {
  const body = clientState ? { clientState } : {}
  if (changeId === null) {
    return decision === 'accept'
      ? callRoute('POST /api/negotiations/:id/suggestions/:suggestionId/accept', {
          params: { id: negotiationId, suggestionId },
          body,
        })
      : callRoute('POST /api/negotiations/:id/suggestions/:suggestionId/reject', {
          params: { id: negotiationId, suggestionId },
          body,
        })
  }
  const params = { id: negotiationId, suggestionId, changeId }
  return decision === 'accept'
    ? callRoute('POST /api/negotiations/:id/suggestions/:suggestionId/changes/:changeId/accept', {
        params,
        body,
      })
    : callRoute('POST /api/negotiations/:id/suggestions/:suggestionId/changes/:changeId/reject', {
        params,
        body,
      })
}

/**
 * Shares the caller's party's suggestions on iteration `iteration` with the table (party lead):
 * the clauses `clauseIds`, or every clause with changes when absent. `clientState`: the copy's
 * session state (CollabSession.clientState), so that the share holds every keystroke the lead saw.
 */
export function shareSuggestions(
  negotiationId: string,
  iteration: number,
  clauseIds?: readonly string[],
  clientState?: string,
) {
  return callRoute('POST /api/negotiations/:id/suggestions/share', {
    params: { id: negotiationId },
    body: {
      iteration,
      ...(clauseIds ? { clauseIds: [...clauseIds] } : {}),
      ...(clientState ? { clientState } : {}),
    },
  })
}

/** The working draft's changes since an iteration, with their provenance (mediator). */
export type DraftChanges = Reply<'GET /api/negotiations/:id/draft/changes'>

/** The working draft's changes since iteration `since`, each labelled with where it came from. */
export function fetchDraftChanges(negotiationId: string, since: number) {
  return callRoute('GET /api/negotiations/:id/draft/changes', {
    params: { id: negotiationId },
    query: { since },
  })
}

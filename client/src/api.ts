/**
 * The HTTP API client. The session travels in the httpOnly cookie the server sets at sign-in, so
 * no token is kept in script-readable storage.
 */
import type {
  ApiAuditEntry,
  ApiUser,
  CreateInviteResponse,
  InviteInfo,
  LoginResponse,
  MembersResponse,
  NegotiationDetail,
  NegotiationSummary,
  Role,
} from '@onetext/shared/apiTypes'

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

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
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
  return parsed as T
}

/** Signs in; the server sets the session cookie. */
export function signIn(email: string, password: string): Promise<LoginResponse> {
  return request('POST', '/api/login', { email, password })
}

/** Signs out and clears the session cookie. */
export function signOut(): Promise<void> {
  return request('POST', '/api/logout')
}

/** The signed-in user, or null when there is no valid session. */
export async function fetchMe(): Promise<ApiUser | null> {
  try {
    const body = await request<{ user: ApiUser }>('GET', '/api/me')
    return body.user
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) return null
    throw error
  }
}

/** The negotiations the user belongs to. */
export function fetchNegotiations(): Promise<NegotiationSummary[]> {
  return request('GET', '/api/negotiations')
}

/** One negotiation with the documents the user may open. */
export function fetchNegotiation(id: string): Promise<NegotiationDetail> {
  return request('GET', `/api/negotiations/${encodeURIComponent(id)}`)
}

/** Members and open invitations (mediator only). */
export function fetchMembers(negotiationId: string): Promise<MembersResponse> {
  return request('GET', `/api/negotiations/${encodeURIComponent(negotiationId)}/members`)
}

/** Creates a one-time invitation link (mediator only). */
export function createInvite(
  negotiationId: string,
  invite: { email: string; role: Role; partyId: string | null },
): Promise<CreateInviteResponse> {
  return request('POST', `/api/negotiations/${encodeURIComponent(negotiationId)}/invites`, invite)
}

/** Changes a member's role and party (mediator only). */
export function updateMember(
  negotiationId: string,
  userId: string,
  assignment: { role: Role; partyId: string | null },
): Promise<void> {
  return request(
    'PATCH',
    `/api/negotiations/${encodeURIComponent(negotiationId)}/members/${encodeURIComponent(userId)}`,
    assignment,
  )
}

/** Removes a member (mediator only). */
export function removeMember(negotiationId: string, userId: string): Promise<void> {
  return request(
    'DELETE',
    `/api/negotiations/${encodeURIComponent(negotiationId)}/members/${encodeURIComponent(userId)}`,
  )
}

/** The newest audit entries (mediator only). */
export function fetchAudit(negotiationId: string, limit = 50): Promise<ApiAuditEntry[]> {
  return request(
    'GET',
    `/api/negotiations/${encodeURIComponent(negotiationId)}/audit?limit=${limit}`,
  )
}

/** What an invitation link is for. */
export function fetchInvite(token: string): Promise<InviteInfo> {
  return request('GET', `/api/invites/${encodeURIComponent(token)}`)
}

/** Accepts an invitation; signs in. `name` is needed only for a new account. */
export function acceptInvite(
  token: string,
  body: { name?: string; password: string },
): Promise<LoginResponse> {
  return request('POST', `/api/invites/${encodeURIComponent(token)}/accept`, body)
}

/** An iteration with its clauses and renderings. */
export interface IterationDetail {
  number: number
  createdAt: number
  note: string
  published: boolean
  clauses: Array<{ id: string; number: string; heading: string; text: string }>
  html: string
  markdown: string
}

const negotiationPath = (id: string) => `/api/negotiations/${encodeURIComponent(id)}`

/** One iteration. */
export function fetchIteration(negotiationId: string, number: number): Promise<IterationDetail> {
  return request('GET', `${negotiationPath(negotiationId)}/iterations/${number}`)
}

/** Circulates the working draft as the next iteration (mediator). */
export function circulateIteration(
  negotiationId: string,
  note: string,
): Promise<{ number: number; createdAt: number }> {
  return request('POST', `${negotiationPath(negotiationId)}/iterations`, { note })
}

/** Publishes an iteration to observers, or withdraws it (mediator). */
export function publishIteration(
  negotiationId: string,
  number: number,
  published: boolean,
): Promise<void> {
  return request('POST', `${negotiationPath(negotiationId)}/iterations/${number}/publish`, {
    published,
  })
}

/** Initials a clause for the caller's party (party lead). */
export function signClause(
  negotiationId: string,
  clauseId: string,
  initials: string,
): Promise<void> {
  return request(
    'POST',
    `${negotiationPath(negotiationId)}/clauses/${encodeURIComponent(clauseId)}/signoff`,
    { initials },
  )
}

/** Asks to reopen a tentatively agreed clause. */
export function requestReopen(
  negotiationId: string,
  clauseId: string,
  reason: string,
): Promise<void> {
  return request(
    'POST',
    `${negotiationPath(negotiationId)}/clauses/${encodeURIComponent(clauseId)}/reopen`,
    { reason },
  )
}

/** Consents to reopening a clause (party lead). */
export function consentReopen(negotiationId: string, clauseId: string): Promise<void> {
  return request(
    'POST',
    `${negotiationPath(negotiationId)}/clauses/${encodeURIComponent(clauseId)}/reopen/consent`,
    {},
  )
}

/** Shares a proposal of the caller's party with the table (party lead). */
export function shareProposal(negotiationId: string, proposalId: string): Promise<void> {
  return request(
    'POST',
    `${negotiationPath(negotiationId)}/proposals/${encodeURIComponent(proposalId)}/share`,
    {},
  )
}

/** Adopts a shared proposal into the working draft, optionally edited (mediator). */
export function adoptProposal(
  negotiationId: string,
  proposalId: string,
  text: string | null,
): Promise<void> {
  return request(
    'POST',
    `${negotiationPath(negotiationId)}/proposals/${encodeURIComponent(proposalId)}/adopt`,
    text === null ? {} : { text },
  )
}

/** Opens a vote at the table (mediator). */
export function openVote(
  negotiationId: string,
  vote: { clauseId: string; proposalId: string | null; question: string },
): Promise<void> {
  return request('POST', `${negotiationPath(negotiationId)}/votes`, vote)
}

/** Casts a ballot. */
export function castBallot(
  negotiationId: string,
  voteId: string,
  choice: 'yes' | 'no' | 'abstain',
): Promise<void> {
  return request(
    'POST',
    `${negotiationPath(negotiationId)}/votes/${encodeURIComponent(voteId)}/ballot`,
    { choice },
  )
}

/** Closes a vote (mediator). */
export function closeVote(negotiationId: string, voteId: string): Promise<void> {
  return request(
    'POST',
    `${negotiationPath(negotiationId)}/votes/${encodeURIComponent(voteId)}/close`,
    {},
  )
}

/** Iterations visible to the caller (observers: published ones), oldest first. */
export function fetchIterations(
  negotiationId: string,
): Promise<Array<{ number: number; createdAt: number; note: string; published: boolean }>> {
  return request('GET', `${negotiationPath(negotiationId)}/iterations`)
}

/** One clause of a comparison. */
export interface ClauseDiffRow {
  id: string
  number: string
  fromNumber: string | null
  heading: string
  change: 'added' | 'removed' | 'changed' | 'moved' | 'same'
  ops: Array<['=' | '+' | '-', string]>
}

/** The clause-by-clause comparison of iteration `from` with iteration `to`. */
export function fetchDiff(
  negotiationId: string,
  from: number,
  to: number,
): Promise<{ from: number; to: number; clauses: ClauseDiffRow[] }> {
  return request('GET', `${negotiationPath(negotiationId)}/diff?from=${from}&to=${to}`)
}

/** Everything that happened to one clause, iteration by iteration. */
export interface ClauseHistory {
  clauseId: string
  versions: Array<{
    iteration: number
    createdAt: number
    note: string
    number: string | null
    heading: string | null
    text: string | null
  }>
  proposals?: Array<{
    id: string
    partyId: string
    text: string
    rationale: string
    sharedAt: number
    sharedByName: string
    status: string
    baseIteration: number
  }>
  provenance?: Array<{
    at: number
    iteration: number
    partyId: string
    adoptedByName: string
    edited: boolean
    proposalId: string
  }>
  signoffs?: Array<{
    partyId: string
    name: string
    initials: string
    at: number
    iteration: number
  }>
  votes?: Array<{
    id: string
    question: string
    openedAt: number
    closedAt: number | null
    result: { outcome: string; yes: number; no: number; abstain: number } | null
  }>
}

/** The history of one clause. */
export function fetchClauseHistory(
  negotiationId: string,
  clauseId: string,
): Promise<ClauseHistory> {
  return request(
    'GET',
    `${negotiationPath(negotiationId)}/clauses/${encodeURIComponent(clauseId)}/history`,
  )
}

/** Starts a negotiation from an imported text; the caller becomes its mediator. */
export function createNegotiation(body: {
  title: string
  parties: string[]
  format: 'md' | 'docx'
  content: string
}): Promise<{ id: string }> {
  return request('POST', '/api/negotiations', body)
}

/** A local supplement the caller may open. */
export interface SupplementInfo {
  id: string
  title: string
  baseIteration: number
  createdAt: number
  document: string
  access: 'read' | 'write'
}

/** Local supplements the caller may open. */
export function fetchSupplements(negotiationId: string): Promise<SupplementInfo[]> {
  return request('GET', `${negotiationPath(negotiationId)}/supplements`)
}

/** Starts a local supplement from a published iteration (local tables). */
export function createSupplement(
  negotiationId: string,
  title: string,
  iteration: number,
): Promise<SupplementInfo> {
  return request('POST', `${negotiationPath(negotiationId)}/supplements`, { title, iteration })
}

/** A supplement compared with the national text it derives from. */
export function fetchSupplementDiff(
  negotiationId: string,
  supplementId: string,
): Promise<{
  baseIteration: number
  latestPublished: number
  nationalChanged: string[]
  clauses: ClauseDiffRow[]
}> {
  return request(
    'GET',
    `${negotiationPath(negotiationId)}/supplements/${encodeURIComponent(supplementId)}/diff`,
  )
}

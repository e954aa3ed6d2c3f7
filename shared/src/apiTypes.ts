/**
 * Types of the HTTP API's JSON bodies (docs/API.md), shared by the server that sends them and the
 * client that reads them.
 */
import type { DocumentKind } from './documentNames'

/** A role in a negotiation (DESIGN.md section 2). */
export type Role = 'mediator' | 'party-lead' | 'party-member' | 'drafting-team' | 'observer'

/** A signed-in user as the API shows them. */
export interface ApiUser {
  id: string
  email: string
  name: string
}

/** Body of `POST /api/login`'s answer. */
export interface LoginResponse {
  token: string
  user: ApiUser
}

/** One row of `GET /api/negotiations`. */
export interface NegotiationSummary {
  id: string
  title: string
  role: Role
  partyId: string | null
}

/** A party at the table. */
export interface ApiParty {
  id: string
  name: string
  color: string
}

/** A live document the caller may open. */
export interface ApiDocument {
  name: string
  kind: DocumentKind
  partyId?: string
  access: 'read' | 'write'
}

/** Body of `GET /api/negotiations/:id`. */
export interface NegotiationDetail {
  id: string
  title: string
  parties: ApiParty[]
  me: { userId: string; role: Role; partyId: string | null }
  documents: ApiDocument[]
}

/** Every error answer of the API. */
export interface ApiError {
  error: string
  message: string
}

/** Awareness identity the server stamps on every presence state (never trusted from a client). */
export interface PresenceUser {
  id: string
  name: string
  color: string
  role: Role | null
  partyId: string | null
}

/** A member as the mediator's members page shows them. */
export interface ApiMember {
  userId: string
  name: string
  email: string
  role: Role
  partyId: string | null
}

/** An invitation not yet used. */
export interface ApiInvite {
  email: string
  role: Role
  partyId: string | null
  createdAt: number
  expiresAt: number
}

/** Body of `GET /api/negotiations/:id/members`. */
export interface MembersResponse {
  members: ApiMember[]
  invites: ApiInvite[]
}

/** Body of `POST /api/negotiations/:id/invites`'s answer: the one-time link to pass on. */
export interface CreateInviteResponse {
  token: string
  /** Path of the invitation page, e.g. `/invite/<token>`; prefix it with the server's address. */
  path: string
  expiresAt: number
}

/** Body of `GET /api/invites/:token`: what the invited person is told before accepting. */
export interface InviteInfo {
  negotiationId: string
  negotiationTitle: string
  email: string
  role: Role
  partyId: string | null
  partyName: string | null
  /** True when an account with this email exists (accepting then asks for its password). */
  accountExists: boolean
}

/** One audit log entry. */
export interface ApiAuditEntry {
  id: number
  at: number
  action: string
  userId: string | null
  email: string | null
  address: string | null
  detail: Record<string, unknown>
}

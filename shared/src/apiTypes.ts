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

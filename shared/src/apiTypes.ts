/**
 * Types of the HTTP API's JSON bodies (docs/API.md), shared by the server that sends them and the
 * client that reads them: each is the static type of its schema in `api/`, so the type, the
 * server's validation and the OpenAPI document cannot drift apart.
 */
import type { Static } from 'typebox'
import type * as account from './api/accountSchemas'
import type * as iteration from './api/iterationSchemas'
import type * as member from './api/memberSchemas'
import type * as negotiation from './api/negotiationSchemas'
import type * as role from './api/roleSchemas'

/** A role in a negotiation (docs/DOMAIN.md "Roles"). */
export type Role = Static<typeof role.Role>
/** A signed-in user as the API shows them. */
export type ApiUser = Static<typeof account.ApiUser>
/** Body of `POST /api/login`'s answer. */
export type LoginResponse = Static<typeof account.LoginResponse>
/** One row of `GET /api/negotiations`. */
export type NegotiationSummary = Static<typeof negotiation.NegotiationSummary>
/** A party at the table. */
export type ApiParty = Static<typeof negotiation.ApiParty>
/** A live document the caller may open. */
export type ApiDocument = Static<typeof negotiation.ApiDocument>
/** Body of `GET /api/negotiations/:id`. */
export type NegotiationDetail = Static<typeof negotiation.NegotiationDetail>
/** A member as the mediator's members page shows them. */
export type ApiMember = Static<typeof member.ApiMember>
/** An invitation not yet used. */
export type ApiInvite = Static<typeof member.ApiInvite>
/** Body of `GET /api/negotiations/:id/members`. */
export type MembersResponse = Static<typeof member.MembersResponse>
/** Body of `POST /api/negotiations/:id/invites`'s answer: the one-time link to pass on. */
export type CreateInviteResponse = Static<typeof member.CreateInviteResponse>
/** Body of `GET /api/invites/:token`: what the invited person is told before accepting. */
export type InviteInfo = Static<typeof account.InviteInfo>
/** One audit log entry. */
export type ApiAuditEntry = Static<typeof member.ApiAuditEntry>

/** One clause of a comparison of two versions. */
export type ClauseDiffRow = Static<typeof iteration.ClauseDiffRow>

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

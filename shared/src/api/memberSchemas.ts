/**
 * Schemas of the mediator's member management: members, invitations and the audit log.
 */
import Type from 'typebox'
import { MAX_AUDIT_PAGE } from '../limits'
import { MAX_EMAIL_LENGTH } from './accountSchemas'
import { IdParam } from './commonSchemas'
import { PartyRef, Role } from './roleSchemas'

/** A member as the mediator's members page shows them. */
export const ApiMember = Type.Object({
  userId: Type.String(),
  name: Type.String(),
  email: Type.String(),
  role: Role,
  partyId: PartyRef,
})

/** An invitation not yet used. */
export const ApiInvite = Type.Object({
  email: Type.String(),
  role: Role,
  partyId: PartyRef,
  createdAt: Type.Integer(),
  expiresAt: Type.Integer(),
})

/** Body of `GET /api/negotiations/:id/members`. */
export const MembersResponse = Type.Object({
  members: Type.Array(ApiMember),
  invites: Type.Array(ApiInvite),
})

/** A role and party assignment (party roles need a party of the negotiation). */
export const Assignment = Type.Object({
  role: Role,
  partyId: Type.Optional(PartyRef),
})

/** Body of `POST /api/negotiations/:id/invites`. */
export const CreateInviteBody = Type.Object({
  email: Type.String({
    minLength: 3,
    maxLength: MAX_EMAIL_LENGTH,
    pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
  }),
  role: Role,
  partyId: Type.Optional(PartyRef),
})

/** Answer of `POST /api/negotiations/:id/invites`: the one-time link to pass on. */
export const CreateInviteResponse = Type.Object({
  token: Type.String(),
  path: Type.String({ description: 'Path of the invitation page, `/invite/<token>`.' }),
  url: Type.String({
    description: 'The whole link: PUBLIC_URL (or the address the request came to) and the path.',
  }),
  expiresAt: Type.Integer(),
})

/** Answer of changing a member. */
export const MemberChanged = Type.Object({ userId: Type.String(), role: Role, partyId: PartyRef })

/** `:id/members/:userId`. */
export const MemberParams = Type.Object({
  id: IdParam('The negotiation.'),
  userId: IdParam('The member’s user id.'),
})

/** Query of `GET /api/negotiations/:id/audit`. */
export const AuditQuery = Type.Object({
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_AUDIT_PAGE, description: 'Default 100.' }),
  ),
  before: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Only entries older than this entry id.' }),
  ),
})

/** One audit log entry. */
export const ApiAuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.Integer(),
  action: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
})

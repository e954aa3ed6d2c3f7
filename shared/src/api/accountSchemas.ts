/**
 * Schemas of signing in and accepting invitations.
 */
import Type from 'typebox'
import { MIN_PASSWORD_LENGTH } from '../limits'
import { IdParam } from './commonSchemas'
import { Role } from './roleSchemas'

/** Longest email address accepted. */
export const MAX_EMAIL_LENGTH = 320
/** Longest password accepted (longer ones would only cost hashing time). */
export const MAX_PASSWORD_LENGTH = 1000

/** A signed-in user as the API shows them. */
export const ApiUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  organizer: Type.Optional(
    Type.Boolean({ description: 'True when the user may start negotiations (ORGANIZERS).' }),
  ),
})

/** Body of `POST /api/login`. */
export const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: MAX_EMAIL_LENGTH }),
  password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
})

/** Answer of a sign-in: the session token (also set as the httpOnly cookie) and the user. */
export const LoginResponse = Type.Object({
  token: Type.String({ description: 'Bearer token of the session; browsers use the cookie.' }),
  user: ApiUser,
})

/** Answer of `GET /api/me`. */
export const MeResponse = Type.Object({ user: ApiUser })

/** `:token`, an invitation link's token. */
export const InviteParams = Type.Object({ token: IdParam('The token of the invitation link.') })

/** What the invited person is told before accepting. */
export const InviteInfo = Type.Object({
  negotiationId: Type.String(),
  negotiationTitle: Type.String(),
  email: Type.String(),
  role: Role,
  partyId: Type.Union([Type.String(), Type.Null()]),
  partyName: Type.Union([Type.String(), Type.Null()]),
  accountExists: Type.Boolean({
    description: 'True when an account with this email exists (accepting asks for its password).',
  }),
})

/** Body of accepting an invitation: `name` only for a new account. */
export const AcceptInviteBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  password: Type.String({
    minLength: 1,
    maxLength: MAX_PASSWORD_LENGTH,
    description: `The existing account's password, or a new one of at least ${MIN_PASSWORD_LENGTH} characters.`,
  }),
})

/**
 * Accepting an invitation: `GET /api/invites/:token` tells the invited person what they are
 * invited to; `POST /api/invites/:token/accept` creates their account (or checks the password of
 * the existing one, throttled and audited like a sign-in), adds the membership, uses up the link
 * and signs them in.
 */
import { randomUUID } from 'node:crypto'
import { MIN_PASSWORD_LENGTH } from '@onetext/shared/limits'
import type { FastifyInstance } from 'fastify'
import { hashPassword } from '../auth/passwords'
import type { SignInCheck } from '../auth/SignInCheck'
import { hashToken } from '../auth/sessions'
import type { InviteRecord, UserRecord } from '../storage/Directory'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'
import { SIGN_IN_RATE_LIMIT, startSession } from './authRoutes'
import { HttpError } from './HttpError'

async function openInvite(app: AppContext, token: string): Promise<InviteRecord> {
  const invite = await app.directory.findInvite(hashToken(token))
  if (!invite || invite.usedAt !== null || invite.expiresAt <= Date.now()) {
    throw new HttpError(
      404,
      'invite-invalid',
      'This invitation link is not valid: it may have been used or have expired.',
    )
  }
  return invite
}

/** Adds the invitation routes. */
export function addInviteRoutes(
  server: FastifyInstance,
  app: AppContext,
  check: SignInCheck,
): void {
  addRoute(server, 'GET /api/invites/:token', async ({ params }) => {
    const invite = await openInvite(app, params.token)
    const negotiation = await app.directory.findNegotiation(invite.negotiationId)
    const parties = await app.directory.listParties(invite.negotiationId)
    return {
      negotiationId: invite.negotiationId,
      negotiationTitle: negotiation?.title ?? '',
      email: invite.email,
      role: invite.role,
      partyId: invite.partyId,
      partyName: parties.find((party) => party.id === invite.partyId)?.name ?? null,
      accountExists: (await app.directory.findUserByEmail(invite.email)) !== null,
    }
  })

  addRoute(
    server,
    'POST /api/invites/:token/accept',
    async ({ params, body, request, reply, asker }) => {
      const invite = await openInvite(app, params.token)
      let user: UserRecord | null = await app.directory.findUserByEmail(invite.email)
      if (user) {
        user = await check.verify({
          email: invite.email,
          password: body.password,
          address: asker.address,
          via: 'invite',
          negotiationId: invite.negotiationId,
        })
      } else {
        const name = body.name?.trim() ?? ''
        if (name === '') throw new HttpError(400, 'invalid-body', '"name" is required.')
        if (body.password.length < MIN_PASSWORD_LENGTH) {
          throw new HttpError(
            400,
            'weak-password',
            `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`,
          )
        }
        user = {
          id: randomUUID(),
          email: invite.email,
          name,
          passwordHash: await hashPassword(body.password),
        }
      }
      // Use the link first, atomically, so that two simultaneous accepts cannot both succeed.
      if (!(await app.directory.useInvite(hashToken(params.token), Date.now()))) {
        throw new HttpError(404, 'invite-invalid', 'This invitation link has already been used.')
      }
      if (!(await app.directory.findUserById(user.id))) await app.directory.createUser(user)
      await app.directory.putMember({
        negotiationId: invite.negotiationId,
        userId: user.id,
        role: invite.role,
        partyId: invite.partyId,
      })
      await app.accessChanges.memberChanged(invite.negotiationId, user.id)
      app.audit.record({
        action: 'member-joined',
        negotiationId: invite.negotiationId,
        userId: user.id,
        email: user.email,
        address: asker.address,
        detail: { role: invite.role, partyId: invite.partyId, invitedBy: invite.createdBy },
      })
      return startSession(app, request, reply, user)
    },
    SIGN_IN_RATE_LIMIT,
  )
}

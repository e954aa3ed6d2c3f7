/**
 * Accepting an invitation: `GET /api/invites/:token` tells the invited person what they are
 * invited to; `POST /api/invites/:token/accept` creates their account (or checks the password of
 * the existing one), adds the membership, uses up the link and signs them in.
 */
import { randomUUID } from 'node:crypto'
import type { InviteInfo } from '@onetext/shared/apiTypes'
import { AccessChanged } from '@onetext/shared/closeCodes'
import { MIN_PASSWORD_LENGTH } from '@onetext/shared/limits'
import { hashPassword, verifyPassword } from '../auth/passwords'
import { hashToken } from '../auth/sessions'
import type { InviteRecord, UserRecord } from '../storage/Directory'
import type { AppContext } from './AppContext'
import { answerWithSession } from './authRoutes'
import { HttpError, readJsonBody, requireString, sendJson } from './json'
import type { Router } from './Router'
import { clientAddress } from './requestAuth'

async function openInvite(app: AppContext, token: string): Promise<InviteRecord> {
  const invite = token.length <= 200 ? await app.directory.findInvite(hashToken(token)) : null
  if (!invite || invite.usedAt !== null || invite.expiresAt <= Date.now()) {
    throw new HttpError(
      404,
      'invite-invalid',
      'This invitation link is not valid: it may have been used or have expired.',
    )
  }
  return invite
}

/** Adds the invitation routes to `router`. */
export function addInviteRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/invites/:token', async (context) => {
    const invite = await openInvite(app, context.params.token ?? '')
    const negotiation = await app.directory.findNegotiation(invite.negotiationId)
    const parties = await app.directory.listParties(invite.negotiationId)
    const info: InviteInfo = {
      negotiationId: invite.negotiationId,
      negotiationTitle: negotiation?.title ?? '',
      email: invite.email,
      role: invite.role,
      partyId: invite.partyId,
      partyName: parties.find((party) => party.id === invite.partyId)?.name ?? null,
      accountExists: (await app.directory.findUserByEmail(invite.email)) !== null,
    }
    sendJson(context.response, 200, info)
  })

  router.add('POST', '/api/invites/:token/accept', async (context) => {
    const token = context.params.token ?? ''
    const invite = await openInvite(app, token)
    const body = await readJsonBody(context.request)
    const password = requireString(body, 'password', 1000)
    let user: UserRecord | null = await app.directory.findUserByEmail(invite.email)
    if (user) {
      if (!(await verifyPassword(password, user.passwordHash))) {
        throw new HttpError(401, 'invalid-credentials', 'Wrong password for this account.')
      }
    } else {
      const name = requireString(body, 'name', 200).trim()
      if (password.length < MIN_PASSWORD_LENGTH) {
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
        passwordHash: await hashPassword(password),
      }
    }
    // Use the link first, atomically, so that two simultaneous accepts cannot both succeed.
    if (!(await app.directory.useInvite(hashToken(token), Date.now()))) {
      throw new HttpError(404, 'invite-invalid', 'This invitation link has already been used.')
    }
    if (!(await app.directory.findUserById(user.id))) await app.directory.createUser(user)
    await app.directory.putMember({
      negotiationId: invite.negotiationId,
      userId: user.id,
      role: invite.role,
      partyId: invite.partyId,
    })
    app.connections.closeFor(invite.negotiationId, user.id, AccessChanged)
    app.audit.record({
      action: 'member-joined',
      negotiationId: invite.negotiationId,
      userId: user.id,
      email: user.email,
      address: clientAddress(context.request),
      detail: { role: invite.role, partyId: invite.partyId, invitedBy: invite.createdBy },
    })
    await answerWithSession(app, context.response, context.request, user)
  })
}

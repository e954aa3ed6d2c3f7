/**
 * Member management for the mediator: list members and open invitations, invite by email (a
 * one-time link the mediator passes on; no mail server is assumed), change role and party, remove,
 * and read the audit log. A change closes the member's open connections in that negotiation at
 * once (close code 4409), on every process (AccessChanges), so access follows the change.
 */
import { randomBytes } from 'node:crypto'
import type { Role } from '@onetext/shared/apiTypes'
import { INVITE_TTL_MS } from '@onetext/shared/limits'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { assignmentProblem } from '../access/roles'
import { hashToken } from '../auth/sessions'
import type { MemberRecord } from '../storage/Directory'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'
import { HttpError } from './HttpError'

/** Checks `{role, partyId}` against the negotiation's parties (400 `invalid-assignment`). */
async function checkAssignment(
  app: AppContext,
  negotiationId: string,
  role: Role,
  partyId: string | null,
): Promise<void> {
  const problem = assignmentProblem(role, partyId, await app.directory.listParties(negotiationId))
  if (problem) throw new HttpError(400, 'invalid-assignment', problem)
}

/** 409 when the change would leave the negotiation without a mediator. */
async function keepAMediator(
  app: AppContext,
  negotiationId: string,
  userId: string,
  nextRole: Role | null,
): Promise<void> {
  const members = await app.directory.listMembers(negotiationId)
  const target = members.find((member) => member.userId === userId)
  if (target?.role !== 'mediator' || nextRole === 'mediator') return
  if (members.filter((member) => member.role === 'mediator').length <= 1) {
    throw new HttpError(409, 'last-mediator', 'A negotiation needs at least one mediator.')
  }
}

async function memberTarget(
  app: AppContext,
  negotiationId: string,
  userId: string,
): Promise<MemberRecord> {
  const member = await app.directory.findMember(negotiationId, userId)
  if (!member) throw new HttpError(404, 'not-found', 'No such member.')
  return member
}

/** The address people reach the server at: PUBLIC_URL, else the one this request came to. */
function publicBase(app: AppContext, request: FastifyRequest): string {
  return app.publicUrl ?? `${request.protocol}://${request.host}`
}

/** Adds the member management routes. */
export function addMemberRoutes(server: FastifyInstance, app: AppContext): void {
  addRoute(server, 'GET /api/negotiations/:id/members', async ({ params, asker }) => {
    await app.policy.require(asker, params.id, 'manage-members')
    const members = (await app.directory.listMembers(params.id)).map((member) => ({
      userId: member.userId,
      name: member.name,
      email: member.email,
      role: member.role,
      partyId: member.partyId,
    }))
    const invites = (await app.directory.listOpenInvites(params.id, Date.now())).map((invite) => ({
      email: invite.email,
      role: invite.role,
      partyId: invite.partyId,
      createdAt: invite.createdAt,
      expiresAt: invite.expiresAt,
    }))
    return { members, invites }
  })

  addRoute(
    server,
    'POST /api/negotiations/:id/invites',
    async ({ params, body, asker, request }) => {
      const negotiationId = params.id
      const { user } = await app.policy.require(asker, negotiationId, 'manage-members')
      const email = body.email.trim()
      const partyId = body.partyId ?? null
      await checkAssignment(app, negotiationId, body.role, partyId)
      const existing = await app.directory.findUserByEmail(email)
      if (existing && (await app.directory.findMember(negotiationId, existing.id))) {
        throw new HttpError(
          409,
          'already-member',
          `${email} is already a member of this negotiation.`,
        )
      }
      const token = randomBytes(32).toString('base64url')
      const now = Date.now()
      await app.directory.createInvite({
        tokenHash: hashToken(token),
        negotiationId,
        email,
        role: body.role,
        partyId,
        createdBy: user.id,
        createdAt: now,
        expiresAt: now + INVITE_TTL_MS,
        usedAt: null,
      })
      app.audit.record({
        action: 'member-invited',
        negotiationId,
        userId: user.id,
        email: user.email,
        address: asker.address,
        detail: { invited: email, role: body.role, partyId },
      })
      const path = `/invite/${token}`
      return {
        token,
        path,
        url: `${publicBase(app, request)}${path}`,
        expiresAt: now + INVITE_TTL_MS,
      }
    },
  )

  addRoute(
    server,
    'PATCH /api/negotiations/:id/members/:userId',
    async ({ params, body, asker }) => {
      const negotiationId = params.id
      const { user } = await app.policy.require(asker, negotiationId, 'manage-members')
      const target = await memberTarget(app, negotiationId, params.userId)
      const role = body.role
      const partyId = body.partyId ?? null
      await checkAssignment(app, negotiationId, role, partyId)
      await keepAMediator(app, negotiationId, target.userId, role)
      await app.directory.putMember({ negotiationId, userId: target.userId, role, partyId })
      const closed = await app.accessChanges.memberChanged(negotiationId, target.userId)
      app.audit.record({
        action: 'member-changed',
        negotiationId,
        userId: user.id,
        email: user.email,
        address: asker.address,
        detail: {
          member: target.userId,
          from: { role: target.role, partyId: target.partyId },
          to: { role, partyId },
          closed,
        },
      })
      return { userId: target.userId, role, partyId }
    },
  )

  addRoute(server, 'DELETE /api/negotiations/:id/members/:userId', async ({ params, asker }) => {
    const negotiationId = params.id
    const { user } = await app.policy.require(asker, negotiationId, 'manage-members')
    const target = await memberTarget(app, negotiationId, params.userId)
    await keepAMediator(app, negotiationId, target.userId, null)
    await app.directory.removeMember(negotiationId, target.userId)
    const closed = await app.accessChanges.memberChanged(negotiationId, target.userId)
    app.audit.record({
      action: 'member-removed',
      negotiationId,
      userId: user.id,
      email: user.email,
      address: asker.address,
      detail: { member: target.userId, role: target.role, partyId: target.partyId, closed },
    })
    return { ok: true as const }
  })

  addRoute(server, 'GET /api/negotiations/:id/audit', async ({ params, query, asker }) => {
    await app.policy.require(asker, params.id, 'read-audit')
    const entries = await app.audit.listForNegotiation(params.id, query.limit ?? 100, query.before)
    return entries.map((entry) => ({
      id: entry.id,
      at: entry.at,
      action: entry.action,
      userId: entry.userId,
      email: entry.email,
      address: entry.address,
      detail: entry.detail,
    }))
  })
}

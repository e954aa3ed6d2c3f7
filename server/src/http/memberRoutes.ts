/**
 * Member management for the mediator: list members and open invitations, invite by email (a
 * one-time link the mediator passes on; no mail server is assumed), change role and party, remove,
 * and read the audit log. A change closes the member's open connections in that negotiation at
 * once (close code 4409), so access follows the change.
 */
import { randomBytes } from 'node:crypto'
import type {
  ApiAuditEntry,
  ApiMember,
  CreateInviteResponse,
  MembersResponse,
  Role,
} from '@onetext/shared/apiTypes'
import { AccessChanged } from '@onetext/shared/closeCodes'
import { INVITE_TTL_MS, MAX_AUDIT_PAGE } from '@onetext/shared/limits'
import { assignmentProblem, isRole } from '../access/roles'
import { hashToken } from '../auth/sessions'
import type { MemberRecord } from '../storage/Directory'
import type { AppContext } from './AppContext'
import { HttpError, readJsonBody, requireString, sendJson } from './json'
import type { RouteContext, Router } from './Router'
import { clientAddress, requireMediator } from './requestAuth'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Reads `{role, partyId}` from a body and checks it against the negotiation's parties. */
async function readAssignment(
  app: AppContext,
  negotiationId: string,
  body: Record<string, unknown>,
): Promise<{ role: Role; partyId: string | null }> {
  const role = body.role
  if (!isRole(role)) throw new HttpError(400, 'invalid-body', '"role" must be one of the roles.')
  const partyId = body.partyId === undefined || body.partyId === null ? null : body.partyId
  if (partyId !== null && typeof partyId !== 'string') {
    throw new HttpError(400, 'invalid-body', '"partyId" must be a string or null.')
  }
  const problem = assignmentProblem(role, partyId, await app.directory.listParties(negotiationId))
  if (problem) throw new HttpError(400, 'invalid-assignment', problem)
  return { role, partyId }
}

/** 409 when `change` would leave the negotiation without a mediator. */
async function keepAMediator(
  app: AppContext,
  negotiationId: string,
  userId: string,
  nextRole: Role | null,
) {
  const members = await app.directory.listMembers(negotiationId)
  const target = members.find((member) => member.userId === userId)
  if (target?.role !== 'mediator' || nextRole === 'mediator') return
  if (members.filter((member) => member.role === 'mediator').length <= 1) {
    throw new HttpError(409, 'last-mediator', 'A negotiation needs at least one mediator.')
  }
}

function memberTarget(app: AppContext, context: RouteContext): Promise<MemberRecord> {
  const negotiationId = context.params.id ?? ''
  const userId = context.params.userId ?? ''
  return app.directory.findMember(negotiationId, userId).then((member) => {
    if (!member) throw new HttpError(404, 'not-found', 'No such member.')
    return member
  })
}

/** Adds the member management routes to `router`. */
export function addMemberRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/negotiations/:id/members', async (context) => {
    const negotiationId = context.params.id ?? ''
    await requireMediator(app, context, negotiationId)
    const members: ApiMember[] = (await app.directory.listMembers(negotiationId)).map((member) => ({
      userId: member.userId,
      name: member.name,
      email: member.email,
      role: member.role,
      partyId: member.partyId,
    }))
    const invites = (await app.directory.listOpenInvites(negotiationId, Date.now())).map(
      (invite) => ({
        email: invite.email,
        role: invite.role,
        partyId: invite.partyId,
        createdAt: invite.createdAt,
        expiresAt: invite.expiresAt,
      }),
    )
    const answer: MembersResponse = { members, invites }
    sendJson(context.response, 200, answer)
  })

  router.add('POST', '/api/negotiations/:id/invites', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user } = await requireMediator(app, context, negotiationId)
    const body = await readJsonBody(context.request)
    const email = requireString(body, 'email', 320).trim()
    if (!EMAIL.test(email))
      throw new HttpError(400, 'invalid-body', '"email" must be an email address.')
    const { role, partyId } = await readAssignment(app, negotiationId, body)
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
      role,
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
      address: clientAddress(context.request),
      detail: { invited: email, role, partyId },
    })
    const answer: CreateInviteResponse = {
      token,
      path: `/invite/${token}`,
      expiresAt: now + INVITE_TTL_MS,
    }
    sendJson(context.response, 201, answer)
  })

  router.add('PATCH', '/api/negotiations/:id/members/:userId', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user } = await requireMediator(app, context, negotiationId)
    const target = await memberTarget(app, context)
    const { role, partyId } = await readAssignment(
      app,
      negotiationId,
      await readJsonBody(context.request),
    )
    await keepAMediator(app, negotiationId, target.userId, role)
    await app.directory.putMember({ negotiationId, userId: target.userId, role, partyId })
    const closed = app.connections.closeFor(negotiationId, target.userId, AccessChanged)
    app.audit.record({
      action: 'member-changed',
      negotiationId,
      userId: user.id,
      email: user.email,
      address: clientAddress(context.request),
      detail: {
        member: target.userId,
        from: { role: target.role, partyId: target.partyId },
        to: { role, partyId },
        closed,
      },
    })
    sendJson(context.response, 200, { userId: target.userId, role, partyId })
  })

  router.add('DELETE', '/api/negotiations/:id/members/:userId', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user } = await requireMediator(app, context, negotiationId)
    const target = await memberTarget(app, context)
    await keepAMediator(app, negotiationId, target.userId, null)
    await app.directory.removeMember(negotiationId, target.userId)
    const closed = app.connections.closeFor(negotiationId, target.userId, AccessChanged)
    app.audit.record({
      action: 'member-removed',
      negotiationId,
      userId: user.id,
      email: user.email,
      address: clientAddress(context.request),
      detail: { member: target.userId, role: target.role, partyId: target.partyId, closed },
    })
    sendJson(context.response, 200, { ok: true })
  })

  router.add('GET', '/api/negotiations/:id/audit', async (context) => {
    const negotiationId = context.params.id ?? ''
    await requireMediator(app, context, negotiationId)
    const limit = Math.min(
      MAX_AUDIT_PAGE,
      Math.max(1, Number(context.url.searchParams.get('limit') ?? 100) || 100),
    )
    const beforeParam = context.url.searchParams.get('before')
    const before = beforeParam === null ? undefined : Number(beforeParam)
    if (before !== undefined && !Number.isInteger(before)) {
      throw new HttpError(400, 'invalid-query', '"before" must be an entry id.')
    }
    const entries: ApiAuditEntry[] = (
      await app.audit.listForNegotiation(negotiationId, limit, before)
    ).map((entry) => ({
      id: entry.id,
      at: entry.at,
      action: entry.action,
      userId: entry.userId,
      email: entry.email,
      address: entry.address,
      detail: entry.detail,
    }))
    sendJson(context.response, 200, entries)
  })
}

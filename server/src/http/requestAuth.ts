/**
 * Who is asking, and may they: the signed-in user, their membership, mediator-only checks. Every
 * refusal is recorded in the audit log.
 */
import type { IncomingMessage } from 'node:http'
import { authenticate } from '../auth/sessions'
import type { MemberRecord, UserRecord } from '../storage/Directory'
import type { AppContext } from './AppContext'
import { HttpError } from './json'
import type { RouteContext } from './Router'

/** The client address of a request. */
export function clientAddress(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown'
}

/** The signed-in user, or 401. */
export async function requireUser(app: AppContext, context: RouteContext): Promise<UserRecord> {
  const session = await authenticate(app.directory, context.request, context.url, false)
  if (!session) throw new HttpError(401, 'unauthorized', 'Sign in first.')
  return session.user
}

/**
 * The caller's membership of negotiation `negotiationId`, or 404 (the same answer as for a
 * negotiation that does not exist).
 */
export async function requireMember(
  app: AppContext,
  context: RouteContext,
  negotiationId: string,
): Promise<{ user: UserRecord; member: MemberRecord }> {
  const user = await requireUser(app, context)
  const member = await app.directory.findMember(negotiationId, user.id)
  if (!member) {
    app.audit.record({
      action: 'request-refused',
      negotiationId,
      userId: user.id,
      email: user.email,
      address: clientAddress(context.request),
      detail: { method: context.request.method, path: context.url.pathname, status: 404 },
    })
    throw new HttpError(404, 'not-found', 'No such negotiation.')
  }
  return { user, member }
}

/** Like {@link requireMember}, and 403 unless the caller is a mediator of the negotiation. */
export async function requireMediator(
  app: AppContext,
  context: RouteContext,
  negotiationId: string,
): Promise<{ user: UserRecord; member: MemberRecord }> {
  const found = await requireMember(app, context, negotiationId)
  if (found.member.role !== 'mediator') {
    app.audit.record({
      action: 'request-refused',
      negotiationId,
      userId: found.user.id,
      email: found.user.email,
      address: clientAddress(context.request),
      detail: { method: context.request.method, path: context.url.pathname, status: 403 },
    })
    throw new HttpError(403, 'forbidden', 'Only the mediator may do this.')
  }
  return found
}

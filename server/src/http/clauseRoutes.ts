/**
 * Clauses, sign-off and reopening: `GET /clauses`, `POST /clauses/:clauseId/signoff`,
 * `POST /clauses/:clauseId/reopen`, `POST /clauses/:clauseId/reopen/consent`.
 */
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { HttpError, readJsonBody, requireString, sendJson } from './json'
import type { RouteContext, Router } from './Router'
import { requireMember } from './requestAuth'

/** A member who sits at the table (not an observer), or 403. */
export async function requireTableMember(
  app: AppContext,
  context: RouteContext,
  negotiationId: string,
) {
  const found = await requireMember(app, context, negotiationId)
  if (found.member.role === 'observer') {
    throw new HttpError(403, 'forbidden', 'Observers see published iterations only.')
  }
  return found
}

/** Adds the clause routes to `router`. */
export function addClauseRoutes(
  router: Router,
  app: AppContext,
  services: NegotiationServices,
): void {
  router.add('GET', '/api/negotiations/:id/clauses', async (context) => {
    const negotiationId = context.params.id ?? ''
    await requireTableMember(app, context, negotiationId)
    sendJson(context.response, 200, await services.clauses.list(negotiationId))
  })

  router.add('POST', '/api/negotiations/:id/clauses/:clauseId/signoff', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user, member } = await requireTableMember(app, context, negotiationId)
    const body = await readJsonBody(context.request)
    const initials = requireString(body, 'initials', 8)
    const state = await services.clauses.signoff(
      negotiationId,
      user,
      member,
      context.params.clauseId ?? '',
      initials,
    )
    sendJson(context.response, 200, state)
  })

  router.add('POST', '/api/negotiations/:id/clauses/:clauseId/reopen', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user, member } = await requireTableMember(app, context, negotiationId)
    const body = await readJsonBody(context.request)
    const reason = typeof body.reason === 'string' ? body.reason : ''
    const state = await services.clauses.requestReopen(
      negotiationId,
      user,
      member,
      context.params.clauseId ?? '',
      reason,
    )
    sendJson(context.response, 200, state)
  })

  router.add('POST', '/api/negotiations/:id/clauses/:clauseId/reopen/consent', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user, member } = await requireTableMember(app, context, negotiationId)
    const state = await services.clauses.consentReopen(
      negotiationId,
      user,
      member,
      context.params.clauseId ?? '',
    )
    sendJson(context.response, 200, state)
  })
}

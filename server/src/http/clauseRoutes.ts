/**
 * Clauses, sign-off and reopening: `GET /clauses`, `POST /clauses/:clauseId/signoff`,
 * `POST /clauses/:clauseId/reopen`, `POST /clauses/:clauseId/reopen/consent` and
 * `/reopen/decline`.
 */
import type { FastifyInstance } from 'fastify'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'

/** Adds the clause routes. */
export function addClauseRoutes(
  server: FastifyInstance,
  app: AppContext,
  services: NegotiationServices,
): void {
  addRoute(server, 'GET /api/negotiations/:id/clauses', async ({ params, asker }) => {
    await app.policy.require(asker, params.id, 'read-clauses')
    return services.clauses.list(params.id)
  })

  addRoute(
    server,
    'POST /api/negotiations/:id/clauses/:clauseId/signoff',
    async ({ params, body, asker }) => {
      const { user, member } = await app.policy.require(asker, params.id, 'signoff')
      await services.docs.untilSynced(services.docs.statusName(params.id), body.clientState)
      return services.commands.run(params.id, () =>
        services.clauses.signoff(params.id, user, member, params.clauseId, body.initials),
      )
    },
  )

  addRoute(
    server,
    'POST /api/negotiations/:id/clauses/:clauseId/reopen',
    async ({ params, body, asker }) => {
      const { user, member } = await app.policy.require(asker, params.id, 'request-reopen')
      return services.commands.run(params.id, () =>
        services.clauses.requestReopen(params.id, user, member, params.clauseId, body.reason ?? ''),
      )
    },
  )

  addRoute(
    server,
    'POST /api/negotiations/:id/clauses/:clauseId/reopen/consent',
    async ({ params, asker }) => {
      const { user, member } = await app.policy.require(asker, params.id, 'consent-reopen')
      return services.commands.run(params.id, () =>
        services.clauses.consentReopen(params.id, user, member, params.clauseId),
      )
    },
  )

  addRoute(
    server,
    'POST /api/negotiations/:id/clauses/:clauseId/reopen/decline',
    async ({ params, body, asker }) => {
      const { user, member } = await app.policy.require(asker, params.id, 'consent-reopen')
      return services.commands.run(params.id, () =>
        services.clauses.declineReopen(params.id, user, member, params.clauseId, body.reason),
      )
    },
  )
}

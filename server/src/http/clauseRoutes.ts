/**
 * Clauses, sign-off and reopening: `GET /clauses`, `GET /draft/clauses` (the working draft's clause
 * tree), `POST /clauses/:clauseId/signoff`, `POST /clauses/:clauseId/reopen`,
 * `POST /clauses/:clauseId/reopen/consent` and `/reopen/decline`.
 */
import { clauseTree } from '@onetext/shared/clauses'
import type { FastifyInstance } from 'fastify'
import { draftJson } from '../negotiation/draftOps'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'
import { HttpError } from './HttpError'

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

  // Whoever may open the working draft may read its tree, and anyone else is refused as the draft
  // refuses them (recorded as `document-refused`): 404 for a non-member, as for a negotiation that
  // does not exist, 403 for a member.
  addRoute(server, 'GET /api/negotiations/:id/draft/clauses', async ({ params, asker }) => {
    const { user } = await app.policy.require(asker, params.id, 'read-negotiation')
    const name = services.docs.draftName(params.id)
    const decision = await app.policy.openDocument(user, name, asker.address)
    if (decision.access === 'none') {
      throw new HttpError(
        403,
        'forbidden',
        'The working draft is the mediator’s and the drafting team’s.',
      )
    }
    const tree = await services.docs.registry.withDocument(name, (document) =>
      clauseTree(draftJson(document.doc)),
    )
    return { tree }
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

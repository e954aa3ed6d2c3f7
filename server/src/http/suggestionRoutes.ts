/**
 * Suggestions: the list (filtered by who asks), sharing (party lead), and accepting or rejecting
 * shared changes (mediator). Decisions answer once the working draft and the status are on disk.
 */
import type { FastifyInstance } from 'fastify'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'

/** Adds the suggestion routes. */
export function addSuggestionRoutes(
  server: FastifyInstance,
  app: AppContext,
  services: NegotiationServices,
): void {
  addRoute(server, 'GET /api/negotiations/:id/suggestions', async ({ params, query, asker }) => {
    const { member } = await app.policy.require(asker, params.id, 'read-suggestions')
    return services.suggestions.list(params.id, member, {
      ...(query.clause !== undefined ? { clause: query.clause } : {}),
      ...(query.iteration !== undefined ? { iteration: query.iteration } : {}),
    })
  })

  addRoute(
    server,
    'POST /api/negotiations/:id/suggestions/share',
    async ({ params, body, asker }) => {
      const { user, member } = await app.policy.require(asker, params.id, 'share-suggestions')
      if (member.partyId !== null)
        await services.docs.untilSynced(
          services.docs.copyName(params.id, member.partyId, body.iteration),
          body.clientState,
        )
      return services.commands.run(params.id, () =>
        services.suggestions.share(params.id, user, member, {
          iteration: body.iteration,
          ...(body.clauseIds ? { clauseIds: body.clauseIds } : {}),
        }),
      )
    },
  )

  const decisions = [
    ['POST /api/negotiations/:id/suggestions/:suggestionId/changes/:changeId/accept', 'accept'],
    ['POST /api/negotiations/:id/suggestions/:suggestionId/changes/:changeId/reject', 'reject'],
  ] as const
  for (const [key, decision] of decisions) {
    addRoute(server, key, async ({ params, body, asker }) => {
      const { user } = await app.policy.require(asker, params.id, 'decide-suggestion')
      await services.docs.untilSynced(services.docs.draftName(params.id), body?.clientState)
      return services.commands.run(params.id, () =>
        services.suggestions[decision](params.id, user, params.suggestionId, params.changeId),
      )
    })
  }

  const wholeDecisions = [
    ['POST /api/negotiations/:id/suggestions/:suggestionId/accept', 'accept'],
    ['POST /api/negotiations/:id/suggestions/:suggestionId/reject', 'reject'],
  ] as const
  for (const [key, decision] of wholeDecisions) {
    addRoute(server, key, async ({ params, body, asker }) => {
      const { user } = await app.policy.require(asker, params.id, 'decide-suggestion')
      await services.docs.untilSynced(services.docs.draftName(params.id), body?.clientState)
      return services.commands.run(params.id, () =>
        services.suggestions[decision](params.id, user, params.suggestionId, 'all'),
      )
    })
  }
}

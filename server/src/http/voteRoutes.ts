/**
 * Up-or-down votes at the table: the mediator opens one on a clause (optionally on a shared
 * suggestion), party members cast ballots, a party lead sets what the table sees of the party, and
 * the mediator closes it.
 */
import type { FastifyInstance } from 'fastify'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'

/** Adds the vote routes. */
export function addVoteRoutes(
  server: FastifyInstance,
  app: AppContext,
  services: NegotiationServices,
): void {
  addRoute(server, 'POST /api/negotiations/:id/votes', async ({ params, body, asker }) => {
    const { user } = await app.policy.require(asker, params.id, 'open-vote')
    return services.commands.run(params.id, () =>
      services.votes.open(params.id, user, {
        clauseId: body.clauseId,
        suggestionId: body.suggestionId ?? null,
        question: body.question,
        ...(body.rule ? { rule: body.rule } : {}),
      }),
    )
  })

  addRoute(
    server,
    'POST /api/negotiations/:id/votes/:voteId/ballot',
    async ({ params, body, asker }) => {
      const { user, member } = await app.policy.require(asker, params.id, 'cast-ballot')
      await services.commands.run(params.id, () =>
        services.votes.ballot(params.id, user, member, params.voteId, body.choice),
      )
      return { ok: true as const }
    },
  )

  addRoute(
    server,
    'POST /api/negotiations/:id/votes/:voteId/stance',
    async ({ params, body, asker }) => {
      const { member } = await app.policy.require(asker, params.id, 'set-vote-stance')
      await services.commands.run(params.id, () =>
        services.votes.stance(params.id, member, params.voteId, {
          ...(body.showTally !== undefined ? { showTally: body.showTally } : {}),
          ...(body.dissent !== undefined ? { dissent: body.dissent } : {}),
        }),
      )
      return { ok: true as const }
    },
  )

  addRoute(server, 'POST /api/negotiations/:id/votes/:voteId/close', async ({ params, asker }) => {
    await app.policy.require(asker, params.id, 'close-vote')
    return services.commands.run(params.id, () => services.votes.close(params.id, params.voteId))
  })
}

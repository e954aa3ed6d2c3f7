/**
 * Proposals and votes: share (party lead), adopt (mediator), and up-or-down votes at the table.
 */
import type { FastifyInstance } from 'fastify'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'

/** Adds the proposal and vote routes. */
export function addProposalRoutes(
  server: FastifyInstance,
  app: AppContext,
  services: NegotiationServices,
): void {
  addRoute(
    server,
    'POST /api/negotiations/:id/proposals/:proposalId/share',
    async ({ params, body, asker }) => {
      const { user, member } = await app.policy.require(asker, params.id, 'share-proposal')
      if (member.partyId !== null)
        await services.docs.untilSynced(
          services.docs.layerName(params.id, member.partyId),
          body?.clientState,
        )
      return services.commands.run(params.id, () =>
        services.proposals.share(params.id, user, member, params.proposalId),
      )
    },
  )

  addRoute(
    server,
    'POST /api/negotiations/:id/proposals/:proposalId/adopt',
    async ({ params, body, asker }) => {
      const { user } = await app.policy.require(asker, params.id, 'adopt-proposal')
      await services.docs.untilSynced(services.docs.draftName(params.id), body.clientState)
      return services.commands.run(params.id, () =>
        services.proposals.adopt(params.id, user, params.proposalId, body.text ?? null),
      )
    },
  )

  addRoute(server, 'POST /api/negotiations/:id/votes', async ({ params, body, asker }) => {
    const { user } = await app.policy.require(asker, params.id, 'open-vote')
    return services.commands.run(params.id, () =>
      services.votes.open(params.id, user, {
        clauseId: body.clauseId,
        proposalId: body.proposalId ?? null,
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

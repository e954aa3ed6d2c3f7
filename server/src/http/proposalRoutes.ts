/**
 * Proposals and votes: share (party lead), adopt (mediator), and up-or-down votes at the table.
 */
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { requireTableMember } from './clauseRoutes'
import { HttpError, readJsonBody, requireString, sendJson } from './json'
import type { Router } from './Router'
import { requireMediator } from './requestAuth'

/** Adds the proposal and vote routes to `router`. */
export function addProposalRoutes(
  router: Router,
  app: AppContext,
  services: NegotiationServices,
): void {
  router.add('POST', '/api/negotiations/:id/proposals/:proposalId/share', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user, member } = await requireTableMember(app, context, negotiationId)
    const shared = await services.proposals.share(
      negotiationId,
      user,
      member,
      context.params.proposalId ?? '',
    )
    sendJson(context.response, 200, shared)
  })

  router.add('POST', '/api/negotiations/:id/proposals/:proposalId/adopt', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user } = await requireMediator(app, context, negotiationId)
    const body = await readJsonBody(context.request)
    if (body.text !== undefined && typeof body.text !== 'string') {
      throw new HttpError(400, 'invalid-body', '"text" must be a string when given.')
    }
    const text = typeof body.text === 'string' ? body.text : null
    const state = await services.proposals.adopt(
      negotiationId,
      user,
      context.params.proposalId ?? '',
      text,
    )
    sendJson(context.response, 200, state)
  })

  router.add('POST', '/api/negotiations/:id/votes', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user } = await requireMediator(app, context, negotiationId)
    const body = await readJsonBody(context.request)
    const clauseId = requireString(body, 'clauseId', 100)
    const proposalId = typeof body.proposalId === 'string' ? body.proposalId : null
    const question = requireString(body, 'question', 1000)
    sendJson(
      context.response,
      201,
      await services.votes.open(negotiationId, user, { clauseId, proposalId, question }),
    )
  })

  router.add('POST', '/api/negotiations/:id/votes/:voteId/ballot', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user, member } = await requireTableMember(app, context, negotiationId)
    const body = await readJsonBody(context.request)
    await services.votes.ballot(
      negotiationId,
      user,
      member,
      context.params.voteId ?? '',
      requireString(body, 'choice', 10),
    )
    sendJson(context.response, 200, { ok: true })
  })

  router.add('POST', '/api/negotiations/:id/votes/:voteId/close', async (context) => {
    const negotiationId = context.params.id ?? ''
    await requireMediator(app, context, negotiationId)
    sendJson(
      context.response,
      200,
      await services.votes.close(negotiationId, context.params.voteId ?? ''),
    )
  })
}

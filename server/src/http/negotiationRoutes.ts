/**
 * Negotiation routes: `GET /api/negotiations`, `GET /api/negotiations/:id` and its settings
 * (`PATCH /api/negotiations/:id/settings`, mediator). A negotiation the
 * caller is not a member of answers 404, the same as one that does not exist.
 */
import { formatDocumentName } from '@onetext/shared/documentNames'
import type { FastifyInstance } from 'fastify'
import { listOpenableDocuments } from '../access/documentAccess'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'
import { HttpError } from './HttpError'

/** Adds the negotiation routes. */
export function addNegotiationRoutes(
  server: FastifyInstance,
  app: AppContext,
  services: NegotiationServices,
): void {
  addRoute(server, 'GET /api/negotiations', async ({ asker }) => {
    const user = await app.policy.user(asker)
    const memberships = await app.directory.listMemberships(user.id)
    return memberships.map((member) => ({
      id: member.negotiationId,
      title: member.title,
      role: member.role,
      partyId: member.partyId,
    }))
  })

  addRoute(server, 'GET /api/negotiations/:id', async ({ params, asker }) => {
    const { user, member } = await app.policy.require(asker, params.id, 'read-negotiation')
    const negotiation = await app.directory.findNegotiation(params.id)
    if (!negotiation) throw new HttpError(404, 'not-found', 'No such negotiation.')
    const parties = await app.directory.listParties(params.id)
    return {
      id: negotiation.id,
      title: negotiation.title,
      parties,
      me: { userId: user.id, role: member.role, partyId: member.partyId },
      settings: { openDrafting: negotiation.openDrafting },
      documents: listOpenableDocuments(
        negotiation,
        member,
        parties,
        await services.docs.lastIterationNumber(params.id),
      ),
    }
  })

  addRoute(server, 'PATCH /api/negotiations/:id/settings', async ({ params, body, asker }) => {
    const { user } = await app.policy.require(asker, params.id, 'change-settings')
    const negotiation = await app.directory.findNegotiation(params.id)
    if (!negotiation) throw new HttpError(404, 'not-found', 'No such negotiation.')
    await app.directory.setOpenDrafting(params.id, body.openDrafting)
    // The table's live view of the draft ends with the setting (its members read iterations).
    const closed = body.openDrafting
      ? 0
      : await app.accessChanges.readersChanged(
          formatDocumentName({ negotiationId: params.id, kind: 'draft' }),
        )
    app.audit.record({
      action: 'settings-changed',
      negotiationId: params.id,
      userId: user.id,
      email: user.email,
      address: asker.address,
      detail: { openDrafting: { from: negotiation.openDrafting, to: body.openDrafting }, closed },
    })
    return { openDrafting: body.openDrafting }
  })
}

/**
 * Negotiation routes: `GET /api/negotiations` and `GET /api/negotiations/:id`. A negotiation the
 * caller is not a member of answers 404, the same as one that does not exist.
 */
import type { FastifyInstance } from 'fastify'
import { listOpenableDocuments } from '../access/documentAccess'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'
import { HttpError } from './HttpError'

/** Adds the negotiation routes. */
export function addNegotiationRoutes(server: FastifyInstance, app: AppContext): void {
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
      documents: listOpenableDocuments(params.id, member, parties),
    }
  })
}

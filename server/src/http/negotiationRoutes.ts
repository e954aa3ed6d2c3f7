/**
 * Negotiation routes: `GET /api/negotiations` and `GET /api/negotiations/:id`. A negotiation the
 * caller is not a member of answers 404, the same as one that does not exist.
 */
import type { NegotiationDetail, NegotiationSummary } from '@onetext/shared/apiTypes'
import { listOpenableDocuments } from '../access/documentAccess'
import type { AppContext } from './AppContext'
import { HttpError, sendJson } from './json'
import type { Router } from './Router'
import { requireMember, requireUser } from './requestAuth'

/** Adds the negotiation routes to `router`. */
export function addNegotiationRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/negotiations', async (context) => {
    const user = await requireUser(app, context)
    const memberships = await app.directory.listMemberships(user.id)
    const list: NegotiationSummary[] = memberships.map((member) => ({
      id: member.negotiationId,
      title: member.title,
      role: member.role,
      partyId: member.partyId,
    }))
    sendJson(context.response, 200, list)
  })

  router.add('GET', '/api/negotiations/:id', async (context) => {
    const id = context.params.id ?? ''
    const { user, member } = await requireMember(app, context, id)
    const negotiation = await app.directory.findNegotiation(id)
    if (!negotiation) throw new HttpError(404, 'not-found', 'No such negotiation.')
    const parties = await app.directory.listParties(id)
    const detail: NegotiationDetail = {
      id: negotiation.id,
      title: negotiation.title,
      parties,
      me: { userId: user.id, role: member.role, partyId: member.partyId },
      documents: listOpenableDocuments(id, member, parties),
    }
    sendJson(context.response, 200, detail)
  })
}

/**
 * Negotiation routes: `GET /api/negotiations` and `GET /api/negotiations/:id`. A negotiation the
 * caller is not a member of answers 404, the same as one that does not exist.
 */
import type { NegotiationDetail, NegotiationSummary } from '@onetext/shared/apiTypes'
import { listOpenableDocuments } from '../access/documentAccess'
import type { Directory } from '../storage/Directory'
import { requireUser } from './authRoutes'
import { HttpError, sendJson } from './json'
import type { Router } from './Router'

/** Adds the negotiation routes to `router`. */
export function addNegotiationRoutes(router: Router, directory: Directory): void {
  router.add('GET', '/api/negotiations', async (context) => {
    const user = await requireUser(directory, context)
    const memberships = await directory.listMemberships(user.id)
    const list: NegotiationSummary[] = memberships.map((member) => ({
      id: member.negotiationId,
      title: member.title,
      role: member.role,
      partyId: member.partyId,
    }))
    sendJson(context.response, 200, list)
  })

  router.add('GET', '/api/negotiations/:id', async (context) => {
    const user = await requireUser(directory, context)
    const id = context.params.id ?? ''
    const member = await directory.findMember(id, user.id)
    const negotiation = member ? await directory.findNegotiation(id) : null
    if (!member || !negotiation) throw new HttpError(404, 'not-found', 'No such negotiation.')
    const parties = await directory.listParties(id)
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

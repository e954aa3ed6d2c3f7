/**
 * "Changes since Single Text N" (mediator): the working draft against an iteration, clause by
 * clause, as tracked changes labelled with the accepted suggestion each came from or as the
 * mediator's own edit (changesSince.ts).
 */
import type { FastifyInstance } from 'fastify'
import { changesSince } from '../negotiation/changesSince'
import { draftJson } from '../negotiation/draftOps'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'
import { HttpError } from './HttpError'

/** Adds the route of the draft's changes since an iteration. */
export function addDraftChangeRoutes(
  server: FastifyInstance,
  app: AppContext,
  services: NegotiationServices,
): void {
  addRoute(server, 'GET /api/negotiations/:id/draft/changes', async ({ params, query, asker }) => {
    await app.policy.require(asker, params.id, 'circulate')
    const latest = await services.docs.lastIterationNumber(params.id)
    const since = query.since ?? latest
    const record = since >= 1 ? await services.docs.iteration(params.id, since) : null
    if (!record) throw new HttpError(404, 'not-found', `There is no iteration ${since}.`)
    const [draft, status] = await Promise.all([
      services.docs.registry.withDocument(services.docs.draftName(params.id), (document) =>
        draftJson(document.doc),
      ),
      services.docs.status(params.id),
    ])
    return changesSince(
      { number: record.number, doc: record.doc },
      draft,
      Object.values(status.suggestions),
    )
  })
}

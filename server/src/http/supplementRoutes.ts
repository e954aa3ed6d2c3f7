/**
 * Local supplements: a local table starts one from a published national iteration, edits it live,
 * and compares it with the national text; clauses whose national language changed since the
 * supplement's base iteration are flagged.
 */
import { randomBytes } from 'node:crypto'
import { diffClauses } from '@onetext/shared/clauseDiff'
import { extractClauses } from '@onetext/shared/clauses'
import { formatDocumentName } from '@onetext/shared/documentNames'
import type { FastifyInstance } from 'fastify'
import { draftJson } from '../negotiation/draftOps'
import { documentStateFromJson } from '../negotiation/draftState'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { DocumentStore } from '../storage/DocumentStore'
import type { SupplementRecord, SupplementStore } from '../storage/SupplementStore'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'
import { HttpError } from './HttpError'

function view(record: SupplementRecord, access: 'read' | 'write') {
  return {
    id: record.id,
    title: record.title,
    baseIteration: record.baseIteration,
    createdAt: record.createdAt,
    document: formatDocumentName({
      negotiationId: record.negotiationId,
      kind: 'supplement',
      partyId: record.id,
    }),
    access,
  }
}

/** Adds the supplement routes. */
export function addSupplementRoutes(
  server: FastifyInstance,
  app: AppContext,
  services: NegotiationServices,
  store: DocumentStore,
  supplements: SupplementStore,
): void {
  addRoute(server, 'POST /api/negotiations/:id/supplements', async ({ params, body, asker }) => {
    const negotiationId = params.id
    const { user } = await app.policy.require(asker, negotiationId, 'start-supplement')
    const title = body.title.trim()
    if (title === '') throw new HttpError(400, 'invalid-body', '"title" must not be blank.')
    const iteration = await services.iterations.get(negotiationId, body.iteration)
    if (!iteration.published)
      throw new HttpError(404, 'not-found', 'There is no such published iteration.')
    const record: SupplementRecord = {
      negotiationId,
      id: `s-${randomBytes(4).toString('hex')}`,
      ownerUserId: user.id,
      title,
      baseIteration: iteration.number,
      createdAt: Date.now(),
    }
    await supplements.create(record)
    await store.compact(
      formatDocumentName({ negotiationId, kind: 'supplement', partyId: record.id }),
      documentStateFromJson(iteration.doc),
      0,
    )
    return view(record, 'write')
  })

  addRoute(server, 'GET /api/negotiations/:id/supplements', async ({ params, asker }) => {
    const { member } = await app.policy.require(asker, params.id, 'read-supplements')
    return (await supplements.list(params.id))
      .map((record) => ({
        record,
        access: app.policy.supplementAccess(member, record.ownerUserId),
      }))
      .filter((entry) => entry.access !== 'none')
      .map(({ record, access }) => view(record, access as 'read' | 'write'))
  })

  addRoute(
    server,
    'GET /api/negotiations/:id/supplements/:supplementId/diff',
    async ({ params, asker }) => {
      const negotiationId = params.id
      const { member } = await app.policy.require(asker, negotiationId, 'read-supplements')
      const record = await supplements.find(negotiationId, params.supplementId)
      if (!record || app.policy.supplementAccess(member, record.ownerUserId) === 'none') {
        throw new HttpError(404, 'not-found', 'There is no such local supplement.')
      }
      const base = await services.iterations.get(negotiationId, record.baseIteration)
      const name = formatDocumentName({ negotiationId, kind: 'supplement', partyId: record.id })
      const local = await services.docs.registry.withDocument(name, (document) =>
        extractClauses(draftJson(document.doc)),
      )
      // The newest national text the local table may see: the latest published iteration.
      const published = (await services.iterations.list(negotiationId)).filter(
        (meta) => meta.published,
      )
      const latestNumber = published[published.length - 1]?.number ?? base.number
      const latest =
        latestNumber === base.number
          ? base
          : await services.iterations.get(negotiationId, latestNumber)
      const latestText = new Map(
        latest.clauses.map((clause) => [clause.id, `${clause.heading}\n${clause.text}`]),
      )
      const nationalChanged = base.clauses
        .filter((clause) => latestText.get(clause.id) !== `${clause.heading}\n${clause.text}`)
        .map((clause) => clause.id)
      return {
        baseIteration: base.number,
        latestPublished: latestNumber,
        nationalChanged,
        clauses: diffClauses(base.clauses, local),
      }
    },
  )
}

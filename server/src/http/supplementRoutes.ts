/**
 * Local supplements: a local table starts one from a published national iteration, edits it live,
 * and compares it with the national text; clauses whose national language changed since the
 * supplement's base iteration are flagged.
 */
import { randomBytes } from 'node:crypto'
import { diffClauses } from '@onetext/shared/clauseDiff'
import { extractClauses } from '@onetext/shared/clauses'
import { formatDocumentName } from '@onetext/shared/documentNames'
import { supplementAccess } from '../access/documentAccess'
import { draftJson } from '../negotiation/draftOps'
import { documentStateFromJson } from '../negotiation/draftState'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { DocumentStore } from '../storage/DocumentStore'
import type { SupplementRecord, SupplementStore } from '../storage/SupplementStore'
import type { AppContext } from './AppContext'
import { HttpError, readJsonBody, requireString, sendJson } from './json'
import type { Router } from './Router'
import { requireMember } from './requestAuth'

function view(record: SupplementRecord, access: string) {
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

/** Adds the supplement routes to `router`. */
export function addSupplementRoutes(
  router: Router,
  app: AppContext,
  services: NegotiationServices,
  store: DocumentStore,
  supplements: SupplementStore,
): void {
  router.add('POST', '/api/negotiations/:id/supplements', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user, member } = await requireMember(app, context, negotiationId)
    if (member.role !== 'observer')
      throw new HttpError(403, 'forbidden', 'Local supplements are started by local tables.')
    const body = await readJsonBody(context.request)
    const title = requireString(body, 'title', 200).trim()
    const iteration = await services.iterations.get(negotiationId, Number(body.iteration))
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
    sendJson(context.response, 201, view(record, 'write'))
  })

  router.add('GET', '/api/negotiations/:id/supplements', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { member } = await requireMember(app, context, negotiationId)
    const visible = (await supplements.list(negotiationId))
      .map((record) => ({ record, access: supplementAccess(member, record.ownerUserId) }))
      .filter((entry) => entry.access !== 'none')
    sendJson(
      context.response,
      200,
      visible.map(({ record, access }) => view(record, access)),
    )
  })

  router.add('GET', '/api/negotiations/:id/supplements/:supplementId/diff', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { member } = await requireMember(app, context, negotiationId)
    const record = await supplements.find(negotiationId, context.params.supplementId ?? '')
    if (!record || supplementAccess(member, record.ownerUserId) === 'none') {
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
    sendJson(context.response, 200, {
      baseIteration: base.number,
      latestPublished: latestNumber,
      nationalChanged,
      clauses: diffClauses(base.clauses, local),
    })
  })
}

/**
 * Iterations: circulate (mediator), list, read one, publish to observers (mediator). Observers
 * see published iterations only; an unpublished one answers 404 to them, as a missing one does.
 */
import { diffClauses } from '@onetext/shared/clauseDiff'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { HttpError, readJsonBody, sendJson } from './json'
import type { Router } from './Router'
import { requireMediator, requireMember } from './requestAuth'

function iterationNumber(raw: string | undefined): number {
  const number = Number(raw)
  if (!Number.isInteger(number) || number < 1)
    throw new HttpError(404, 'not-found', 'There is no such iteration.')
  return number
}

/** Adds the iteration routes to `router`. */
export function addIterationRoutes(
  router: Router,
  app: AppContext,
  services: NegotiationServices,
): void {
  router.add('POST', '/api/negotiations/:id/iterations', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { user } = await requireMediator(app, context, negotiationId)
    const body = await readJsonBody(context.request)
    const note = typeof body.note === 'string' ? body.note : ''
    const meta = await services.iterations.circulate(negotiationId, user.id, note)
    sendJson(context.response, 201, { number: meta.number, createdAt: meta.createdAt })
  })

  router.add('GET', '/api/negotiations/:id/iterations', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { member } = await requireMember(app, context, negotiationId)
    const list = await services.iterations.list(negotiationId)
    const visible = member.role === 'observer' ? list.filter((meta) => meta.published) : list
    sendJson(
      context.response,
      200,
      visible.map(({ number, createdAt, note, published }) => ({
        number,
        createdAt,
        note,
        published,
      })),
    )
  })

  router.add('GET', '/api/negotiations/:id/iterations/:n', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { member } = await requireMember(app, context, negotiationId)
    const record = await services.iterations.get(negotiationId, iterationNumber(context.params.n))
    if (member.role === 'observer' && !record.published) {
      throw new HttpError(404, 'not-found', 'There is no such iteration.')
    }
    sendJson(context.response, 200, {
      number: record.number,
      createdAt: record.createdAt,
      note: record.note,
      published: record.published,
      clauses: record.clauses.map(({ id, number, heading, text }) => ({
        id,
        number,
        heading,
        text,
      })),
      html: record.html,
      markdown: record.markdown,
    })
  })

  router.add('GET', '/api/negotiations/:id/diff', async (context) => {
    const negotiationId = context.params.id ?? ''
    const { member } = await requireMember(app, context, negotiationId)
    const from = await services.iterations.get(
      negotiationId,
      iterationNumber(context.url.searchParams.get('from') ?? undefined),
    )
    const to = await services.iterations.get(
      negotiationId,
      iterationNumber(context.url.searchParams.get('to') ?? undefined),
    )
    if (member.role === 'observer' && !(from.published && to.published)) {
      throw new HttpError(404, 'not-found', 'There is no such iteration.')
    }
    sendJson(context.response, 200, {
      from: from.number,
      to: to.number,
      clauses: diffClauses(from.clauses, to.clauses).map(
        ({ id, number, fromNumber, heading, change, ops }) => ({
          id,
          number,
          fromNumber,
          heading,
          change,
          ops,
        }),
      ),
    })
  })

  router.add('GET', '/api/negotiations/:id/clauses/:clauseId/history', async (context) => {
    const negotiationId = context.params.id ?? ''
    const clauseId = context.params.clauseId ?? ''
    const { member } = await requireMember(app, context, negotiationId)
    const observer = member.role === 'observer'
    const versions = []
    for (const meta of await services.iterations.list(negotiationId)) {
      if (observer && !meta.published) continue
      const record = await services.iterations.get(negotiationId, meta.number)
      const clause = record.clauses.find((candidate) => candidate.id === clauseId)
      versions.push({
        iteration: meta.number,
        createdAt: meta.createdAt,
        note: meta.note,
        number: clause?.number ?? null,
        heading: clause?.heading ?? null,
        text: clause?.text ?? null,
      })
    }
    if (!versions.some((version) => version.text !== null))
      throw new HttpError(404, 'not-found', 'There is no such clause.')
    if (observer) {
      sendJson(context.response, 200, { clauseId, versions })
      return
    }
    const status = await services.docs.status(negotiationId)
    const state = status.clauses[clauseId] ?? null
    sendJson(context.response, 200, {
      clauseId,
      versions,
      proposals: Object.values(status.proposals).filter(
        (proposal) => proposal.clauseId === clauseId,
      ),
      provenance: state?.provenance ?? [],
      signoffs: Object.values(state?.signoffs ?? {}),
      status: state?.status ?? 'open',
      votes: (state?.votes ?? [])
        .map((id) => status.votes[id])
        .filter((vote) => vote !== undefined),
    })
  })

  router.add('POST', '/api/negotiations/:id/iterations/:n/publish', async (context) => {
    const negotiationId = context.params.id ?? ''
    await requireMediator(app, context, negotiationId)
    const body = await readJsonBody(context.request)
    const published = body.published !== false
    await services.iterations.setPublished(
      negotiationId,
      iterationNumber(context.params.n),
      published,
    )
    sendJson(context.response, 200, { number: Number(context.params.n), published })
  })
}

/**
 * Iterations: circulate (mediator), list, read one, compare two, a clause's history, publish to
 * observers (mediator). Observers see published iterations only; an unpublished one answers 404
 * to them, as a missing one does.
 */
import { diffClauses } from '@onetext/shared/clauseDiff'
import { clauseTree } from '@onetext/shared/clauses'
import type { FastifyInstance } from 'fastify'
import type { Asker } from '../access/AccessPolicy'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import { sharedSummary } from '../negotiation/suggestionRecords'
import type { IterationRecord } from '../storage/IterationStore'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'
import { HttpError } from './HttpError'

/**
 * Iteration `number` if the caller may read it (any member; observers published ones only, with
 * the published note as its note); 404 for one that does not exist or that the caller may not see.
 */
export async function readableIteration(
  app: AppContext,
  services: NegotiationServices,
  asker: Asker,
  negotiationId: string,
  number: number,
): Promise<IterationRecord> {
  const { member } = await app.policy.require(asker, negotiationId, 'read-iterations')
  const record = await services.iterations.get(negotiationId, number)
  if (app.policy.allows(member, 'read-unpublished')) return record
  if (!record.published) throw new HttpError(404, 'not-found', 'There is no such iteration.')
  // A local table reads the note for the published record, never the mediator's note to the table.
  record.note = record.publishedNote
  return record
}

/** Adds the iteration routes. */
export function addIterationRoutes(
  server: FastifyInstance,
  app: AppContext,
  services: NegotiationServices,
): void {
  addRoute(server, 'POST /api/negotiations/:id/iterations', async ({ params, body, asker }) => {
    const { user } = await app.policy.require(asker, params.id, 'circulate')
    // The circulation waits for the mediator's edits in its place in line: a second circulation
    // meanwhile is refused (409 busy), not circulated after it. (Other commands wait before they
    // take their place, so that a party's wait cannot hold up the negotiation: clauseRoutes.ts.)
    const meta = await services.commands.run(
      params.id,
      async () => {
        await services.docs.untilSynced(services.docs.draftName(params.id), body.clientState)
        return services.iterations.circulate(
          params.id,
          user.id,
          body.note ?? '',
          body.publishedNote ?? '',
        )
      },
      'circulate',
    )
    return { number: meta.number, createdAt: meta.createdAt }
  })

  addRoute(server, 'GET /api/negotiations/:id/iterations', async ({ params, asker }) => {
    const { member } = await app.policy.require(asker, params.id, 'read-iterations')
    const list = await services.iterations.list(params.id)
    const all = app.policy.allows(member, 'read-unpublished')
    return list
      .filter((meta) => all || meta.published)
      .map(({ number, createdAt, note, publishedNote, published }) => ({
        number,
        createdAt,
        note: all ? note : publishedNote,
        published,
      }))
  })

  addRoute(server, 'GET /api/negotiations/:id/iterations/:n', async ({ params, asker }) => {
    const record = await readableIteration(app, services, asker, params.id, params.n)
    return {
      number: record.number,
      createdAt: record.createdAt,
      note: record.note,
      published: record.published,
      clauses: record.clauses.map(({ id, number, depth, heading, text }) => ({
        id,
        number,
        depth,
        heading,
        text,
      })),
      tree: clauseTree(record.doc),
      html: record.html,
      markdown: record.markdown,
      doc: record.doc,
    }
  })

  addRoute(server, 'GET /api/negotiations/:id/diff', async ({ params, query, asker }) => {
    const from = await readableIteration(app, services, asker, params.id, query.from)
    const to = await readableIteration(app, services, asker, params.id, query.to)
    return {
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
    }
  })

  addRoute(
    server,
    'GET /api/negotiations/:id/clauses/:clauseId/history',
    async ({ params, asker }) => {
      const negotiationId = params.id
      const clauseId = params.clauseId
      const { member } = await app.policy.require(asker, negotiationId, 'read-iterations')
      const all = app.policy.allows(member, 'read-unpublished')
      const versions = []
      for (const meta of await services.iterations.list(negotiationId)) {
        if (!all && !meta.published) continue
        const record = await services.iterations.get(negotiationId, meta.number)
        const clause = record.clauses.find((candidate) => candidate.id === clauseId)
        versions.push({
          iteration: meta.number,
          createdAt: meta.createdAt,
          note: all ? meta.note : meta.publishedNote,
          number: clause?.number ?? null,
          heading: clause?.heading ?? null,
          text: clause?.text ?? null,
        })
      }
      if (!versions.some((version) => version.text !== null))
        throw new HttpError(404, 'not-found', 'There is no such clause.')
      if (!app.policy.allows(member, 'read-clause-record')) return { clauseId, versions }
      const status = await services.docs.status(negotiationId)
      const state = status.clauses[clauseId] ?? null
      return {
        clauseId,
        versions,
        suggestions: Object.values(status.suggestions)
          .filter((suggestion) => suggestion.clauseId === clauseId)
          .map(sharedSummary),
        provenance: state?.provenance ?? [],
        signoffs: Object.values(state?.signoffs ?? {}),
        status: state?.status ?? 'open',
        votes: (state?.votes ?? [])
          .map((id) => status.votes[id])
          .filter((vote) => vote !== undefined),
      }
    },
  )

  addRoute(
    server,
    'POST /api/negotiations/:id/iterations/:n/publish',
    async ({ params, body, asker }) => {
      await app.policy.require(asker, params.id, 'publish')
      const published = body.published !== false
      await services.commands.run(params.id, () =>
        services.iterations.setPublished(params.id, params.n, published),
      )
      return { number: params.n, published }
    },
  )
}

/**
 * The activity feed: `GET /activity` (what happened, filtered by the access matrix), and
 * `GET`/`PATCH /activity/me` (where the caller last looked, kept per account, and which events
 * e-mail them).
 */
import type { ActivityKind } from '@onetext/shared/statusDoc'
import type { FastifyInstance } from 'fastify'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { ActivityReaderStore } from '../storage/ActivityReaderStore'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'

/** Adds the activity routes; `mailAvailable` says whether the server sends e-mail. */
export function addActivityRoutes(
  server: FastifyInstance,
  app: AppContext,
  services: NegotiationServices,
  readers: ActivityReaderStore,
  mailAvailable: boolean,
): void {
  addRoute(server, 'GET /api/negotiations/:id/activity', async ({ params, query, asker }) => {
    const { member } = await app.policy.require(asker, params.id, 'read-iterations')
    const table = app.policy.allows(member, 'read-unpublished')
    const since = query.since ?? 0
    // Local tables are told of publications only: the rest is the table's own record.
    return (await services.docs.status(params.id)).activity.filter(
      (entry) => entry.at > since && (table || entry.kind === 'published'),
    )
  })

  addRoute(server, 'GET /api/negotiations/:id/activity/me', async ({ params, asker }) => {
    const { user } = await app.policy.require(asker, params.id, 'read-iterations')
    return { ...(await readers.get(params.id, user.id)), mailAvailable }
  })

  addRoute(server, 'PATCH /api/negotiations/:id/activity/me', async ({ params, body, asker }) => {
    const { user, member } = await app.policy.require(asker, params.id, 'read-iterations')
    const table = app.policy.allows(member, 'read-unpublished')
    const stored = await readers.change(params.id, user.id, {
      ...(body.seenAt === undefined ? {} : { seenAt: Math.min(body.seenAt, Date.now()) }),
      ...(body.mailKinds === undefined
        ? {}
        : {
            mailKinds: [...new Set<ActivityKind>(body.mailKinds)].filter(
              (kind) => table || kind === 'published',
            ),
          }),
    })
    return { ...stored, mailAvailable }
  })
}

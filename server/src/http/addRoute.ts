/**
 * Registers a route of the table in shared/src/api/routes.ts with its handler: Fastify validates
 * params, query and body against the route's schemas before the handler runs (400 otherwise), the
 * handler receives them typed, and what it returns is the JSON answer (201 when the route's
 * success answer is 201), or a {@link FileAnswer} for a download.
 */

import type {
  RouteBody,
  RouteParams,
  RouteQuery,
  RouteReply,
  RouteSpec,
} from '@onetext/shared/api/routeSpec'
import { API_ROUTES, type ApiRoutes, type RouteKey } from '@onetext/shared/api/routes'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify'
import type { Asker } from '../access/AccessPolicy'
import { clientAddressOf } from './clientAddress'

/**
 * A file to download, answered with Content-Length and Content-Disposition: attachment. The file
 * name keeps letters, digits, `.`, `-` and `_` (anything else becomes `_`).
 */
export class FileAnswer {
  readonly fileName: string

  constructor(
    readonly contentType: string,
    fileName: string,
    readonly bytes: Buffer,
  ) {
    this.fileName = fileName.replace(/[^\w.-]/g, '_').slice(0, 200)
  }
}

/** What a handler receives. */
export interface RouteCall<K extends RouteKey> {
  params: RouteParams<ApiRoutes[K]>
  query: RouteQuery<ApiRoutes[K]>
  body: RouteBody<ApiRoutes[K]>
  request: FastifyRequest
  reply: FastifyReply
  /** Who is asking, for the authorization policy. */
  asker: Asker
}

/** A route's handler. */
export type RouteHandler<K extends RouteKey> = (
  call: RouteCall<K>,
) => Promise<RouteReply<ApiRoutes[K]> | FileAnswer>

/**
 * The asker of a request: its credentials, method, path (no query) and client address (the one a
 * forwarding process vouched for, see clientAddress.ts).
 */
export function askerOf(request: FastifyRequest): Asker {
  const path = request.url.split('?')[0] ?? request.url
  return { raw: request.raw, method: request.method, path, address: clientAddressOf(request) }
}

/** The Fastify schema of a route: its parts, and its answers for the OpenAPI document. */
export function fastifySchema(spec: RouteSpec): Record<string, unknown> {
  const response: Record<string, unknown> = {}
  for (const [status, schema] of Object.entries(spec.response)) {
    if (status === '200' && spec.produces) {
      const content: Record<string, unknown> = {}
      for (const type of spec.produces) {
        content[type] = { schema: { type: 'string', format: 'binary' } }
      }
      response[status] = { description: 'The file, as an attachment.', content }
    } else response[status] = schema
  }
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [...spec.tags],
    ...(spec.audience === 'anyone' ? {} : { security: [{ session: [] }, { bearer: [] }] }),
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.querystring ? { querystring: spec.querystring } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    response,
  }
}

/** Registers route `key` of the API table with `handler` (and Fastify route `options`). */
export function addRoute<K extends RouteKey>(
  app: FastifyInstance,
  key: K,
  handler: RouteHandler<K>,
  options: Pick<RouteShorthandOptions, 'config'> = {},
): void {
  const spec: RouteSpec = API_ROUTES[key]
  const space = key.indexOf(' ')
  const method = key.slice(0, space) as 'GET' | 'POST' | 'PATCH' | 'DELETE'
  const created = 201 in spec.response
  app.route({
    method,
    url: key.slice(space + 1),
    schema: fastifySchema(spec),
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    config: { ...(options.config ?? {}), routeKey: key },
    handler: async (request, reply) => {
      const result = await handler({
        params: request.params as RouteParams<ApiRoutes[K]>,
        query: request.query as RouteQuery<ApiRoutes[K]>,
        body: request.body as RouteBody<ApiRoutes[K]>,
        request,
        reply,
        asker: askerOf(request),
      })
      if (result instanceof FileAnswer) {
        reply
          .header('content-type', result.contentType)
          .header('content-length', result.bytes.byteLength)
          .header('content-disposition', `attachment; filename="${result.fileName}"`)
          .header('cache-control', 'no-store')
        return reply.send(result.bytes)
      }
      if (created && reply.statusCode === 200) reply.code(201)
      return result
    },
  })
}

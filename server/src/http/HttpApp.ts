/**
 * The HTTP side of the server on Fastify: validation from the route table's schemas (400 saying
 * what was wrong), JSON bodies only (415 otherwise; MAX_JSON_BODY_BYTES, 413 beyond), cross-site
 * protection on every state-changing request, security headers and a request id on every answer,
 * one log line per request, 404 and 405 (with `Allow`) in the API's error body, and a last-resort
 * handler: whatever a handler throws becomes a 4xx it meant or a logged 500, and the process goes on.
 */
import { randomUUID } from 'node:crypto'
import { MAX_JSON_BODY_BYTES } from '@onetext/shared/limits'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from 'fastify'
import type { TrustProxy } from '../config'
import type { Logger } from '../logger'
import { NegotiationError } from '../negotiation/NegotiationError'
import { LeaseLostError } from '../storage/LeaseLostError'
import { crossOriginRefusal, type OriginSettings } from './crossOrigin'
import { HttpError } from './HttpError'
import { RouteMethods } from './methodNotAllowed'
import { checkResponses } from './responseCheck'
import { isClientRoute, SECURITY_HEADERS, sendIndex } from './staticFiles'
import { compileValidator } from './validation'

/** What the app needs from the configuration. */
export interface HttpAppOptions extends OriginSettings {
  logger: Logger
  trustProxy: TrustProxy
  /** Whether the built client is served (then unknown paths get its index.html). */
  servesClient: boolean
  /** Check every JSON answer against its schema (tests). */
  checkResponses: boolean
}

const NEGOTIATION_STATUS = { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409 }

/** Fastify's own client errors, as the API's error codes. */
const FRAMEWORK_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload-too-large', 'The body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'unsupported-media-type',
    'Send the body as application/json.',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid-body', 'The body does not match its length.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid-json', 'The body is empty.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid-json', 'The body is not valid JSON.'],
  FST_ERR_BAD_URL: [400, 'bad-url', 'The address is not valid.'],
}

function sendError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).header('cache-control', 'no-store').send({ error: code, message })
}

/**
 * Seconds a client is told to wait (Retry-After) before it repeats a request on a negotiation
 * another server process owns (503 `owned-elsewhere`).
 */
export const OWNED_ELSEWHERE_RETRY_AFTER_S = 1

/** The answer for an error thrown while handling a request. */
function answerError(app: FastifyInstance, error: unknown, reply: FastifyReply) {
  if (error instanceof HttpError) {
    reply.headers(error.headers)
    return sendError(reply, error.status, error.code, error.message)
  }
  if (error instanceof LeaseLostError) {
    reply.header('retry-after', String(OWNED_ELSEWHERE_RETRY_AFTER_S))
    return sendError(
      reply,
      503,
      'owned-elsewhere',
      'Another server process holds this negotiation; try again shortly.',
    )
  }
  if (error instanceof NegotiationError) {
    return sendError(reply, NEGOTIATION_STATUS[error.kind], error.code, error.message)
  }
  const fastifyError = error as Partial<FastifyError> | null
  const known = fastifyError?.code ? FRAMEWORK_CODES[fastifyError.code] : undefined
  if (known) return sendError(reply, known[0], known[1], known[2])
  if (fastifyError instanceof SyntaxError || fastifyError?.name === 'SyntaxError') {
    return sendError(reply, 400, 'invalid-json', 'The body is not valid JSON.')
  }
  const status = fastifyError?.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = status === 429 ? 'too-many-requests' : 'bad-request'
    return sendError(reply, status, code, 'The request was refused.')
  }
  reply.log.error({ err: error }, 'request failed')
  void app
  return sendError(reply, 500, 'internal', 'Something went wrong on the server.')
}

/** A path as the log shows it: invitation tokens left out. */
function loggedPath(url: string): string {
  const path = url.split('?')[0] ?? url
  return path.replace(/^(\/(?:api\/)?invites?\/)[^/]+/, '$1…').slice(0, 300)
}

/** A route the app serves, as registered. */
export interface ServedRoute {
  method: string
  url: string
  /** Its key in the API's route table, or undefined for routes of plugins (files, reference page). */
  routeKey: string | undefined
  /** Its Fastify schema, if any (`hide: true` keeps it out of the OpenAPI document). */
  schema: Record<string, unknown> | undefined
}

/**
 * Creates the app (no routes yet); `routeMethods` learns every API route added afterwards, and
 * `routes` lists every route.
 */
export function createHttpApp(options: HttpAppOptions): {
  app: FastifyInstance
  routeMethods: RouteMethods
  routes: ServedRoute[]
} {
  const trust = options.trustProxy
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
    trustProxy: typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust,
    bodyLimit: MAX_JSON_BODY_BYTES,
    genReqId: () => randomUUID(),
    forceCloseConnections: true,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 500 },
    frameworkErrors: (error, request, reply) => {
      request.log.info({ code: error.code }, 'malformed request')
      const known = FRAMEWORK_CODES[error.code] ?? [400, 'bad-request', 'The request is not valid.']
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value)
      void sendError(reply, known[0], known[1], known[2])
    },
  })
  const routeMethods = new RouteMethods()
  const routes: ServedRoute[] = []
  app.addHook('onRoute', (route) => {
    const config = route.config as { routeKey?: string } | undefined
    for (const method of [route.method].flat()) {
      routes.push({
        method,
        url: route.url,
        routeKey: config?.routeKey,
        schema: route.schema as Record<string, unknown> | undefined,
      })
    }
    if (!config?.routeKey) return
    for (const method of [route.method].flat()) routeMethods.add(method, route.url)
  })

  app.setValidatorCompiler(compileValidator)
  // Answers are serialised as they are; their schemas document them (and are checked in tests).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))
  // JSON only: a cross-site form or text/plain body is refused with 415 before it is read.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error') as Parameters<typeof app.addContentTypeParser>[2],
  )

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value)
    // Only origin-form targets (`/path`); `*` and absolute URLs are for proxies, not for us.
    if (!request.url.startsWith('/')) {
      throw new HttpError(400, 'bad-url', 'The address is not valid.')
    }
    const refusal = crossOriginRefusal(request.method, request.headers, options)
    if (refusal) {
      request.log.warn(
        { origin: request.headers.origin, site: request.headers['sec-fetch-site'] },
        `refused ${refusal}`,
      )
      throw new HttpError(
        403,
        'cross-origin',
        'This request came from another site or origin; it was refused (see ALLOWED_ORIGINS).',
      )
    }
  })
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        path: loggedPath(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    )
  })
  if (options.checkResponses) checkResponses(app)

  app.setErrorHandler((error, _request, reply) => answerError(app, error, reply))
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    let allowed: string[] = []
    try {
      allowed = routeMethods.allowed(path)
    } catch {
      allowed = []
    }
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '))
      return sendError(reply, 405, 'method-not-allowed', `${request.method} is not allowed here.`)
    }
    if (
      options.servesClient &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      isClientRoute(path)
    ) {
      return sendIndex(reply)
    }
    return sendError(reply, 404, 'not-found', 'No such endpoint.')
  })
  return { app, routeMethods, routes }
}

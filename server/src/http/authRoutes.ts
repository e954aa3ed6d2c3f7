/**
 * Sign-in routes: `POST /api/login`, `POST /api/logout` (which closes the session's websockets on
 * every process), `GET /api/me`. Sign-ins are limited to MAX_SIGN_IN_REQUESTS_PER_MINUTE per
 * address (@fastify/rate-limit, counted across processes with REDIS_URL) besides the failure
 * throttle.
 */
import type { ApiUser, LoginResponse } from '@onetext/shared/apiTypes'
import { MAX_SIGN_IN_REQUESTS_PER_MINUTE } from '@onetext/shared/limits'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { SignInCheck } from '../auth/SignInCheck'
import {
  authenticate,
  clearedSessionCookie,
  createSession,
  hashToken,
  sessionCookie,
} from '../auth/sessions'
import type { UserRecord } from '../storage/Directory'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'

/** Route options that limit a route to MAX_SIGN_IN_REQUESTS_PER_MINUTE per address. */
export const SIGN_IN_RATE_LIMIT = {
  config: { rateLimit: { max: MAX_SIGN_IN_REQUESTS_PER_MINUTE, timeWindow: 60_000 } },
}

/** The public view of a user, with whether they may start negotiations. */
export function toApiUser(app: AppContext, user: UserRecord): ApiUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    organizer: app.policy.isOrganizer(user.email),
  }
}

/**
 * Starts a session for `user`: sets the session cookie (`Secure` when the request came over https,
 * as the server or a trusted proxy says) and returns `{token, user}`.
 */
export async function startSession(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  user: UserRecord,
): Promise<LoginResponse> {
  const token = await createSession(app.directory, user.id)
  const secure = request.protocol === 'https' || (app.publicUrl?.startsWith('https:') ?? false)
  reply.header('set-cookie', sessionCookie(token, secure))
  return { token, user: toApiUser(app, user) }
}

/** Adds the sign-in routes. */
export function addAuthRoutes(server: FastifyInstance, app: AppContext, check: SignInCheck): void {
  addRoute(
    server,
    'POST /api/login',
    async ({ body, request, reply, asker }) => {
      const user = await check.verify({
        email: body.email.trim(),
        password: body.password,
        address: asker.address,
        via: 'login',
      })
      return startSession(app, request, reply, user)
    },
    SIGN_IN_RATE_LIMIT,
  )

  addRoute(server, 'POST /api/logout', async ({ request, reply }) => {
    const session = await authenticate(app.directory, request.raw, null)
    if (session) {
      const sessionHash = hashToken(session.token)
      await app.directory.deleteSession(sessionHash)
      // The session's open connections (other tabs, other processes) end with it: 4401.
      await app.accessChanges.sessionEnded(session.user.id, sessionHash)
    }
    reply.header('set-cookie', clearedSessionCookie())
    return { ok: true as const }
  })

  addRoute(server, 'GET /api/me', async ({ asker }) => {
    return { user: toApiUser(app, await app.policy.user(asker)) }
  })
}

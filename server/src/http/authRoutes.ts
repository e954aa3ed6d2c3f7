/**
 * Sign-in routes: `POST /api/login`, `POST /api/logout`, `GET /api/me`.
 */
import type { IncomingMessage } from 'node:http'
import type { ApiUser, LoginResponse } from '@onetext/shared/apiTypes'
import type { LoginThrottle } from '../auth/LoginThrottle'
import { verifyAgainstDummy, verifyPassword } from '../auth/passwords'
import {
  authenticate,
  clearedSessionCookie,
  createSession,
  hashToken,
  sessionCookie,
} from '../auth/sessions'
import type { Directory, UserRecord } from '../storage/Directory'
import { HttpError, readJsonBody, requireString, sendJson } from './json'
import type { RouteContext, Router } from './Router'

/** The public view of a user. */
export function toApiUser(user: UserRecord): ApiUser {
  return { id: user.id, email: user.email, name: user.name }
}

/** The client address of a request. */
export function clientAddress(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown'
}

/** The signed-in user, or 401. */
export async function requireUser(
  directory: Directory,
  context: RouteContext,
): Promise<UserRecord> {
  const session = await authenticate(directory, context.request, context.url, false)
  if (!session) throw new HttpError(401, 'unauthorized', 'Sign in first.')
  return session.user
}

/** Adds the sign-in routes to `router`. */
export function addAuthRoutes(router: Router, directory: Directory, throttle: LoginThrottle): void {
  router.add('POST', '/api/login', async ({ request, response }) => {
    const body = await readJsonBody(request)
    const email = requireString(body, 'email', 320).trim()
    const password = requireString(body, 'password', 1000)
    const address = clientAddress(request)
    const wait = throttle.retryAfter(address, email)
    if (wait > 0) {
      throw new HttpError(429, 'too-many-attempts', 'Too many failed sign-ins. Try again later.', {
        'retry-after': String(Math.ceil(wait / 1000)),
      })
    }
    const user = await directory.findUserByEmail(email)
    const ok = user
      ? await verifyPassword(password, user.passwordHash)
      : await verifyAgainstDummy(password)
    if (!user || !ok) {
      throttle.fail(address, email)
      throw new HttpError(401, 'invalid-credentials', 'Wrong email or password.')
    }
    throttle.succeed(address, email)
    const token = await createSession(directory, user.id)
    const answer: LoginResponse = { token, user: toApiUser(user) }
    const secure = request.headers['x-forwarded-proto'] === 'https'
    sendJson(response, 200, answer, { 'set-cookie': sessionCookie(token, secure) })
  })

  router.add('POST', '/api/logout', async ({ request, response, url }) => {
    const session = await authenticate(directory, request, url, false)
    if (session) await directory.deleteSession(hashToken(session.token))
    sendJson(response, 200, { ok: true }, { 'set-cookie': clearedSessionCookie() })
  })

  router.add('GET', '/api/me', async (context) => {
    const user = await requireUser(directory, context)
    sendJson(context.response, 200, { user: toApiUser(user) })
  })
}

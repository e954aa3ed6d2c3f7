/**
 * Sign-in routes: `POST /api/login`, `POST /api/logout`, `GET /api/me`.
 */
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
import type { UserRecord } from '../storage/Directory'
import type { AppContext } from './AppContext'
import { HttpError, readJsonBody, requireString, sendJson } from './json'
import type { Router } from './Router'
import { clientAddress, requireUser } from './requestAuth'

/** The public view of a user. */
export function toApiUser(user: UserRecord): ApiUser {
  return { id: user.id, email: user.email, name: user.name }
}

/** Starts a session for `user` and answers `{token, user}` with the session cookie. */
export async function answerWithSession(
  app: AppContext,
  response: import('node:http').ServerResponse,
  request: import('node:http').IncomingMessage,
  user: UserRecord,
): Promise<void> {
  const token = await createSession(app.directory, user.id)
  const answer: LoginResponse = { token, user: toApiUser(user) }
  const secure = request.headers['x-forwarded-proto'] === 'https'
  sendJson(response, 200, answer, { 'set-cookie': sessionCookie(token, secure) })
}

/** Adds the sign-in routes to `router`. */
export function addAuthRoutes(router: Router, app: AppContext, throttle: LoginThrottle): void {
  router.add('POST', '/api/login', async ({ request, response }) => {
    const body = await readJsonBody(request)
    const email = requireString(body, 'email', 320).trim()
    const password = requireString(body, 'password', 1000)
    const address = clientAddress(request)
    const wait = throttle.retryAfter(address, email)
    if (wait > 0) {
      app.audit.record({ action: 'login-failed', email, address, detail: { reason: 'throttled' } })
      throw new HttpError(429, 'too-many-attempts', 'Too many failed sign-ins. Try again later.', {
        'retry-after': String(Math.ceil(wait / 1000)),
      })
    }
    const user = await app.directory.findUserByEmail(email)
    const ok = user
      ? await verifyPassword(password, user.passwordHash)
      : await verifyAgainstDummy(password)
    if (!user || !ok) {
      throttle.fail(address, email)
      app.audit.record({
        action: 'login-failed',
        userId: user?.id ?? null,
        email,
        address,
        detail: { reason: user ? 'wrong-password' : 'unknown-email' },
      })
      throw new HttpError(401, 'invalid-credentials', 'Wrong email or password.')
    }
    throttle.succeed(address, email)
    app.audit.record({ action: 'login', userId: user.id, email: user.email, address })
    await answerWithSession(app, response, request, user)
  })

  router.add('POST', '/api/logout', async ({ request, response, url }) => {
    const session = await authenticate(app.directory, request, url, false)
    if (session) await app.directory.deleteSession(hashToken(session.token))
    sendJson(response, 200, { ok: true }, { 'set-cookie': clearedSessionCookie() })
  })

  router.add('GET', '/api/me', async (context) => {
    const user = await requireUser(app, context)
    sendJson(context.response, 200, { user: toApiUser(user) })
  })
}

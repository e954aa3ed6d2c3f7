/**
 * Session tokens: random 256-bit bearer tokens, stored only as SHA-256 hashes. A request carries
 * one as `Authorization: Bearer <token>`, as the `onetext_session` httpOnly cookie, or (websockets
 * only, since browsers cannot set headers there) as `?token=`. The cookie is `SameSite=Lax` and
 * `Secure` when the server is reached over https.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { SESSION_TTL_MS } from '@onetext/shared/limits'
import type { Directory, UserRecord } from '../storage/Directory'

/** Name of the session cookie. */
export const SESSION_COOKIE = 'onetext_session'

/** SHA-256 of a token, as stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

/** Creates a session for `userId` and returns its token. */
export async function createSession(directory: Directory, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await directory.createSession(hashToken(token), userId, Date.now() + SESSION_TTL_MS)
  return token
}

/** Parses a Cookie header into name/value pairs. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>()
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=')
    if (index < 0) continue
    const name = part.slice(0, index).trim()
    const value = part.slice(index + 1).trim()
    try {
      cookies.set(name, decodeURIComponent(value))
    } catch {
      // A cookie that is not valid percent-encoding is ignored.
    }
  }
  return cookies
}

/**
 * The token a request carries, or null: the `Authorization` header, else `queryToken` (the
 * `?token=` of a websocket upgrade; null for other requests), else the session cookie.
 */
export function tokenFromRequest(
  request: IncomingMessage,
  queryToken: string | null,
): string | null {
  const authorization = request.headers.authorization
  if (authorization?.startsWith('Bearer '))
    return authorization.slice('Bearer '.length).trim() || null
  if (queryToken) return queryToken
  return parseCookies(request.headers.cookie).get(SESSION_COOKIE) ?? null
}

/** The signed-in user of a request, or null. `queryToken` as for {@link tokenFromRequest}. */
export async function authenticate(
  directory: Directory,
  request: IncomingMessage,
  queryToken: string | null,
): Promise<{ user: UserRecord; token: string } | null> {
  const token = tokenFromRequest(request, queryToken)
  if (!token || token.length > 200) return null
  const user = await directory.findSessionUser(hashToken(token), Date.now())
  return user ? { user, token } : null
}

/** A Set-Cookie header value for a session token. */
export function sessionCookie(token: string, secure: boolean): string {
  const maxAge = Math.floor(SESSION_TTL_MS / 1000)
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`
}

/** A Set-Cookie header value that clears the session cookie. */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`
}

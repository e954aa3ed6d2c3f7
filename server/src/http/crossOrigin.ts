/**
 * Cross-site request protection, as OWASP's CSRF prevention guidance describes it for Fetch
 * Metadata: every state-changing request (any method but GET, HEAD and OPTIONS) and every websocket
 * upgrade is checked for where the browser says it comes from.
 *
 * - `Sec-Fetch-Site: same-origin` (the server's own pages) or `none` (the person typed it): allowed.
 * - `Sec-Fetch-Site: same-site` or `cross-site`: allowed only when `Origin` is an allowed origin.
 *   Another origin of the same site (a sub-domain) is refused like any other site.
 * - No `Sec-Fetch-Site` (an older browser): `Origin` must be an allowed origin or the request's own
 *   (its host equals the `Host` header).
 * - Neither header: not sent by a browser page (browsers send `Origin` on every state-changing
 *   request and upgrade), so no cookie can have been used against its owner: allowed.
 *
 * The allowed origins are ALLOWED_ORIGINS, or by default the server's own origin: PUBLIC_URL's when
 * set, else the one the request addresses (`Host`). `Referer` is not consulted: the server's pages
 * send none (`Referrer-Policy: no-referrer`).
 */
import type { IncomingHttpHeaders } from 'node:http'

/** Methods that change nothing, so need no check (websocket upgrades are checked apart). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** What the check needs from the configuration. */
export interface OriginSettings {
  /** Origins allowed besides the request's own, `scheme://host[:port]`; empty for the default. */
  allowedOrigins: readonly string[]
  /** The server's public origin (from PUBLIC_URL), or null. */
  publicOrigin: string | null
}

/**
 * Why a request is refused, or null when it may go on. `upgrade` checks a websocket upgrade (a GET
 * that opens a connection able to change documents).
 */
export function crossOriginRefusal(
  method: string,
  headers: IncomingHttpHeaders,
  settings: OriginSettings,
  upgrade = false,
): string | null {
  if (!upgrade && SAFE_METHODS.has(method)) return null
  const site = headerValue(headers['sec-fetch-site'])
  const origin = headerValue(headers.origin)
  if (site === 'same-origin' || site === 'none') return null
  if (site !== undefined) {
    return origin !== undefined && isAllowed(origin, settings)
      ? null
      : `a ${site} request from ${origin ?? 'an unnamed origin'}`
  }
  if (origin === undefined) return null
  if (isAllowed(origin, settings) || isOwnOrigin(origin, headerValue(headers.host))) return null
  return `a request from ${origin}`
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function isAllowed(origin: string, settings: OriginSettings): boolean {
  if (settings.allowedOrigins.includes(origin)) return true
  return settings.publicOrigin !== null && origin === settings.publicOrigin
}

function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false
  try {
    const parsed = new URL(origin)
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host === host
  } catch {
    return false
  }
}

/**
 * Reads ALLOWED_ORIGINS: comma-separated origins, each `scheme://host[:port]` with nothing after it.
 * Throws a RangeError naming an entry that is not an origin.
 */
export function parseAllowedOrigins(value: string | undefined): string[] {
  if (!value?.trim()) return []
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const origin = originOf(entry)
      if (origin === null || origin !== entry.replace(/\/$/, '')) {
        throw new RangeError(
          `ALLOWED_ORIGINS entries must be origins like https://example.org, got ${JSON.stringify(entry)}`,
        )
      }
      return origin
    })
}

/** The origin (`scheme://host[:port]`) of an http(s) URL, or null when it is not one. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null
    return parsed.origin
  } catch {
    return null
  }
}

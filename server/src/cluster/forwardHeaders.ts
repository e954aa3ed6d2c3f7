/**
 * Which headers a forwarded request or answer carries on: every one but the hop-by-hop headers
 * (RFC 9110 §7.6.1: those of the connection, and those its `Connection` header names) and the
 * forwarding headers a client may have sent (replaced by the forwarding process's own).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'
import { CLIENT_ADDRESS_HEADER, HOP_HEADER } from './hopSignature'

/** Headers that belong to one connection, never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  HOP_HEADER,
  CLIENT_ADDRESS_HEADER,
])

/** Headers of a websocket handshake, made anew by the forwarding process's own handshake. */
const HANDSHAKE = new Set([
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
  'sec-websocket-accept',
  'content-length',
])

/**
 * `headers` without the hop-by-hop ones (and, for a websocket handshake, without the handshake's
 * own), ready to send on.
 */
export function forwardableHeaders(
  headers: IncomingHttpHeaders,
  handshake = false,
): OutgoingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.includes(name)) continue
    if (handshake && HANDSHAKE.has(name)) continue
    out[name] = value
  }
  return out
}

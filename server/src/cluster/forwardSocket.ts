/**
 * Forwards one websocket upgrade to the negotiation's owner: opens a websocket to the owner with
 * the client's headers (its session, origin and host) and the hop headers, and only once the owner
 * accepted it completes the client's upgrade; then relays every frame both ways. A slow side
 * pauses the other (backpressure: reading stops while more than RELAY_HIGH_WATER_BYTES wait to
 * be written, and resumes below RELAY_LOW_WATER_BYTES); the owner's pings reach the client and its
 * pongs go back, so the owner's keep-alive checks the whole path; each side is closed when the
 * other closes, with its close code. An owner that refuses the upgrade (401, 403, ...) gets its
 * answer passed on; an owner that cannot be reached, or that goes away without closing, gets the
 * client closed with `OwnedElsewhere` (4504), which clients retry; so does an owner that stops
 * answering the relay's pings (a stalled process, see {@link RELAY_PING_INTERVAL_MS}).
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { type CloseEvent, OwnedElsewhere } from '@onetext/shared/closeCodes'
import { type RawData, WebSocket, type WebSocketServer } from 'ws'
import { forwardableHeaders } from './forwardHeaders'

/** Longest wait for the owner to accept a forwarded upgrade (ms); then it counts as unreachable. */
export const FORWARD_HANDSHAKE_TIMEOUT_MS = 5_000
/**
 * How often a relay pings the owner (ms). An owner that has sent nothing, not even the pong, by
 * the next ping counts as stalled (a stopped process keeps its connections open): the relay ends
 * the owner's side and closes the client with `OwnedElsewhere` (4504), which clients retry, so a
 * client relayed to a stalled owner hears of it within twice this time.
 */
export const RELAY_PING_INTERVAL_MS = 5_000
/** Bytes waiting to be written to one side above which the other side is no longer read. */
export const RELAY_HIGH_WATER_BYTES = 1024 * 1024
/** Bytes waiting to be written below which reading the other side resumes. */
export const RELAY_LOW_WATER_BYTES = 256 * 1024

/** A forwarded connection in progress: its client side once open, and a way to close both. */
export interface RelayedSocket {
  /** Closes the client with `event` and the owner's side with 1001 (going away). */
  close(event: CloseEvent): void
}

/** What happens to a forwarded upgrade. */
export interface SocketForwardListener {
  /** The owner accepted: the connection is relayed until `closed` is called. */
  opened(relay: RelayedSocket): void
  /** The relayed connection has closed on both sides' account. */
  closed(relay: RelayedSocket): void
  /** The owner could not be reached (the client was told to retry). */
  unreachable(): void
}

/** Whether a close code may be sent in a close frame (1005, 1006 and 1015 may not). */
function sendable(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) ||
    (code >= 3000 && code <= 4999)
  )
}

/** Answers an upgrade on `socket` with HTTP `status` and `text` (sanitised), and closes it. */
export function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  const reason = text.replace(/[^\x20-\x7e]/g, '').slice(0, 100) || 'Refused'
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

function size(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0)
  return data instanceof ArrayBuffer ? data.byteLength : data.length
}

/** Relays the messages of `from` to `to`, reading `from` only while `to` keeps up. */
function pipeMessages(from: WebSocket, to: WebSocket): void {
  let waiting = 0
  let paused = false
  from.on('message', (data, isBinary) => {
    if (to.readyState !== WebSocket.OPEN) return
    const bytes = size(data)
    waiting += bytes
    to.send(data, { binary: isBinary }, () => {
      waiting -= bytes
      if (paused && waiting <= RELAY_LOW_WATER_BYTES) {
        paused = false
        from.resume()
      }
    })
    if (!paused && waiting > RELAY_HIGH_WATER_BYTES) {
      paused = true
      from.pause()
    }
  })
}

/** Relays `client` and `upstream` (both open) until either closes. */
function relay(client: WebSocket, upstream: WebSocket, listener: SocketForwardListener): void {
  const handle: RelayedSocket = {
    close(event) {
      if (client.readyState === WebSocket.OPEN) client.close(event.code, event.reason)
      if (upstream.readyState === WebSocket.OPEN) upstream.close(1001, 'going away')
    },
  }
  pipeMessages(client, upstream)
  pipeMessages(upstream, client)
  let heard = true
  const hear = () => {
    heard = true
  }
  upstream.on('message', hear)
  upstream.on('pong', hear)
  const liveness = setInterval(() => {
    // While backpressure holds the owner's side unread, its pongs are not read either.
    if (upstream.isPaused) heard = true
    if (!heard) {
      upstream.terminate()
      return
    }
    heard = false
    if (upstream.readyState === WebSocket.OPEN) upstream.ping()
  }, RELAY_PING_INTERVAL_MS)
  upstream.on('ping', (data) => {
    hear()
    if (client.readyState === WebSocket.OPEN) client.ping(data)
  })
  client.on('pong', (data) => {
    if (upstream.readyState === WebSocket.OPEN) upstream.pong(data)
  })
  let open = 2
  const sideClosed = () => {
    clearInterval(liveness)
    open -= 1
    if (open === 0) listener.closed(handle)
  }
  // A side closed while backpressure had paused reading it is read again, so that its close
  // frame is (the close handshake would otherwise wait for ws's 30 s close timeout).
  client.on('close', (code, reason) => {
    if (upstream.readyState === WebSocket.OPEN)
      upstream.close(sendable(code) ? code : 1000, sendable(code) ? reason : undefined)
    else if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate()
    upstream.resume()
    sideClosed()
  })
  upstream.on('close', (code, reason) => {
    // An owner gone without a close frame (1006): retry, it or its successor.
    if (client.readyState === WebSocket.OPEN)
      client.close(
        sendable(code) ? code : OwnedElsewhere.code,
        sendable(code) ? reason : OwnedElsewhere.reason,
      )
    client.resume()
    sideClosed()
  })
  client.on('error', () => client.terminate())
  listener.opened(handle)
  upstream.resume()
}

/**
 * The websocket URL an upgrade for `path` (path and query, as received) is forwarded to at
 * `ownerUrl`; its `pathname` and `search` are what the owner receives (and what is signed).
 */
export function relayTarget(path: string, ownerUrl: string): URL {
  const target = new URL(path, ownerUrl)
  target.protocol = 'ws:'
  return target
}

/**
 * Forwards the upgrade `request` (with `socket` and `head` as the 'upgrade' event gave them) to
 * `target` (see {@link relayTarget}) with `hopHeaders`, completing the client's side on `wss`
 * once the owner accepted; `listener` hears how it goes.
 */
export function forwardSocket(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: URL,
  hopHeaders: Record<string, string>,
  wss: WebSocketServer,
  listener: SocketForwardListener,
): void {
  const upstream = new WebSocket(target, {
    headers: { ...forwardableHeaders(request.headers, true), ...hopHeaders } as Record<
      string,
      string
    >,
    perMessageDeflate: false,
    handshakeTimeout: FORWARD_HANDSHAKE_TIMEOUT_MS,
    autoPong: false,
    followRedirects: false,
  })
  let settled = false
  const clientGone = () => {
    if (settled) return
    settled = true
    upstream.terminate()
  }
  socket.once('close', clientGone)
  const settle = () => {
    if (settled) return false
    settled = true
    socket.off('close', clientGone)
    return true
  }
  upstream.on('error', () => {
    if (!settle()) return
    wss.handleUpgrade(request, socket, head, (client) =>
      client.close(OwnedElsewhere.code, OwnedElsewhere.reason),
    )
    listener.unreachable()
  })
  upstream.once('unexpected-response', (upgradeRequest, response) => {
    const first = settle()
    response.resume()
    upgradeRequest.destroy()
    if (first) rejectUpgrade(socket, response.statusCode ?? 502, response.statusMessage ?? '')
  })
  upstream.once('open', () => {
    if (!settle()) {
      upstream.terminate()
      return
    }
    upstream.pause()
    wss.handleUpgrade(request, socket, head, (client) => relay(client, upstream, listener))
  })
}

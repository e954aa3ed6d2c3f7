/**
 * Websocket upgrades to `/sync/<documentName>`, on the Node HTTP server's 'upgrade' event (ws in
 * noServer mode, outside Fastify, so the path of every edit is the one measured in
 * docs/BENCHMARKS.md). Before a connection is made: the origin is checked (crossOrigin.ts), the
 * session is authenticated (the `Authorization` header, `?token=` or the cookie), and the
 * authorization policy decides the document's access; every lookup happens before the upgrade
 * completes, so that the connection's handlers are attached in the tick the socket opens and
 * nothing the client sends is missed. Each connection gets an id (`connId`) in its log lines.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { ClientOutdated, Forbidden } from '@onetext/shared/closeCodes'
import { MAX_MESSAGE_BYTES } from '@onetext/shared/limits'
import { PROTOCOL_VERSION, PROTOCOL_VERSION_PARAM } from '@onetext/shared/protocol'
import { WebSocketServer } from 'ws'
import type { AccessPolicy } from '../access/AccessPolicy'
import { presenceIdentity } from '../access/presenceIdentity'
import { authenticate, hashToken } from '../auth/sessions'
import type { Logger } from '../logger'
import type { Directory } from '../storage/Directory'
import { ClientConnection, type ConnectionContext } from '../sync/ClientConnection'
import type { ConnectionIndex } from '../sync/ConnectionIndex'
import { crossOriginRefusal, type OriginSettings } from './crossOrigin'

/** Path prefix of websocket upgrades. */
export const SYNC_PATH_PREFIX = '/sync/'

/** What the upgrade handler needs. */
export interface SyncUpgradeContext {
  directory: Directory
  policy: AccessPolicy
  connections: ConnectionIndex
  logger: Logger
  origins: OriginSettings
  /** The client's address, through trusted proxies. */
  address: (request: IncomingMessage) => string
  /** Told of every connection opened (with the request that opened it) and closed; default none. */
  tracker?: {
    opened(connection: ClientConnection, request: IncomingMessage): void
    closed(connection: ClientConnection): void
  }
  /** Everything a connection needs besides its document, identity and access. */
  connection: Omit<
    ConnectionContext,
    'docName' | 'negotiationId' | 'identity' | 'access' | 'sessionHash' | 'log'
  >
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

let connectionCount = 0

/** The upgrade handler and the websocket server it uses (closed with the server). */
export function createSyncUpgrade(context: SyncUpgradeContext): {
  onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void
  wss: WebSocketServer
} {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  })

  async function upgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    log: Logger,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (!url.pathname.startsWith(SYNC_PATH_PREFIX)) {
      rejectUpgrade(socket, 404, 'Not Found')
      return
    }
    const refusal = crossOriginRefusal('GET', request.headers, context.origins, true)
    if (refusal) {
      log.warn({ origin: request.headers.origin }, `refused a websocket: ${refusal}`)
      rejectUpgrade(socket, 403, 'Forbidden')
      return
    }
    const session = await authenticate(context.directory, request, url.searchParams.get('token'))
    if (!session) {
      rejectUpgrade(socket, 401, 'Unauthorized')
      return
    }
    let docName = ''
    try {
      docName = decodeURIComponent(url.pathname.slice(SYNC_PATH_PREFIX.length))
    } catch {
      docName = ''
    }
    const address = context.address(request)
    const decision = await context.policy.openDocument(session.user, docName, address)
    const { ref, member, access } = decision
    const parties =
      ref && member && access !== 'none'
        ? await context.directory.listParties(ref.negotiationId)
        : []
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (!ref || !member || access === 'none') {
        // Same answer whether or not the document exists; no document is loaded.
        ws.close(Forbidden.code, Forbidden.reason)
        return
      }
      const richText = ref.kind === 'draft' || ref.kind === 'supplement' || ref.kind === 'suggest'
      if (richText && url.searchParams.get(PROTOCOL_VERSION_PARAM) !== String(PROTOCOL_VERSION)) {
        // A page from before an upgrade: its editor may not know the document format (and would
        // delete what it cannot render), so it opens no rich text until it is reloaded. Other
        // documents hold no rich text: such a page may still save its edits to them.
        ws.close(ClientOutdated.code, ClientOutdated.reason)
        return
      }
      context.policy.recordOpen(session.user, decision, docName, address)
      log.info({ document: docName, userId: session.user.id, access }, 'websocket open')
      const connection = new ClientConnection(ws, socket, {
        ...context.connection,
        docName,
        negotiationId: ref.negotiationId,
        identity: presenceIdentity(session.user, member, parties),
        access,
        sessionHash: hashToken(session.token),
        log: (line) => log.info(line),
      })
      context.connections.add(connection)
      context.tracker?.opened(connection, request)
      ws.on('close', (code) => {
        context.connections.remove(connection)
        context.tracker?.closed(connection)
        log.info({ document: docName, code }, 'websocket closed')
      })
    })
  }

  function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy())
    connectionCount += 1
    const log = context.logger.child({ connId: `ws-${connectionCount.toString(36)}` })
    upgrade(request, socket, head, log).catch((error: unknown) => {
      log.error({ err: error }, 'upgrade failed')
      rejectUpgrade(socket, 500, 'Internal Server Error')
    })
  }

  return { onUpgrade, wss }
}

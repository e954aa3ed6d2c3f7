/**
 * The OneText server: one HTTP server for the JSON API (`/api`), health (`/healthz`), the built
 * client (`/`) and websocket upgrades (`/sync/<documentName>`), on one port. Storage is the
 * embedded SQLite database in DATA_DIR.
 */
import http, { type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Duplex } from 'node:stream'
import { ClientOutdated, Forbidden, ServerShutdown } from '@onetext/shared/closeCodes'
import { parseDocumentName } from '@onetext/shared/documentNames'
import { MAX_MESSAGE_BYTES } from '@onetext/shared/limits'
import {
  ErrorCode,
  PROTOCOL_VERSION,
  PROTOCOL_VERSION_PARAM,
  writeError,
} from '@onetext/shared/protocol'
import { WebSocketServer } from 'ws'
import { documentAccess, supplementAccess } from './access/documentAccess'
import { presenceIdentity } from './access/presenceIdentity'
import { LoginThrottle } from './auth/LoginThrottle'
import { authenticate } from './auth/sessions'
import type { ServerConfig } from './config'
import type { AppContext } from './http/AppContext'
import { addAuthRoutes } from './http/authRoutes'
import { addClauseRoutes } from './http/clauseRoutes'
import { addCreateNegotiationRoute } from './http/createNegotiationRoute'
import { addExportRoutes } from './http/exportRoutes'
import { addInviteRoutes } from './http/inviteRoutes'
import { addIterationRoutes } from './http/iterationRoutes'
import { HttpError, sendError, sendJson } from './http/json'
import { addMemberRoutes } from './http/memberRoutes'
import { addNegotiationRoutes } from './http/negotiationRoutes'
import { addProposalRoutes } from './http/proposalRoutes'
import { Router } from './http/Router'
import { clientAddress } from './http/requestAuth'
import { SECURITY_HEADERS, serveStatic } from './http/staticFiles'
import { addSupplementRoutes } from './http/supplementRoutes'
import { NegotiationError } from './negotiation/NegotiationError'
import {
  createNegotiationServices,
  type NegotiationServices,
} from './negotiation/NegotiationServices'
import { seedDemoIfEmpty } from './seed/demoSeed'
import type { AuditLog } from './storage/AuditLog'
import type { Directory } from './storage/Directory'
import type { DocumentStore } from './storage/DocumentStore'
import { SqliteAuditLog } from './storage/SqliteAuditLog'
import { DATABASE_FILE, openSqliteDatabase } from './storage/SqliteDatabase'
import { SqliteDirectory } from './storage/SqliteDirectory'
import { SqliteDocumentStore } from './storage/SqliteDocumentStore'
import { SqliteIterationStore } from './storage/SqliteIterationStore'
import { SqliteWriter } from './storage/SqliteWriter'
import { SupplementStore } from './storage/SupplementStore'
import { ClientConnection } from './sync/ClientConnection'
import { ConnectionIndex } from './sync/ConnectionIndex'
import { DocumentRegistry } from './sync/DocumentRegistry'
import { PersistenceQueue } from './sync/PersistenceQueue'
import { DEFAULT_BACKLOG_LIMITS } from './sync/SendBacklog'
import { TurnCork } from './sync/TurnCork'

/** Path prefix of websocket upgrades. */
export const SYNC_PATH_PREFIX = '/sync/'

/** A running server. */
export interface OneTextServer {
  /** The port it listens on (the real one when started with port 0). */
  readonly port: number
  /** `http://host:port`. */
  readonly url: string
  readonly directory: Directory
  readonly store: DocumentStore
  readonly audit: AuditLog
  readonly connections: ConnectionIndex
  readonly registry: DocumentRegistry
  readonly services: NegotiationServices
  /** True when the demo was seeded by this start. */
  readonly seeded: boolean
  /** Stops accepting, closes connections, writes everything pending, closes the database. */
  close(): Promise<void>
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/** Starts a server with `config`; resolves once it is listening. */
export async function startServer(config: ServerConfig): Promise<OneTextServer> {
  if (config.store !== 'sqlite') {
    throw new RangeError(`STORE=${config.store} is not available in this version; use sqlite`)
  }
  const db = openSqliteDatabase(config.dataDir)
  const writer = new SqliteWriter(path.join(config.dataDir, DATABASE_FILE))
  const directory = new SqliteDirectory(db, writer)
  const store = new SqliteDocumentStore(db, writer)
  const audit = new SqliteAuditLog(db, writer, config.log)
  const connections = new ConnectionIndex()
  const cork = new TurnCork()
  const persistence = new PersistenceQueue(store, (error) => {
    if (error) {
      config.log(`storage write failed, retrying: ${error.message}`)
      connections.broadcast(
        writeError(
          ErrorCode.storageRetrying,
          'The server cannot save right now; it keeps retrying.',
        ),
      )
    } else {
      config.log('storage writes recovered')
    }
  })
  const registry = new DocumentRegistry(store, persistence, config.idleUnloadMs, config.log)
  const seeded = config.seedDemo
    ? await seedDemoIfEmpty(directory, store, config.demoPassword)
    : false

  const router = new Router()
  router.add('GET', '/healthz', async ({ response }) => sendJson(response, 200, { ok: true }))
  // Operational figures for monitoring and benchmarks; counts only, nothing about content.
  router.add('GET', '/metrics', async ({ response, url }) => {
    const gc = (globalThis as { gc?: () => void }).gc
    if (url.searchParams.get('gc') === '1' && gc) gc()
    const memory = process.memoryUsage()
    sendJson(response, 200, {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      documents: registry.size,
      connections: connections.size,
    })
  })
  const app: AppContext = { directory, audit, connections, log: config.log }
  addAuthRoutes(router, app, new LoginThrottle())
  addNegotiationRoutes(router, app)
  addMemberRoutes(router, app)
  addInviteRoutes(router, app)
  const services = createNegotiationServices(
    registry,
    store,
    persistence,
    new SqliteIterationStore(db),
    directory,
  )
  addIterationRoutes(router, app, services)
  addClauseRoutes(router, app, services)
  addProposalRoutes(router, app, services)
  addExportRoutes(router, app, services)
  addCreateNegotiationRoute(router, app, store)
  const supplements = new SupplementStore(db)
  addSupplementRoutes(router, app, services, store, supplements)

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const isApi =
      url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname === '/metrics'
    if (!isApi && config.clientDir && (request.method === 'GET' || request.method === 'HEAD')) {
      if (serveStatic(config.clientDir, url.pathname, response)) return
    }
    let route: ReturnType<Router['match']>
    try {
      route = router.match(request.method ?? 'GET', url.pathname)
    } catch (error) {
      sendError(response, error as HttpError)
      return
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value)
    route.handler({ request, response, url, params: route.params }).catch((error: unknown) => {
      if (error instanceof NegotiationError) {
        const status = { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409 }[error.kind]
        if (!response.headersSent)
          sendError(response, new HttpError(status, error.code, error.message))
        return
      }
      if (error instanceof HttpError) {
        if (!response.headersSent) sendError(response, error)
        else response.destroy()
        return
      }
      config.log(`error in ${request.method} ${url.pathname}: ${String(error)}`)
      if (!response.headersSent)
        sendError(response, new HttpError(500, 'internal', 'Something went wrong on the server.'))
      else response.destroy()
    })
  })

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  })

  async function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (!url.pathname.startsWith(SYNC_PATH_PREFIX)) {
      rejectUpgrade(socket, 404, 'Not Found')
      return
    }
    const session = await authenticate(directory, request, url, true)
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
    const ref = parseDocumentName(docName)
    const member = ref ? await directory.findMember(ref.negotiationId, session.user.id) : null
    const supplement =
      ref?.kind === 'supplement' && member
        ? await supplements.find(ref.negotiationId, ref.partyId ?? '')
        : null
    const access =
      ref && member
        ? ref.kind === 'supplement'
          ? supplement
            ? supplementAccess(member, supplement.ownerUserId)
            : 'none'
          : documentAccess(member, ref)
        : 'none'
    // Every lookup happens before the upgrade completes, so that the connection's message handlers
    // are attached in the same tick as the socket opens: nothing the client sends can be missed.
    const parties =
      ref && member && access !== 'none' ? await directory.listParties(ref.negotiationId) : []
    const auditBase = {
      negotiationId: ref?.negotiationId ?? null,
      userId: session.user.id,
      email: session.user.email,
      address: clientAddress(request),
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (!ref || !member || access === 'none') {
        // Same answer whether or not the document exists; no document is loaded.
        audit.record({
          ...auditBase,
          action: 'document-refused',
          detail: { document: docName.slice(0, 200) },
        })
        ws.close(Forbidden.code, Forbidden.reason)
        return
      }
      const richText = ref.kind === 'draft' || ref.kind === 'supplement'
      if (richText && url.searchParams.get(PROTOCOL_VERSION_PARAM) !== String(PROTOCOL_VERSION)) {
        // A page from before an upgrade: its editor may not know the document format (and would
        // delete what it cannot render), so it opens no rich text until it is reloaded. Other
        // documents hold no rich text: such a page may still save its edits to them.
        ws.close(ClientOutdated.code, ClientOutdated.reason)
        return
      }
      audit.record({ ...auditBase, action: 'document-open', detail: { document: docName, access } })
      const connection = new ClientConnection(ws, socket, {
        docName,
        negotiationId: ref.negotiationId,
        identity: presenceIdentity(session.user, member, parties),
        access,
        registry,
        persistence,
        cork,
        backlogLimits: config.backlogLimits ?? DEFAULT_BACKLOG_LIMITS,
        log: config.log,
      })
      connections.add(connection)
      ws.on('close', () => connections.remove(connection))
    })
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    onUpgrade(request, socket, head).catch((error: unknown) => {
      config.log(`upgrade failed: ${String(error)}`)
      rejectUpgrade(socket, 500, 'Internal Server Error')
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host

  let closing: Promise<void> | null = null
  return {
    port,
    url: `http://${hostForUrl}:${port}`,
    directory,
    store,
    audit,
    connections,
    registry,
    services,
    seeded,
    close() {
      closing ??= (async () => {
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()))
        connections.closeAll(ServerShutdown)
        wss.close()
        server.closeAllConnections()
        await registry.closeAll()
        await audit.flush()
        await writer.close()
        db.close()
        await httpClosed
      })()
      return closing
    },
  }
}

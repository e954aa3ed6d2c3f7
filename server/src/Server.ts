/**
 * The OneText server: one port for the JSON API (`/api`, Fastify), health (`/healthz`), the built
 * client (`/`) and websocket upgrades (`/sync/<documentName>`, on the Node server's 'upgrade'
 * event). Storage is the embedded SQLite database in DATA_DIR (`STORE=sqlite`, the default) or
 * the PostgreSQL database at DATABASE_URL (`STORE=postgres`), where several processes may share
 * the database: each negotiation is owned by one process at a time (NegotiationLeases), and a
 * connection or request for a negotiation another live process owns is forwarded to it
 * (Forwarding). With REDIS_URL, access changes and sign-outs reach every process (ClusterBus,
 * AccessChanges), the sign-in limits count across processes (RedisFailureLog,
 * SharedRateLimitStore), and a negotiation moves to the process its clients come through
 * (HandOver).
 */
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import proxyAddr from '@fastify/proxy-addr'
import rateLimit from '@fastify/rate-limit'
import { OwnedElsewhere, ServerShutdown } from '@onetext/shared/closeCodes'
import { ErrorCode, writeError } from '@onetext/shared/protocol'
import { AccessPolicy } from './access/AccessPolicy'
import { ConnectionRecheck } from './access/ConnectionRecheck'
import { LoginThrottle } from './auth/LoginThrottle'
import { SignInCheck } from './auth/SignInCheck'
import { AccessChanges } from './cluster/AccessChanges'
import { ClusterBus } from './cluster/ClusterBus'
import { Forwarding } from './cluster/Forwarding'
import { HandOver } from './cluster/HandOver'
import { RedisFailureLog } from './cluster/RedisFailureLog'
import { sharedRateLimitStore } from './cluster/SharedRateLimitStore'
import type { ServerConfig, TrustProxy } from './config'
import { checkStoredEntry } from './gate/updateStructure'
import type { AppContext } from './http/AppContext'
import { addActivityRoutes } from './http/activityRoutes'
import { addAuthRoutes } from './http/authRoutes'
import { addClauseRoutes } from './http/clauseRoutes'
import { clientAddressOf, forwardedAddressOf } from './http/clientAddress'
import { addCreateNegotiationRoute } from './http/createNegotiationRoute'
import { originOf } from './http/crossOrigin'
import { addDraftChangeRoutes } from './http/draftChangeRoutes'
import { addExportRoutes } from './http/exportRoutes'
import { createHttpApp, type ServedRoute } from './http/HttpApp'
import { addInviteRoutes } from './http/inviteRoutes'
import { addIterationRoutes } from './http/iterationRoutes'
import { addMemberRoutes } from './http/memberRoutes'
import { addNegotiationRoutes } from './http/negotiationRoutes'
import { addOpenApi } from './http/openApi'
import { addStaticFiles } from './http/staticFiles'
import { addSuggestionRoutes } from './http/suggestionRoutes'
import { addSupplementRoutes } from './http/supplementRoutes'
import { createSyncUpgrade } from './http/syncUpgrade'
import { addSystemRoutes } from './http/systemRoutes'
import { addVoteRoutes } from './http/voteRoutes'
import { migrateStoredDocuments } from './negotiation/clauseTreeMigration'
import {
  createNegotiationServices,
  type NegotiationServices,
} from './negotiation/NegotiationServices'
import { migrateStoredProposals } from './negotiation/suggestionMigration'
import { ActivityMail } from './notify/ActivityMail'
import { Mailer } from './notify/Mailer'
import { seedDemoIfEmpty } from './seed/demoSeed'
import type { AuditLog } from './storage/AuditLog'
import type { Directory } from './storage/Directory'
import type { DocumentStore } from './storage/DocumentStore'
import { openStores } from './storage/openStores'
import type { NegotiationLeases } from './storage/postgres/NegotiationLeases'
import type { StoreSet } from './storage/StoreSet'
import type { ConnectionIndex } from './sync/ConnectionIndex'
import { ConnectionIndex as Connections } from './sync/ConnectionIndex'
import { DocumentRegistry } from './sync/DocumentRegistry'
import { PersistenceQueue } from './sync/PersistenceQueue'
import { DEFAULT_BACKLOG_LIMITS } from './sync/SendBacklog'
import { TurnCork } from './sync/TurnCork'

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
  /** The negotiation leases this process holds (PostgreSQL), or null (SQLite). */
  readonly leases: NegotiationLeases | null
  /** The Redis bus to the other processes (REDIS_URL), or null. */
  readonly bus: ClusterBus | null
  /** Forwarding to the owners of negotiations (PostgreSQL), or null (SQLite). */
  readonly forwarding: Forwarding | null
  /** Hand-over requests between processes (PostgreSQL with REDIS_URL), or null. */
  readonly handOver: HandOver | null
  /** Where the other processes reach this one (INTERNAL_URL, or its default). */
  readonly internalUrl: string
  /** Closes the connections access changes and sign-outs affect, here and on every process. */
  readonly accessChanges: AccessChanges
  /** True when the demo was seeded by this start. */
  readonly seeded: boolean
  /** Every HTTP route it serves (for the test that each has a schema). */
  readonly routes: readonly ServedRoute[]
  /** Activity e-mail (null without SMTP_URL); `idle()` resolves once what is due has been sent. */
  readonly mail: { idle(): Promise<void> } | null
  /**
   * Stops: closes every client connection (those relayed to another process too) with the reconnect
   * code `ServerShutdown`, stops accepting, writes everything pending, releases the negotiation
   * leases (other processes take the negotiations over at once), closes the database.
   */
  close(): Promise<void>
}

/** Where the other processes reach a server listening on `host`:`port` without INTERNAL_URL. */
function defaultInternalUrl(host: string, port: number): string {
  const reachable = host === '' || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`
}

/** The client address of a raw request, believing the proxies `trust` names. */
function addressResolver(trust: TrustProxy): (request: IncomingMessage) => string {
  if (trust === false) return (request) => request.socket.remoteAddress ?? 'unknown'
  const trusted =
    trust === true
      ? () => true
      : typeof trust === 'number'
        ? (_address: string, hop: number) => hop < trust
        : proxyAddr.compile(trust)
  return (request) => proxyAddr(request, trusted)
}

/**
 * Starts a server with `config` on the stores `config.store` names; resolves once it is listening.
 * When it cannot start, the stores it opened are closed again before it rejects.
 */
export async function startServer(config: ServerConfig): Promise<OneTextServer> {
  const logger = config.logger
  const stores = await openStores(config, {
    onAuditError: (line) => logger.error(line),
    onConnectionError: (error) => logger.error({ err: error }, 'database connection failed'),
  })
  // Connects in the background: a process starts, and serves, while Redis is away.
  const bus = config.redisUrl ? new ClusterBus(config.redisUrl, config.redisPrefix, logger) : null
  try {
    return await startOn(config, stores, bus)
  } catch (error) {
    bus?.close()
    await stores.close().catch(() => {})
    throw error
  }
}

/** Builds the server on `stores` and `bus` and starts listening; its `close` closes them. */
async function startOn(
  config: ServerConfig,
  stores: StoreSet,
  bus: ClusterBus | null,
): Promise<OneTextServer> {
  const logger = config.logger
  const log = (line: string) => logger.info(line)
  const { directory, audit, supplements, readers } = stores
  const store = stores.documents
  const connections = new Connections()
  const cork = new TurnCork()
  const persistence = new PersistenceQueue(store, (error) => {
    if (error) {
      logger.warn(`storage write failed, retrying: ${error.message}`)
      connections.broadcast(
        writeError(
          ErrorCode.storageRetrying,
          'The server cannot save right now; it keeps retrying.',
        ),
      )
    } else {
      logger.info('storage writes recovered')
    }
  })
  const registry = new DocumentRegistry(
    store,
    persistence,
    config.idleUnloadMs,
    log,
    checkStoredEntry,
    stores.leases,
    config.updateTurnBudgetMs,
  )
  // A negotiation taken over by another process (this one stalled): nothing more of it is
  // written here, and its clients reconnect (to the owner, behind a balancer routing by id).
  stores.leases?.onLost((negotiationId) => {
    logger.warn(`lost the lease of negotiation ${negotiationId} to another process`)
    connections.closeNegotiation(negotiationId, OwnedElsewhere)
    registry.dropNegotiation(negotiationId)
  })
  const seeded = config.seedDemo
    ? await seedDemoIfEmpty(directory, store, config.demoPassword)
    : false
  const policy = new AccessPolicy(
    directory,
    audit,
    supplements,
    config.organizers,
    config.seedDemo,
    (negotiationId) => stores.iterations.lastNumber(negotiationId),
  )
  const services = createNegotiationServices(
    registry,
    store,
    persistence,
    stores.iterations,
    directory,
    log,
  )
  await migrateStoredDocuments({
    store,
    registry,
    durable: () => services.docs.durable(),
    log,
  })
  await migrateStoredProposals({ store, docs: services.docs, log })
  const mailer = config.smtpUrl ? new Mailer(config.smtpUrl, config.mailFrom, logger) : null
  const mail = mailer ? new ActivityMail(directory, readers, mailer, config.publicUrl) : null
  if (mail)
    services.docs.onActivity((negotiationId, entries) =>
      mail.notify(negotiationId, entries, (error) =>
        logger.error({ err: error }, 'mail: reading the recipients of activity failed'),
      ),
    )
  const origins = {
    allowedOrigins: config.allowedOrigins,
    publicOrigin: config.publicUrl ? originOf(config.publicUrl) : null,
  }

  const { app: http, routes } = createHttpApp({
    ...origins,
    logger,
    trustProxy: config.trustProxy,
    servesClient: config.clientDir !== null,
    checkResponses: config.checkResponses,
  })
  const sharedCountFailed = (error: unknown) => bus?.commandFailed('a shared sign-in count', error)
  await http.register(rateLimit, {
    global: false,
    keyGenerator: clientAddressOf,
    ...(bus
      ? {
          store: sharedRateLimitStore({
            redis: bus.commands,
            prefix: bus.prefix,
            onError: sharedCountFailed,
          }),
        }
      : {}),
  })
  await addOpenApi(http)
  const recheck = new ConnectionRecheck(directory, policy, connections, (error) =>
    logger.error({ err: error }, 're-checking open connections against the store failed'),
  )
  const accessChanges = new AccessChanges(connections, recheck, bus, logger)
  const app: AppContext = {
    directory,
    audit,
    connections,
    policy,
    accessChanges,
    logger,
    publicUrl: config.publicUrl,
  }
  const throttle = new LoginThrottle(
    bus ? new RedisFailureLog(bus.commands, bus.prefix) : null,
    sharedCountFailed,
  )
  const signIn = new SignInCheck(directory, audit, throttle, (error) =>
    logger.error({ err: error }, 'upgrading a password hash failed'),
  )
  // Forwarding is made with the websocket server, below; it exists before the first request.
  const forwardingMetrics = { metrics: () => (forwarding as Forwarding).metrics() }
  addSystemRoutes(
    http,
    registry,
    connections,
    store,
    stores.leases,
    bus,
    stores.leases ? forwardingMetrics : null,
  )
  addAuthRoutes(http, app, signIn)
  addNegotiationRoutes(http, app, services)
  addMemberRoutes(http, app)
  addInviteRoutes(http, app, signIn)
  addIterationRoutes(http, app, services)
  addClauseRoutes(http, app, services)
  addActivityRoutes(http, app, services, readers, mail !== null)
  addSuggestionRoutes(http, app, services)
  addVoteRoutes(http, app, services)
  addDraftChangeRoutes(http, app, services)
  addExportRoutes(http, app, services)
  addCreateNegotiationRoute(http, app, store)
  addSupplementRoutes(http, app, services, store, supplements)
  if (config.clientDir) await addStaticFiles(http, config.clientDir, config.sourceMaps)

  const throughProxies = addressResolver(config.trustProxy)
  const address = (request: IncomingMessage) =>
    forwardedAddressOf(request) ?? throughProxies(request)
  let forwarding: Forwarding | null = null
  const { onUpgrade, wss } = createSyncUpgrade({
    directory,
    policy,
    connections,
    logger,
    origins,
    address,
    tracker: {
      opened: (connection, request) => forwarding?.opened(connection, request),
      closed: (connection) => forwarding?.closed(connection),
    },
    connection: {
      registry,
      persistence,
      cork,
      backlogLimits: config.backlogLimits ?? DEFAULT_BACKLOG_LIMITS,
    },
  })
  const secret = config.clusterSecret ?? stores.clusterSecret
  let handOver: HandOver | null = null
  if (stores.leases && secret) {
    const leases = stores.leases
    forwarding = new Forwarding({
      leases,
      secret,
      wss,
      logger,
      address,
      onForwarded: (negotiationId, holder) => handOver?.ask(negotiationId, holder.owner),
    })
    const via = forwarding
    http.addHook('onRequest', via.onRequest)
    http.server.on('upgrade', (request, socket, head) =>
      via.onUpgrade(request, socket, head, onUpgrade),
    )
    if (bus)
      handOver = new HandOver({
        bus,
        leases,
        connections,
        registry,
        logger,
        via: (connection) => via.via(connection),
      })
  } else http.server.on('upgrade', onUpgrade)

  await http.listen({ port: config.port, host: config.host })
  const port = (http.server.address() as AddressInfo).port
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host
  const internalUrl = config.internalUrl ?? defaultInternalUrl(config.host, port)
  await stores.leases?.setAddress(internalUrl)
  forwarding?.setSelf(internalUrl)

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
    leases: stores.leases,
    bus,
    forwarding,
    handOver,
    internalUrl,
    accessChanges,
    seeded,
    routes,
    mail,
    close() {
      closing ??= (async () => {
        forwarding?.close(ServerShutdown)
        connections.closeAll(ServerShutdown)
        wss.close()
        await http.close()
        await handOver?.idle()
        await registry.closeAll()
        // Everything is on disk: the other processes may take the negotiations over now.
        await stores.leases?.close()
        bus?.close()
        await accessChanges.idle()
        await audit.flush()
        // Mail last: an SMTP server that does not answer must not hold up what is on disk.
        await mailer?.close()
        await stores.close()
      })()
      return closing
    },
  }
}

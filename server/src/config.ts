/**
 * Server configuration, read from the environment: DESIGN's external interface (HOST, PORT,
 * DATA_DIR, DEMO_PASSWORD, DEMO, STORE, DATABASE_URL, REDIS_URL, REDIS_PREFIX, INTERNAL_URL,
 * CLUSTER_SECRET) and the operators' settings
 * (TRUST_PROXY, PUBLIC_URL, LOG_LEVEL, ALLOWED_ORIGINS, ORGANIZERS, SOURCE_MAPS, SMTP_URL, MAIL_FROM), each in the
 * README's configuration table.
 */
import path from 'node:path'
import { originOf, parseAllowedOrigins } from './http/crossOrigin'
import { createLogger, type Logger, readLogLevel } from './logger'
import type { StorageFaults } from './storage/StorageFaults'
import type { BacklogLimits } from './sync/SendBacklog'

/** Which storage backend holds documents and accounts. */
export type StoreKind = 'sqlite' | 'postgres'

/**
 * Which proxies to believe about the client's address and protocol (`X-Forwarded-For`,
 * `X-Forwarded-Proto`, `X-Forwarded-Host`): none (false), every one (true), the addresses or CIDR
 * ranges listed, or the number of hops.
 */
export type TrustProxy = boolean | string[] | number

/** Everything the server needs to start. */
export interface ServerConfig {
  /** Interface to listen on. Env `HOST`, default 127.0.0.1. */
  host: string
  /** Port to listen on; 0 picks a free one. Env `PORT`, default 8080. */
  port: number
  /** Folder for the SQLite file. Env `DATA_DIR`, default ./data. */
  dataDir: string
  /** Password of every demo account. Env `DEMO_PASSWORD`, default `demo`. */
  demoPassword: string
  /** Seed the demo negotiation on an empty store. Env `DEMO=0` turns it off. */
  seedDemo: boolean
  /** Storage backend. Env `STORE`, default sqlite. */
  store: StoreKind
  /** PostgreSQL connection string, required for `STORE=postgres`. Env `DATABASE_URL`. */
  databaseUrl: string | null
  /**
   * Redis connection string (`redis://` or `rediss://`): what every process must hear at once
   * (access changes, sign-outs) and the shared sign-in counters. Env `REDIS_URL`; none: each
   * process on its own.
   */
  redisUrl: string | null
  /** What every Redis key and channel of this deployment starts with. Env `REDIS_PREFIX`, default `onetext:`. */
  redisPrefix: string
  /**
   * Where the other processes reach this one (`http://host:port`, no path), written into the leases
   * it holds so that they forward connections and requests for its negotiations to it. Env
   * `INTERNAL_URL`; default `http://<HOST>:<port it listens on>`, with 127.0.0.1 for a HOST of
   * 0.0.0.0 or `::` (right only when every process runs on one machine).
   */
  internalUrl: string | null
  /**
   * The secret forwarded requests are signed with (HMAC-SHA256), at least 32 characters; every
   * process of a deployment must have the same one. Env `CLUSTER_SECRET`; default: the one made
   * at the first start and kept in the PostgreSQL database (see storage/postgres/clusterSecret.ts).
   */
  clusterSecret: string | null
  /** Folder of the built client, served at `/`. Null serves no client. */
  clientDir: string | null
  /** Serve the client's `.map` files. Env `SOURCE_MAPS=1`; default off. */
  sourceMaps: boolean
  /** Milliseconds a document with no connections stays in memory. Env `IDLE_UNLOAD_MS`, default 30000. */
  idleUnloadMs: number
  /** Proxies believed about client addresses. Env `TRUST_PROXY`: `1`/`true`, a hop count, or addresses/CIDRs; default none. */
  trustProxy: TrustProxy
  /** The address people reach the server at, for links (invitations) and the default allowed origin. Env `PUBLIC_URL`. */
  publicUrl: string | null
  /** Origins allowed to change things and open websockets, besides the server's own. Env `ALLOWED_ORIGINS`, comma-separated. */
  allowedOrigins: string[]
  /** Where activity e-mail goes out (smtp:// or smtps://, with credentials); null: no e-mail. Env `SMTP_URL`. */
  smtpUrl: string | null
  /** The sender of activity e-mail. Env `MAIL_FROM`. */
  mailFrom: string
  /** Emails of the accounts that may start negotiations (lower-cased). Env `ORGANIZERS`, comma-separated; the demo's mediator is always one. */
  organizers: string[]
  /** The structured log (pino) at LOG_LEVEL (default `info`). */
  logger: Logger
  /** Check every JSON answer against its route's schema and answer 500 when it does not match (tests). */
  checkResponses: boolean
  /** How far behind a client may fall before it is dropped; the named limits unless set (tests). */
  backlogLimits?: BacklogLimits
  /** Simulated disk failures (tests only; never read from the environment). */
  storageFaults?: StorageFaults
  /**
   * Most time client updates of one document take of an event-loop turn; `UPDATE_TURN_BUDGET_MS`
   * unless set (tests that count turns on a busy machine; never read from the environment).
   */
  updateTurnBudgetMs?: number
}

function readInteger(
  value: string | undefined,
  fallback: number,
  name: string,
  max: number,
): number {
  if (value === undefined || value === '') return fallback
  const number = Number(value)
  if (!Number.isInteger(number) || number < 0 || number > max) {
    throw new RangeError(
      `${name} must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`,
    )
  }
  return number
}

function readStore(value: string | undefined): StoreKind {
  if (value === undefined || value === '' || value === 'sqlite') return 'sqlite'
  if (value === 'postgres') return 'postgres'
  throw new RangeError(`STORE must be sqlite or postgres, got ${JSON.stringify(value)}`)
}

/**
 * Reads DATABASE_URL for `store`: a postgres:// (or postgresql://) URL, required with
 * `STORE=postgres`; a RangeError otherwise. The value is never echoed (it may hold a password).
 */
export function readDatabaseUrl(value: string | undefined, store: StoreKind): string | null {
  const text = value?.trim() ?? ''
  if (text === '') {
    if (store === 'postgres')
      throw new RangeError('STORE=postgres needs DATABASE_URL (a postgres:// connection string)')
    return null
  }
  if (!/^postgres(ql)?:\/\//.test(text))
    throw new RangeError('DATABASE_URL must be a postgres:// or postgresql:// URL')
  return text
}

/**
 * Reads REDIS_URL: a redis:// or rediss:// URL, or null when empty; a RangeError otherwise. The
 * value is never echoed (it may hold a password).
 */
export function readRedisUrl(value: string | undefined): string | null {
  const text = value?.trim() ?? ''
  if (text === '') return null
  if (!/^rediss?:\/\/./.test(text))
    throw new RangeError('REDIS_URL must be a redis:// or rediss:// URL')
  return text
}

/** Longest REDIS_PREFIX. */
const MAX_REDIS_PREFIX_LENGTH = 100

/**
 * Reads REDIS_PREFIX (default `onetext:`): 1 to 100 printable ASCII characters without spaces, so
 * that deployments (or tests) sharing one Redis keep apart; a RangeError otherwise.
 */
export function readRedisPrefix(value: string | undefined): string {
  if (value === undefined || value === '') return 'onetext:'
  if (value.length > MAX_REDIS_PREFIX_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
    throw new RangeError(
      `REDIS_PREFIX must be 1 to ${MAX_REDIS_PREFIX_LENGTH} printable characters without spaces, got ${JSON.stringify(value)}`,
    )
  }
  return value
}

/** A URL setting read as a URL: null when empty, a RangeError saying `refusal` when unreadable. */
function settingUrl(value: string | undefined, refusal: string): URL | null {
  const text = value?.trim() ?? ''
  if (text === '') return null
  try {
    return new URL(text)
  } catch {
    throw new RangeError(refusal)
  }
}

/**
 * Reads INTERNAL_URL: an http:// URL of a host and port with no path, kept without a trailing
 * slash, or null when empty; a RangeError otherwise.
 */
export function readInternalUrl(value: string | undefined): string | null {
  const url = settingUrl(value, `INTERNAL_URL must be an http:// URL, got ${JSON.stringify(value)}`)
  if (url === null) return null
  if (url.protocol !== 'http:' || url.pathname !== '/' || url.search !== '' || url.username !== '')
    throw new RangeError(
      `INTERNAL_URL must be http://host:port with nothing after it, got ${JSON.stringify(value)}`,
    )
  return url.origin
}

/** Shortest CLUSTER_SECRET. */
export const MIN_CLUSTER_SECRET_LENGTH = 32

/**
 * Reads CLUSTER_SECRET: at least {@link MIN_CLUSTER_SECRET_LENGTH} characters, or null when empty;
 * a RangeError otherwise (without echoing it).
 */
export function readClusterSecret(value: string | undefined): string | null {
  if (value === undefined || value === '') return null
  if (value.length < MIN_CLUSTER_SECRET_LENGTH)
    throw new RangeError(`CLUSTER_SECRET must be at least ${MIN_CLUSTER_SECRET_LENGTH} characters`)
  return value
}

/** Reads TRUST_PROXY: empty or `0`/`false` none, `1`/`true` all, a number of hops above 1, else addresses. */
export function readTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? ''
  if (text === '' || text === '0' || text === 'false') return false
  if (text === '1' || text === 'true') return true
  if (/^\d+$/.test(text)) return Number(text)
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
}

/** Reads PUBLIC_URL: an http(s) URL, kept without a trailing slash; a RangeError otherwise. */
export function readPublicUrl(value: string | undefined): string | null {
  const text = value?.trim() ?? ''
  if (text === '') return null
  if (originOf(text) === null) {
    throw new RangeError(`PUBLIC_URL must be an http(s) URL, got ${JSON.stringify(value)}`)
  }
  return text.replace(/\/+$/, '')
}

/** Reads SMTP_URL: an smtp:// or smtps:// URL; a RangeError otherwise. */
export function readSmtpUrl(value: string | undefined): string | null {
  // The value is not echoed: it may hold the SMTP password.
  const url = settingUrl(value, 'SMTP_URL must be an smtp:// or smtps:// URL')
  if (url === null) return null
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '')
    throw new RangeError('SMTP_URL must be an smtp:// or smtps:// URL')
  return (value ?? '').trim()
}

/** Reads ORGANIZERS: comma-separated emails, lower-cased. */
export function readOrganizers(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
}

/** Builds a config from `env` (default `process.env`); throws RangeError on an invalid value. */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  defaults: Partial<ServerConfig> = {},
): ServerConfig {
  return {
    host: env.HOST || defaults.host || '127.0.0.1',
    port: readInteger(env.PORT, defaults.port ?? 8080, 'PORT', 65535),
    dataDir: path.resolve(env.DATA_DIR || defaults.dataDir || './data'),
    demoPassword: env.DEMO_PASSWORD || defaults.demoPassword || 'demo',
    seedDemo: env.DEMO !== '0' && (defaults.seedDemo ?? true),
    store: readStore(env.STORE),
    databaseUrl: readDatabaseUrl(env.DATABASE_URL, readStore(env.STORE)),
    redisUrl: readRedisUrl(env.REDIS_URL),
    redisPrefix: readRedisPrefix(env.REDIS_PREFIX),
    internalUrl: readInternalUrl(env.INTERNAL_URL) ?? defaults.internalUrl ?? null,
    clusterSecret: readClusterSecret(env.CLUSTER_SECRET) ?? defaults.clusterSecret ?? null,
    clientDir: defaults.clientDir ?? null,
    sourceMaps: env.SOURCE_MAPS === '1' || (defaults.sourceMaps ?? false),
    idleUnloadMs: readInteger(
      env.IDLE_UNLOAD_MS,
      defaults.idleUnloadMs ?? 30_000,
      'IDLE_UNLOAD_MS',
      2_147_483_647,
    ),
    trustProxy:
      env.TRUST_PROXY !== undefined
        ? readTrustProxy(env.TRUST_PROXY)
        : (defaults.trustProxy ?? false),
    publicUrl: readPublicUrl(env.PUBLIC_URL) ?? defaults.publicUrl ?? null,
    allowedOrigins:
      env.ALLOWED_ORIGINS !== undefined
        ? parseAllowedOrigins(env.ALLOWED_ORIGINS)
        : (defaults.allowedOrigins ?? []),
    smtpUrl: readSmtpUrl(env.SMTP_URL) ?? defaults.smtpUrl ?? null,
    mailFrom: env.MAIL_FROM?.trim() || defaults.mailFrom || 'OneText <onetext@localhost>',
    organizers:
      env.ORGANIZERS !== undefined ? readOrganizers(env.ORGANIZERS) : (defaults.organizers ?? []),
    logger: defaults.logger ?? createLogger(readLogLevel(env.LOG_LEVEL)),
    checkResponses: defaults.checkResponses ?? false,
    ...(defaults.backlogLimits ? { backlogLimits: defaults.backlogLimits } : {}),
    ...(defaults.storageFaults ? { storageFaults: defaults.storageFaults } : {}),
    ...(defaults.updateTurnBudgetMs !== undefined
      ? { updateTurnBudgetMs: defaults.updateTurnBudgetMs }
      : {}),
  }
}

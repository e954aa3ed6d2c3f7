/**
 * Server configuration, read from the environment exactly as DESIGN.md section 5 defines it.
 */
import path from 'node:path'
import type { BacklogLimits } from './sync/SendBacklog'

/** Which storage backend holds documents and accounts. */
export type StoreKind = 'sqlite' | 'postgres'

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
  /** PostgreSQL connection string, for `STORE=postgres`. Env `DATABASE_URL`. */
  databaseUrl: string | null
  /** Redis connection string, for the scaled-out mode. Env `REDIS_URL`. */
  redisUrl: string | null
  /** Folder of the built client, served at `/`. Null serves no client. */
  clientDir: string | null
  /** Milliseconds a document with no connections stays in memory. Env `IDLE_UNLOAD_MS`, default 30000. */
  idleUnloadMs: number
  /** Log lines to stdout. */
  log: (line: string) => void
  /** How far behind a client may fall before it is dropped; the named limits unless set (tests). */
  backlogLimits?: BacklogLimits
}

function readPort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(value)}`)
  }
  return port
}

function readStore(value: string | undefined): StoreKind {
  if (value === undefined || value === '' || value === 'sqlite') return 'sqlite'
  if (value === 'postgres') return 'postgres'
  throw new RangeError(`STORE must be sqlite or postgres, got ${JSON.stringify(value)}`)
}

/** Builds a config from `env` (default `process.env`); throws RangeError on an invalid value. */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  defaults: Partial<ServerConfig> = {},
): ServerConfig {
  return {
    host: env.HOST || defaults.host || '127.0.0.1',
    port: readPort(env.PORT, defaults.port ?? 8080),
    dataDir: path.resolve(env.DATA_DIR || defaults.dataDir || './data'),
    demoPassword: env.DEMO_PASSWORD || defaults.demoPassword || 'demo',
    seedDemo: env.DEMO !== '0' && (defaults.seedDemo ?? true),
    store: readStore(env.STORE),
    databaseUrl: env.DATABASE_URL || null,
    redisUrl: env.REDIS_URL || null,
    clientDir: defaults.clientDir ?? null,
    idleUnloadMs: readPort(env.IDLE_UNLOAD_MS, defaults.idleUnloadMs ?? 30_000),
    log: defaults.log ?? ((line) => console.log(line)),
    ...(defaults.backlogLimits ? { backlogLimits: defaults.backlogLimits } : {}),
  }
}

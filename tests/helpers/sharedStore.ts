/**
 * Several servers in this test process on one PostgreSQL database (and, with `redis`, one Redis of
 * the file's own), standing for the processes of one deployment: the tests of leases, forwarding,
 * hand-over and Redis. {@link useSharedStore} is called inside a `describe`: it registers the hooks
 * that make the database (one for the file, or with `databasePerTest` one per test) and Redis, and
 * that close every client and server a test started.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { createTestDatabase, type TestDatabase } from './postgresDatabase'
import { startTestRedis, type TestRedis } from './redisServer'
import { login, startTestServer } from './testServer'
import { connectClient, type TestClient } from './yClient'

/** A server of the shared store. */
export type SharedStoreServer = Awaited<ReturnType<typeof startTestServer>>

/** What {@link useSharedStore} gives a test file. */
export interface SharedStore {
  /** The current test's database. */
  readonly database: TestDatabase
  /** The file's Redis; throws without `redis`. */
  readonly redis: TestRedis
  /**
   * The settings of a process on this store: the database, and with Redis its address and a key
   * prefix (`prefix`, default a new one; processes of one deployment share one).
   */
  env(prefix?: string): Record<string, string>
  /**
   * Starts a server on this store with `env` added and `startTestServer`'s other `options`; closed
   * after the test.
   */
  start(env?: Record<string, string>, options?: ServerOptions): Promise<SharedStoreServer>
  /**
   * Two servers with one key prefix, both subscribed to Redis when there is one. The first seeds
   * the demo, so a user's first connection to it makes it the owner of the demo's negotiation.
   */
  startPair(): Promise<{ owner: SharedStoreServer; other: SharedStoreServer }>
  /** Connects `who` (a demo account) to `docName` (default the demo's draft) on `server`. */
  connect(
    server: SharedStoreServer,
    who: string,
    doc?: TestClient['doc'],
    docName?: string,
  ): Promise<TestClient>
  /** Has `client` destroyed after the test; returns it. */
  track(client: TestClient): TestClient
}

/** `startTestServer`'s options other than `env`. */
type ServerOptions = Omit<NonNullable<Parameters<typeof startTestServer>[0]>, 'env'>

/** The demo negotiation's working draft. */
const DEMO_DRAFT = 'lmp-1997.draft'

/** Registers the hooks of a shared store (see the file's comment) and returns it. */
export function useSharedStore(
  options: { redis?: boolean; databasePerTest?: boolean } = {},
): SharedStore {
  let database: TestDatabase | null = null
  let redis: TestRedis | null = null
  const servers: SharedStoreServer[] = []
  const clients: TestClient[] = []
  const perTest = options.databasePerTest === true

  beforeAll(async () => {
    if (options.redis) redis = await startTestRedis()
    if (!perTest) database = await createTestDatabase()
  })
  if (perTest)
    beforeEach(async () => {
      database = await createTestDatabase()
    })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.provider.destroy()
    for (const server of servers.splice(0)) await server.close()
    if (perTest) await database?.drop()
  })
  afterAll(async () => {
    if (!perTest) await database?.drop()
    await redis?.close()
  })

  const store: SharedStore = {
    get database() {
      if (!database) throw new Error('the shared store has no database outside a test')
      return database
    },
    get redis() {
      if (!redis) throw new Error('the shared store was made without Redis')
      return redis
    },
    env(prefix = `onetext-test-${randomBytes(4).toString('hex')}:`) {
      const env: Record<string, string> = { STORE: 'postgres', DATABASE_URL: store.database.url }
      if (redis) Object.assign(env, { REDIS_URL: redis.url, REDIS_PREFIX: prefix })
      return env
    },
    async start(env = {}, options = {}) {
      const server = await startTestServer({ ...options, env: { ...store.env(), ...env } })
      servers.push(server)
      return server
    },
    async startPair() {
      const env = store.env()
      const owner = await store.start(env)
      const other = await store.start(env)
      await Promise.all([owner, other].map((server) => server.bus?.whenSubscribed()))
      return { owner, other }
    },
    async connect(server, who, doc, docName = DEMO_DRAFT) {
      const token = await login(server.url, `${who}@demo.test`)
      return store.track(connectClient(server.url, docName, token, undefined, doc))
    },
    track(client) {
      clients.push(client)
      return client
    },
  }
  return store
}

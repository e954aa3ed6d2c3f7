/**
 * Starts a real OneText server on port 0 with its own temporary DATA_DIR, for integration tests.
 * Its log is silent unless a test listens (`log`) or LOG_LEVEL is set, and every JSON answer is
 * checked against its route's schema (a mismatch is a 500).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { configFromEnv, type ServerConfig } from '@onetext/server/config'
import { createLogger } from '@onetext/server/logger'
import { type OneTextServer, startServer } from '@onetext/server/server'
import * as Y from 'yjs'
import { createSession } from '../../server/src/auth/sessions'
import { createTestDatabase } from './postgresDatabase'

/** Demo password used by every test server. */
export const TEST_PASSWORD = 'test-password'

/** A fresh temporary data directory. */
export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-test-'))
}

/** The in-process test servers by URL, so that {@link login} can start sessions directly. */
const running = new Map<string, OneTextServer>()

/** A logger whose lines go to `log` (and nowhere else): the message, the error's, then the other fields as JSON. */
function loggerTo(log: (line: string) => void) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() === '') continue
        try {
          const { msg, err, level, time, pid, hostname, service, reqId, ...fields } = JSON.parse(
            line,
          ) as {
            msg?: string
            err?: { message?: string }
            [field: string]: unknown
          }
          const rest = Object.keys(fields).length > 0 ? JSON.stringify(fields) : ''
          log([msg ?? '', err?.message ?? '', rest].join(' ').trim())
        } catch {
          log(line)
        }
      }
      done()
    },
  })
  return createLogger('info', sink)
}

/**
 * Starts a server on port 0 over `dataDir` (a fresh one by default), seeding the demo. `env` adds
 * environment settings (ORGANIZERS, ALLOWED_ORIGINS, PUBLIC_URL, ...), read by `configFromEnv`
 * as the server reads them; `{STORE: 'postgres', DATABASE_URL}` runs it on PostgreSQL (see
 * `createTestDatabase`) instead of SQLite in `dataDir`. Without a `STORE` of the test's own,
 * `TEST_STORE=postgres` in the environment (the `postgres` project of tests/vitest.config.ts) gives
 * the server a PostgreSQL database of its own, dropped when it closes.
 */
export async function startTestServer(
  options: {
    dataDir?: string
    idleUnloadMs?: number
    clientDir?: string
    backlogLimits?: ServerConfig['backlogLimits']
    /** Simulated disk failures the test controls. */
    storageFaults?: ServerConfig['storageFaults']
    updateTurnBudgetMs?: number
    log?: (line: string) => void
    env?: Record<string, string>
  } = {},
): Promise<OneTextServer & { dataDir: string }> {
  const dataDir = options.dataDir ?? makeDataDir()
  const database =
    process.env.TEST_STORE === 'postgres' && options.env?.STORE === undefined
      ? await createTestDatabase()
      : null
  const storeEnv = database ? { STORE: 'postgres', DATABASE_URL: database.url } : {}
  const config = configFromEnv(
    { DEMO_PASSWORD: TEST_PASSWORD, ...storeEnv, ...options.env },
    {
      port: 0,
      dataDir,
      idleUnloadMs: options.idleUnloadMs ?? 30_000,
      logger: options.log
        ? loggerTo(options.log)
        : createLogger((process.env.LOG_LEVEL as 'info' | undefined) ?? 'silent'),
      checkResponses: true,
      ...(options.clientDir ? { clientDir: options.clientDir } : {}),
      ...(options.backlogLimits ? { backlogLimits: options.backlogLimits } : {}),
      ...(options.storageFaults ? { storageFaults: options.storageFaults } : {}),
      ...(options.updateTurnBudgetMs !== undefined
        ? { updateTurnBudgetMs: options.updateTurnBudgetMs }
        : {}),
    },
  )
  const server = await startServer(config)
  running.set(server.url, server)
  const close = server.close.bind(server)
  return Object.assign(server, {
    dataDir,
    close: async () => {
      running.delete(server.url)
      await close()
      await database?.drop()
    },
  })
}

/** Signs in over HTTP (`POST /api/login`, the whole password check) and returns the token. */
export async function signInOverHttp(
  baseUrl: string,
  email: string,
  password = TEST_PASSWORD,
): Promise<string> {
  const response = await fetch(`${baseUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (response.status !== 200) throw new Error(`login of ${email} failed with ${response.status}`)
  const body = (await response.json()) as { token: string }
  return body.token
}

/**
 * A session token for `email`. For an account of an in-process test server with the test
 * password, the session is started directly in its store: the password check (scrypt at N=2^17,
 * most of a second of CPU) is what the sign-in tests test, and every other test would pay it for
 * each account it signs in. Otherwise, and for any other password, over HTTP.
 */
export async function login(
  baseUrl: string,
  email: string,
  password = TEST_PASSWORD,
): Promise<string> {
  const server = running.get(baseUrl)
  if (!server || password !== TEST_PASSWORD) return signInOverHttp(baseUrl, email, password)
  const user = await server.directory.findUserByEmail(email)
  if (!user) throw new Error(`login of ${email} failed: no such account`)
  return createSession(server.directory, user.id)
}

/** Who a session belongs to, as the server says (`GET /api/me`). */
export interface SignedIn {
  token: string
  user: { id: string; name: string }
}

/** Signs in as the demo account `<key>@demo.test` and reads who the server says that is. */
export async function signInDemo(baseUrl: string, key: string): Promise<SignedIn> {
  const token = await login(baseUrl, `${key}@demo.test`)
  const response = await fetch(`${baseUrl}/api/me`, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (response.status !== 200) throw new Error(`GET /api/me for ${key} failed: ${response.status}`)
  const body = (await response.json()) as { user: SignedIn['user'] }
  return { token, user: body.user }
}

/** The document `name` exactly as storage holds it (snapshot plus log), loaded into a fresh Y.Doc. */
export async function loadStoredDoc(server: OneTextServer, name: string): Promise<Y.Doc> {
  const stored = await server.store.load(name)
  const doc = new Y.Doc()
  for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(doc, update)
  return doc
}

/**
 * The demo's mediator circulates the working draft of `negotiationId` (the demo's by default) as
 * its next iteration with `note`, through the API; throws unless the server answers 201.
 */
export async function circulateAsMediator(
  baseUrl: string,
  note: string,
  negotiationId = 'lmp-1997',
): Promise<void> {
  const token = await login(baseUrl, 'mediator@demo.test')
  const response = await fetch(`${baseUrl}/api/negotiations/${negotiationId}/iterations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ note }),
  })
  if (response.status !== 201)
    throw new Error(`circulating ${negotiationId}: ${response.status} ${await response.text()}`)
}

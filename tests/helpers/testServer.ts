/**
 * Starts a real OneText server on port 0 with its own temporary DATA_DIR, for integration tests.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { configFromEnv, type ServerConfig } from '@onetext/server/config'
import { type OneTextServer, startServer } from '@onetext/server/server'
import * as Y from 'yjs'

/** Demo password used by every test server. */
export const TEST_PASSWORD = 'test-password'

/** A fresh temporary data directory. */
export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-test-'))
}

/** Starts a server on port 0 over `dataDir` (a fresh one by default), seeding the demo. */
export async function startTestServer(
  options: {
    dataDir?: string
    idleUnloadMs?: number
    clientDir?: string
    backlogLimits?: ServerConfig['backlogLimits']
    log?: (line: string) => void
  } = {},
): Promise<OneTextServer & { dataDir: string }> {
  const dataDir = options.dataDir ?? makeDataDir()
  const config = configFromEnv(
    { DEMO_PASSWORD: TEST_PASSWORD },
    {
      port: 0,
      dataDir,
      idleUnloadMs: options.idleUnloadMs ?? 30_000,
      // TEST_SERVER_LOG=1 prints the server's log lines (refusals, failures) while debugging a test.
      log:
        options.log ??
        (process.env.TEST_SERVER_LOG === '1' ? (line) => console.error(line) : () => {}),
      ...(options.clientDir ? { clientDir: options.clientDir } : {}),
      ...(options.backlogLimits ? { backlogLimits: options.backlogLimits } : {}),
    },
  )
  const server = await startServer(config)
  return Object.assign(server, { dataDir })
}

/** Signs in over HTTP and returns the session token. */
export async function login(
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

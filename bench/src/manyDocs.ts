/**
 * Many documents: 1,000 small documents open with 3 clients each. Reports the server's heap and RSS
 * per document, and its heap after everyone has left and the documents have unloaded (it should be
 * back near where it started).
 *
 * The documents are the live documents of 200 negotiations (working draft, the party's layer and
 * caucus notes, the table, the status document), created directly in a fresh store before the
 * server starts; a drafting-team member opens them. One client of each document with rich text
 * (all but the layer and the status document: shared/src/documentRoots.ts) adds a short paragraph.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseDocumentName } from '@onetext/shared/documentNames'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import { PersistenceTracker } from '@onetext/shared/persistenceTracker'
import { PROTOCOL_PARAMS } from '@onetext/shared/protocol'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { hashPassword } from '../../server/src/auth/passwords'
import { DATABASE_FILE, openSqliteDatabase } from '../../server/src/storage/SqliteDatabase'
import { SqliteDirectory } from '../../server/src/storage/SqliteDirectory'
import { SqliteWriter } from '../../server/src/storage/SqliteWriter'
import { appendParagraph } from './richText'
import { serverMetrics } from './serverMetrics'
import { spawnServer } from './serverProcess'
import { round } from './stats'

const PASSWORD = 'bench-password'
const EMAIL = 'drafter@bench.test'
const KINDS = ['draft', 'layer.a', 'caucus.a', 'table', 'status'] as const

/** What the run measured; the JSON object the command prints last. */
export interface ManyDocsResult {
  documents: number
  clients: number
  heapPerDocKB: number
  rssPerDocKB: number
  baselineHeapMB: number
  loadedHeapMB: number
  afterLeavingHeapMB: number
}

async function seedStore(dataDir: string, negotiations: number): Promise<void> {
  const db = openSqliteDatabase(dataDir)
  const writer = new SqliteWriter(path.join(dataDir, DATABASE_FILE))
  const directory = new SqliteDirectory(db, writer)
  const userId = randomUUID()
  await directory.createUser({
    id: userId,
    email: EMAIL,
    name: 'Bench Drafter',
    passwordHash: await hashPassword(PASSWORD),
  })
  for (let index = 0; index < negotiations; index++) {
    const id = `n-${String(index).padStart(4, '0')}`
    await directory.createNegotiation({ id, title: `Negotiation ${index}` }, [
      { id: 'a', name: 'Party A', color: '#b42318' },
      { id: 'b', name: 'Party B', color: '#1d4ed8' },
    ])
    await directory.putMember({ negotiationId: id, userId, role: 'drafting-team', partyId: 'a' })
  }
  await writer.close()
  db.close()
}

/** Waits until `check` resolves true, asking every `intervalMs`. */
async function until(
  check: () => Promise<boolean>,
  intervalMs: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error('timed out waiting for the server to unload documents')
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** Runs the benchmark with `documents` documents (a multiple of 5) and `perDocument` clients each. */
export async function manyDocs(
  options: { documents?: number; perDocument?: number; log?: (line: string) => void } = {},
): Promise<ManyDocsResult> {
  const log = options.log ?? (() => {})
  const documents = options.documents ?? 1000
  const perDocument = options.perDocument ?? 3
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-bench-docs-'))
  await seedStore(dataDir, Math.ceil(documents / KINDS.length))
  const server = await spawnServer(dataDir, PASSWORD, {
    IDLE_UNLOAD_MS: '200',
    NODE_OPTIONS: '--expose-gc',
    DEMO: '0',
  })
  const providers: WebsocketProvider[] = []
  try {
    const response = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    })
    const { token } = (await response.json()) as { token: string }
    const baseline = await serverMetrics(server.url, true)
    const names: string[] = []
    for (let index = 0; names.length < documents; index++) {
      for (const kind of KINDS)
        if (names.length < documents)
          names.push(`n-${String(Math.floor(index)).padStart(4, '0')}.${kind}`)
    }
    const waits: Array<Promise<void>> = []
    for (const [index, name] of names.entries()) {
      const kind = parseDocumentName(name)?.kind
      const hasRichText = kind !== undefined && DOCUMENT_ROOTS[kind].get(RICH_TEXT_FIELD) === 'xml'
      for (let client = 0; client < perDocument; client++) {
        const doc = new Y.Doc()
        const tracker = new PersistenceTracker()
        const provider = new WebsocketProvider(
          `${server.url.replace(/^http/, 'ws')}/sync`,
          name,
          doc,
          {
            WebSocketPolyfill: tracker.socketClass(
              WebSocket,
            ) as unknown as typeof globalThis.WebSocket,
            disableBc: true,
            params: { ...PROTOCOL_PARAMS, token },
          },
        )
        tracker.attach(provider)
        providers.push(provider)
        waits.push(
          new Promise<void>((resolve) => provider.once('sync', () => resolve())).then(async () => {
            // One small edit per document with rich text, as a person starting a note would.
            if (client === 0 && hasRichText) {
              appendParagraph(doc, `Note ${index}`)
              await tracker.whenSaved()
            }
          }),
        )
      }
      if (waits.length >= 300) await Promise.all(waits.splice(0))
    }
    await Promise.all(waits)
    const loaded = await serverMetrics(server.url, true)
    log(`${loaded.documents} documents, ${loaded.connections} connections open`)
    for (const provider of providers.splice(0)) provider.destroy()
    await until(async () => (await serverMetrics(server.url)).documents === 0, 250, 60_000)
    const after = await serverMetrics(server.url, true)
    const mb = (bytes: number) => round(bytes / 1024 / 1024, 1)
    return {
      documents: loaded.documents,
      clients: names.length * perDocument,
      heapPerDocKB: round(
        (loaded.heapUsedBytes - baseline.heapUsedBytes) / 1024 / loaded.documents,
        1,
      ),
      rssPerDocKB: round((loaded.rssBytes - baseline.rssBytes) / 1024 / loaded.documents, 1),
      baselineHeapMB: mb(baseline.heapUsedBytes),
      loadedHeapMB: mb(loaded.heapUsedBytes),
      afterLeavingHeapMB: mb(after.heapUsedBytes),
    }
  } finally {
    for (const provider of providers) provider.destroy()
    server.child.kill('SIGTERM')
    await server.exited
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

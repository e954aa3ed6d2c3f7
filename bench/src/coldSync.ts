/**
 * Cold first sync of a large single text from disk: a 1 MB text written in 10,000 edits, the server
 * restarted (nothing in memory), then the time from a client connecting to it being synced.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PersistenceTracker } from '@onetext/shared/persistenceTracker'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { spawnServer } from './serverProcess'
import { median, round } from './stats'

const PASSWORD = 'bench-password'
const DOC = 'lmp-1997.draft'

/** What the run measured; the JSON object the command prints last. */
export interface ColdSyncResult {
  textBytes: number
  edits: number
  runs: number
  medianMs: number
  samplesMs: number[]
}

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'mediator@demo.test', password: PASSWORD }),
  })
  return ((await response.json()) as { token: string }).token
}

function open(
  url: string,
  token: string,
): { doc: Y.Doc; provider: WebsocketProvider; tracker: PersistenceTracker } {
  const doc = new Y.Doc()
  const tracker = new PersistenceTracker()
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, DOC, doc, {
    WebSocketPolyfill: tracker.socketClass(WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token },
  })
  tracker.attach(provider)
  return { doc, provider, tracker }
}

const synced = (provider: WebsocketProvider) =>
  new Promise<void>((resolve) => provider.once('sync', () => resolve()))

/** Runs `runs` cold syncs of a text of `textBytes` written in `edits` edits. */
export async function coldSync(
  options: { textBytes?: number; edits?: number; runs?: number; log?: (line: string) => void } = {},
): Promise<ColdSyncResult> {
  const log = options.log ?? (() => {})
  const textBytes = options.textBytes ?? 1_000_000
  const edits = options.edits ?? 10_000
  const runs = options.runs ?? 5
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-bench-cold-'))
  try {
    let server = await spawnServer(dataDir, PASSWORD)
    const writer = open(server.url, await login(server.url))
    await synced(writer.provider)
    const text = writer.doc.getText('cold')
    const chunk = 'The parties agree that every clause carries its provenance. '.repeat(
      Math.ceil(textBytes / edits / 60),
    )
    const piece = chunk.slice(0, Math.ceil(textBytes / edits))
    for (let edit = 0; edit < edits; edit++) {
      text.insert(Math.floor(text.length / 2), piece)
      if (edit % 500 === 499) await writer.tracker.whenSaved()
    }
    await writer.tracker.whenSaved()
    writer.provider.destroy()
    log(`${text.length} characters written in ${edits} edits`)
    const samples: number[] = []
    for (let run = 0; run < runs; run++) {
      server.child.kill('SIGTERM')
      await server.exited
      server = await spawnServer(dataDir, PASSWORD)
      const token = await login(server.url)
      const started = performance.now()
      const reader = open(server.url, token)
      await synced(reader.provider)
      const elapsed = performance.now() - started
      if (reader.doc.getText('cold').length !== text.length)
        throw new Error('the synced text differs')
      reader.provider.destroy()
      samples.push(round(elapsed, 1))
      log(`run ${run + 1}: ${elapsed.toFixed(1)} ms`)
    }
    server.child.kill('SIGTERM')
    await server.exited
    return {
      textBytes: text.length,
      edits,
      runs,
      medianMs: round(median(samples), 1),
      samplesMs: samples,
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

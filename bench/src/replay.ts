/**
 * The networked replay: a real OneText server (its own process, a temporary DATA_DIR, durable
 * acknowledgements) and real y-websocket clients over loopback, one per trace agent, plus N
 * read-only observers. Each agent's client applies its transactions in order, each only once the
 * client has received the transaction's parents, one Yjs transaction per trace transaction. At the
 * end every client's text, and the store reloaded from disk by a fresh server process, must equal
 * the trace's end content. The same trace is replayed in-process with plain Yjs for comparison.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PersistenceTracker } from '@onetext/shared/persistenceTracker'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { rawReplay, TRACE_MARKERS, TRACE_TEXT } from './rawReplay'
import { spawnServer } from './serverProcess'
import { peakRssMB, percentile, round } from './stats'
import type { Trace } from './traces'

const PASSWORD = 'bench-password'
const DOC = 'lmp-1997.draft'

/** The replay's result; the JSON object the command prints last. */
export interface ReplayResult {
  trace: string
  ops: number
  ok: boolean
  serverSeconds: number
  rawYjsSeconds: number
  ratio: number
  opsPerSec: number
  p50Ms: number
  p99Ms: number
  rssMB: number
}

interface Client {
  doc: Y.Doc
  provider: WebsocketProvider
  tracker: PersistenceTracker
  /** Highest rank seen per agent. */
  seen: Int32Array
}

async function login(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  })
  if (!response.ok) throw new Error(`login failed: ${response.status}`)
  return ((await response.json()) as { token: string }).token
}

function connect(url: string, token: string, agents: number): Client {
  const doc = new Y.Doc()
  const tracker = new PersistenceTracker()
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, DOC, doc, {
    WebSocketPolyfill: tracker.socketClass(WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token },
  })
  tracker.attach(provider)
  return { doc, provider, tracker, seen: new Int32Array(agents).fill(-1) }
}

function synced(client: Client): Promise<void> {
  return new Promise((resolve) => {
    if (client.provider.synced) resolve()
    else client.provider.once('sync', () => resolve())
  })
}

/** Replays `trace` through a server process; `observers` extra read-only clients watch. */
export async function replayThroughServer(
  trace: Trace,
  options: { observers?: number; log?: (line: string) => void } = {},
): Promise<ReplayResult> {
  const log = options.log ?? (() => {})
  const observers = options.observers ?? 1
  const raw = rawReplay(trace)
  log(
    `raw Yjs: ${raw.seconds.toFixed(3)} s, end content ${raw.finalText === trace.endContent ? 'matches' : 'DIFFERS'}`,
  )

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-bench-'))
  const server = await spawnServer(dataDir, PASSWORD)
  const clients: Client[] = []
  try {
    const writerToken = await login(server.url, 'mediator@demo.test')
    const readerToken = await login(server.url, 'labor.member@demo.test')
    const writers = Array.from({ length: trace.numAgents }, () =>
      connect(server.url, writerToken, trace.numAgents),
    )
    const readers = Array.from({ length: observers }, () =>
      connect(server.url, readerToken, trace.numAgents),
    )
    clients.push(...writers, ...readers)
    await Promise.all(clients.map(synced))

    // Per agent: its transactions in order.
    const byAgent: number[][] = Array.from({ length: trace.numAgents }, () => [])
    trace.txns.forEach((txn, index) => {
      byAgent[txn.agent]?.push(index)
    })
    const sentAt = new Float64Array(trace.txns.length)
    const latency = new Float64Array(trace.txns.length)
    const seenBy = new Uint16Array(trace.txns.length)
    const others = clients.length - 1
    const next = new Int32Array(trace.numAgents)
    let done = 0
    let finish: () => void = () => {}
    const finished = new Promise<void>((resolve) => {
      finish = resolve
    })

    const parentsSeen = (client: Client, txnIndex: number) =>
      (trace.txns[txnIndex]?.parents ?? []).every((parent) => {
        const txn = trace.txns[parent]
        return (
          txn !== undefined &&
          client.seen[txn.agent] !== undefined &&
          (client.seen[txn.agent] as number) >= (raw.ranks[parent] as number)
        )
      })

    let pumping = false
    const pump = () => {
      if (pumping) return
      pumping = true
      let progressed = true
      let budget = 200
      while (progressed && budget > 0) {
        progressed = false
        for (let agent = 0; agent < trace.numAgents; agent++) {
          const writer = writers[agent] as Client
          const queue = byAgent[agent] as number[]
          const position = next[agent] as number
          const txnIndex = queue[position]
          if (txnIndex === undefined || !parentsSeen(writer, txnIndex)) continue
          sentAt[txnIndex] = performance.now()
          Y.applyUpdate(writer.doc, raw.updates[txnIndex] as Uint8Array)
          writer.seen[agent] = raw.ranks[txnIndex] as number
          next[agent] = position + 1
          progressed = true
          budget--
        }
      }
      pumping = false
      if (budget === 0) setImmediate(pump)
    }

    for (const client of clients) {
      const markers = client.doc.getMap<number>(TRACE_MARKERS)
      const byRank = byAgent
      client.doc.on('update', (_update: Uint8Array, origin: unknown) => {
        if (origin !== client.provider) return
        const now = performance.now()
        for (let agent = 0; agent < trace.numAgents; agent++) {
          const rank = markers.get(String(agent))
          if (rank === undefined) continue
          const before = client.seen[agent] as number
          if (rank <= before) continue
          for (let r = before + 1; r <= rank; r++) {
            const txnIndex = byRank[agent]?.[r]
            if (txnIndex === undefined) continue
            latency[txnIndex] = Math.max(
              latency[txnIndex] as number,
              now - (sentAt[txnIndex] as number),
            )
            seenBy[txnIndex] = (seenBy[txnIndex] as number) + 1
            if (seenBy[txnIndex] === others) {
              done++
              if (done === trace.txns.length) finish()
            }
          }
          client.seen[agent] = rank
        }
        pump()
      })
    }

    const started = performance.now()
    if (others === 0) finish()
    pump()
    await finished
    await Promise.all(writers.map((writer) => writer.tracker.whenSaved()))
    const serverSeconds = (performance.now() - started) / 1000
    const rssMB = peakRssMB(server.pid)

    let ok = clients.every(
      (client) => client.doc.getText(TRACE_TEXT).toString() === trace.endContent,
    )
    log(
      `network: ${serverSeconds.toFixed(3)} s; clients ${ok ? 'match' : 'DIFFER from'} the end content`,
    )
    for (const client of clients) client.provider.destroy()
    clients.length = 0
    server.child.kill('SIGTERM')
    await server.exited

    // A fresh process loads the store from disk.
    const again = await spawnServer(dataDir, PASSWORD)
    try {
      const reader = connect(
        again.url,
        await login(again.url, 'labor.member@demo.test'),
        trace.numAgents,
      )
      await synced(reader)
      const reloaded = reader.doc.getText(TRACE_TEXT).toString() === trace.endContent
      log(`reloaded from disk: ${reloaded ? 'matches' : 'DIFFERS'}`)
      ok = ok && reloaded && raw.finalText === trace.endContent
      reader.provider.destroy()
    } finally {
      again.child.kill('SIGTERM')
      await again.exited
    }

    const latencies = others === 0 ? [] : Array.from(latency)
    return {
      trace: trace.name,
      ops: trace.ops,
      ok,
      serverSeconds: round(serverSeconds),
      rawYjsSeconds: round(raw.seconds),
      ratio: round(serverSeconds / raw.seconds),
      opsPerSec: Math.round(trace.ops / serverSeconds),
      p50Ms: round(percentile(latencies, 50), 2),
      p99Ms: round(percentile(latencies, 99), 2),
      rssMB: round(rssMB, 1),
    }
  } finally {
    for (const client of clients) client.provider.destroy()
    if (server.child.exitCode === null) server.child.kill('SIGKILL')
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

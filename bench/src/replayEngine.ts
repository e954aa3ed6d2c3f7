/**
 * The server-independent part of a networked trace replay: the raw replay's base document is
 * seeded through one more writer, then writers (one per agent) apply their transactions' Yjs
 * updates in order, each once the writer has received the transaction's parents; every other client
 * records when it has applied each transaction (read from its state vector: agent i writes under
 * client ID `AGENT_CLIENT_BASE + i`, and each transaction advances that clock, see rawReplay.ts). A
 * target supplies the server and its clients.
 */
import * as Y from 'yjs'
import type { RawReplay } from './rawReplay'
import { AGENT_CLIENT_BASE, traceString, whenHasBase } from './rawReplay'
import { cpuSeconds, threadCpuLines, threadCpuSeconds } from './serverMetrics'
import { peakRssMB, percentile } from './stats'
import type { ClientSpec } from './targets/clientSpec'
import type { Trace } from './traces'

/** A client of the server under test. */
export interface ReplayClient {
  doc: Y.Doc
  /** Resolves after the first sync with the server. */
  synced(): Promise<void>
  /** Resolves once the server has stored everything this client sent (immediately where it promises nothing). */
  saved(): Promise<void>
  destroy(): void
}

/** A server under test. */
export interface ReplayTarget {
  readonly name: string
  /** Starts the server; resolves once it listens. */
  start(): Promise<void>
  /** Process id of the server, for its memory. */
  readonly pid: number
  writer(): Promise<ReplayClient>
  observer(): Promise<ReplayClient>
  /** How a client in another process connects, as a writer or an observer. */
  clientSpec(role: 'writer' | 'observer'): ClientSpec
  /**
   * True when the trace text of the stored document (see rawReplay.ts), loaded by a fresh server
   * process, equals `text` (null: no storage).
   */
  verifyReload(text: string): Promise<boolean | null>
  stop(): Promise<void>
}

/** What one networked run measured. */
export interface EngineResult {
  seconds: number
  p50Ms: number
  p99Ms: number
  clientsMatch: boolean
  /** Every client's trace text at the end (null: it has no trace paragraph). */
  texts: Array<string | null>
}

/** Runs the networked replay of `trace` (updates from `raw`) against clients already synced. */
export async function replayOverNetwork(
  trace: Trace,
  raw: RawReplay,
  writers: ReplayClient[],
  observers: ReplayClient[],
): Promise<EngineResult> {
  const clients = [...writers, ...observers]
  const agents = trace.numAgents
  const byAgent: number[][] = Array.from({ length: agents }, () => [])
  trace.txns.forEach((txn, index) => {
    byAgent[txn.agent]?.push(index)
  })
  const sentAt = new Float64Array(trace.txns.length)
  const latency = new Float64Array(trace.txns.length)
  const seenBy = new Uint16Array(trace.txns.length)
  const seen = clients.map(() => new Int32Array(agents).fill(-1))
  const others = clients.length - 1
  const next = new Int32Array(agents)
  let done = 0
  let finish: () => void = () => {}
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })

  const parentsSeen = (clientIndex: number, txnIndex: number) => {
    const view = seen[clientIndex] as Int32Array
    for (const parent of trace.txns[txnIndex]?.parents ?? []) {
      const agent = trace.txns[parent]?.agent ?? 0
      if ((view[agent] as number) < (raw.ranks[parent] as number)) return false
    }
    return true
  }

  let pumping = false
  const pump = () => {
    if (pumping) return
    pumping = true
    let progressed = true
    // Yield to the event loop now and then, so that sockets are read and written while one writer floods.
    let budget = 200
    while (progressed && budget > 0) {
      progressed = false
      for (let agent = 0; agent < agents; agent++) {
        const queue = byAgent[agent] as number[]
        const txnIndex = queue[next[agent] as number]
        if (txnIndex === undefined || !parentsSeen(agent, txnIndex)) continue
        sentAt[txnIndex] = performance.now()
        Y.applyUpdate((writers[agent] as ReplayClient).doc, raw.updates[txnIndex] as Uint8Array)
        ;(seen[agent] as Int32Array)[agent] = raw.ranks[txnIndex] as number
        next[agent] = (next[agent] as number) + 1
        progressed = true
        budget--
      }
    }
    pumping = false
    if (budget === 0) setImmediate(pump)
  }

  // Never apply from inside a Yjs 'update' handler: a transaction started there is cleaned up
  // with the one that emitted the event, its `afterState` is taken after all of them, and every
  // queued transaction's update event then repeats the structs of the ones after it (quadratic
  // messages full of duplicates). A microtask runs once the receiving transaction has finished.
  let pumpScheduled = false
  const schedulePump = () => {
    if (pumpScheduled) return
    pumpScheduled = true
    queueMicrotask(() => {
      pumpScheduled = false
      pump()
    })
  }

  clients.forEach((client, clientIndex) => {
    const store = client.doc.store
    const view = seen[clientIndex] as Int32Array
    client.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === null || origin === undefined) return
      const now = performance.now()
      for (let agent = 0; agent < agents; agent++) {
        const queue = byAgent[agent] as number[]
        const clock = Y.getState(store, AGENT_CLIENT_BASE + agent)
        let rank = view[agent] as number
        for (; rank + 1 < queue.length; rank++) {
          const txnIndex = queue[rank + 1] as number
          if ((raw.clocks[txnIndex] as number) > clock) break
          latency[txnIndex] = Math.max(
            latency[txnIndex] as number,
            now - (sentAt[txnIndex] as number),
          )
          seenBy[txnIndex] = (seenBy[txnIndex] as number) + 1
          if (seenBy[txnIndex] === others && ++done === trace.txns.length) finish()
        }
        view[agent] = rank
      }
      schedulePump()
    })
  })

  const started = performance.now()
  if (others === 0) finish()
  pump()
  await finished
  await Promise.all(writers.map((writer) => writer.saved()))
  const seconds = (performance.now() - started) / 1000
  const texts = clients.map((client) => traceString(client.doc))
  const latencies = others === 0 ? [] : Array.from(latency)
  return {
    seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    clientsMatch: texts.every((text) => text === trace.endContent),
    texts,
  }
}

/** A networked run with what the server process did. */
export interface ServerRunResult extends EngineResult {
  /** Whether a fresh server process reloads the end content (null: the target stores nothing). */
  reload: boolean | null
  /** The server process's peak resident memory. */
  rssMB: number
  /** CPU time (user and system, all threads) the server process spent during the run. */
  serverCpuSeconds: number
}

/**
 * Writes the raw replay's base document (see rawReplay.ts) to `target` through a new writer, once
 * that writer has synced. Keep the writer connected until every client of the run has the base
 * (`whenHasBase`), then destroy it: a server that keeps documents in memory only may drop one that
 * nobody has open.
 */
export async function seedBase(target: ReplayTarget, raw: RawReplay): Promise<ReplayClient> {
  const seeder = await target.writer()
  try {
    await seeder.synced()
    Y.applyUpdate(seeder.doc, raw.baseState)
  } catch (error) {
    seeder.destroy()
    throw error
  }
  return seeder
}

/** Starts `target`, connects writers and observers, seeds the base document, replays, stops. */
export async function replayAgainst(
  target: ReplayTarget,
  trace: Trace,
  raw: RawReplay,
  observers: number,
): Promise<ServerRunResult> {
  await target.start()
  const clients: ReplayClient[] = []
  try {
    const writers: ReplayClient[] = []
    for (let index = 0; index < trace.numAgents; index++) writers.push(await target.writer())
    const readers: ReplayClient[] = []
    for (let index = 0; index < observers; index++) readers.push(await target.observer())
    clients.push(...writers, ...readers)
    await Promise.all(clients.map((client) => client.synced()))
    const seeder = await seedBase(target, raw)
    clients.push(seeder)
    await Promise.all(
      [...writers, ...readers].map((client) => whenHasBase(client.doc, raw.baseClock)),
    )
    clients.pop()?.destroy()
    const cpuBefore = cpuSeconds(target.pid)
    const threadsBefore = threadCpuSeconds(target.pid)
    const benchCpuBefore = process.cpuUsage()
    const result = await replayOverNetwork(trace, raw, writers, readers)
    const serverCpuSeconds = cpuSeconds(target.pid) - cpuBefore
    if (process.env.BENCH_SERVER_THREADS === '1') {
      // Where the server's CPU went during the networked run, thread by thread.
      for (const line of threadCpuLines(target.pid, threadsBefore, 1, 'in the run')) {
        console.error(`${target.name}: ${line}`)
      }
      const bench = process.cpuUsage(benchCpuBefore)
      const benchMs = Math.round((bench.user + bench.system) / 1000)
      console.error(`${target.name}: benchmark process (clients): ${benchMs} ms in the run`)
    }
    const rssMB = peakRssMB(target.pid)
    for (const client of clients.splice(0)) client.destroy()
    const reload = await target.verifyReload(trace.endContent)
    return { ...result, reload, rssMB, serverCpuSeconds }
  } finally {
    for (const client of clients) client.destroy()
    await target.stop()
  }
}

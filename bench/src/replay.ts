/**
 * The networked replay: a real OneText server (its own process, a temporary DATA_DIR, durable
 * acknowledgements) and real y-websocket clients over loopback, one per trace agent, plus N
 * read-only observers. Each agent's client applies its transactions in order, each only once the
 * client has received the transaction's parents, one Yjs transaction per trace transaction. At the
 * end every client's text, and the store reloaded from disk by a fresh server process, must equal
 * the trace's end content. The same trace is replayed in-process with plain Yjs for comparison.
 */
import { rawReplay } from './rawReplay'
import { replayAgainst } from './replayEngine'
import { replayInProcesses } from './replayProcesses'
import { round } from './stats'
import { OneTextTarget } from './targets/onetextTarget'
import type { Trace } from './traces'

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

/** Replays `trace` through a OneText server process; `observers` extra read-only clients watch. */
export async function replayThroughServer(
  trace: Trace,
  options: {
    observers?: number
    /** Each client in its own process (see replayProcesses.ts). */
    processes?: boolean
    /** Server processes; with more than 1 behind nginx (see OneTextTarget). Default 1. */
    servers?: number
    log?: (line: string) => void
  } = {},
): Promise<ReplayResult> {
  const log = options.log ?? (() => {})
  const raw = rawReplay(trace)
  log(
    `raw Yjs: ${raw.seconds.toFixed(3)} s, end content ${raw.finalText === trace.endContent ? 'matches' : 'DIFFERS'}`,
  )
  const replay = options.processes ? replayInProcesses : replayAgainst
  const result = await replay(
    new OneTextTarget({ negotiation: 'fresh', servers: options.servers ?? 1 }),
    trace,
    raw,
    options.observers ?? 1,
  )
  log(
    `network: ${result.seconds.toFixed(3)} s (server CPU ${result.serverCpuSeconds.toFixed(2)} s); clients ${result.clientsMatch ? 'match' : 'DIFFER from'} the end content`,
  )
  log(`reloaded from disk: ${result.reload ? 'matches' : 'DIFFERS'}`)
  return {
    trace: trace.name,
    ops: trace.ops,
    ok: result.clientsMatch && result.reload === true && raw.finalText === trace.endContent,
    serverSeconds: round(result.seconds),
    rawYjsSeconds: round(raw.seconds),
    ratio: round(result.seconds / raw.seconds),
    opsPerSec: Math.round(trace.ops / result.seconds),
    p50Ms: round(result.p50Ms, 2),
    p99Ms: round(result.p99Ms, 2),
    rssMB: round(result.rssMB, 1),
  }
}

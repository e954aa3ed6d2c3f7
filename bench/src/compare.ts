/**
 * The same networked replay through OneText (durable acknowledgements on), Hocuspocus 3 and the
 * y-websocket reference server (both in memory, acknowledging nothing), in alternating runs (the
 * order rotating from round to round), each server in its own process. Reports each server's median seconds and how many times faster
 * OneText is (their seconds / ours; above 1 means OneText is faster).
 */
import { rawReplay } from './rawReplay'
import { type ReplayTarget, replayAgainst } from './replayEngine'
import { replayInProcesses } from './replayProcesses'
import { median, round } from './stats'
import { HocuspocusTarget } from './targets/hocuspocusTarget'
import { OneTextTarget } from './targets/onetextTarget'
import { YWebsocketServerTarget } from './targets/yWebsocketServerTarget'
import type { Trace } from './traces'

/** The comparison's result; the JSON object the command prints last. */
export interface CompareResult {
  trace: string
  oursSeconds: number
  hocuspocusSeconds: number
  yWebsocketServerSeconds: number
  ratioHocuspocus: number
  ratioYWebsocketServer: number
}

/**
 * The order of round `round` (from 0): `items` rotated to start with item `round` (modulo their
 * number), so that no server always runs first (in a benchmark process whose client code is not yet
 * optimised) or always right after the same one.
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  if (!Number.isInteger(round) || round < 0)
    throw new RangeError(`round must be a whole number >= 0, got ${round}`)
  const start = items.length === 0 ? 0 : round % items.length
  return [...items.slice(start), ...items.slice(0, start)]
}

/** Runs `runs` alternating rounds of the three servers, each round starting with the next one. */
export async function compareServers(
  trace: Trace,
  options: {
    runs?: number
    observers?: number
    /** Each client in its own process (see replayProcesses.ts). */
    processes?: boolean
    log?: (line: string) => void
  } = {},
): Promise<CompareResult> {
  const log = options.log ?? (() => {})
  const raw = rawReplay(trace)
  const seconds: Record<string, number[]> = {
    onetext: [],
    hocuspocus: [],
    'y-websocket-server': [],
  }
  const makers: Array<() => ReplayTarget> = [
    () => new OneTextTarget({ negotiation: 'fresh' }),
    () => new HocuspocusTarget(),
    () => new YWebsocketServerTarget(),
  ]
  for (let run = 0; run < (options.runs ?? 1); run++) {
    for (const make of roundOrder(makers, run)) {
      const target = make()
      const replay = options.processes ? replayInProcesses : replayAgainst
      const result = await replay(target, trace, raw, options.observers ?? 1)
      if (!result.clientsMatch)
        throw new Error(`${target.name}: clients do not match the end content`)
      seconds[target.name]?.push(result.seconds)
      log(
        `${target.name} run ${run + 1}: ${result.seconds.toFixed(3)} s (p50 ${result.p50Ms.toFixed(1)} ms, server CPU ${result.serverCpuSeconds.toFixed(2)} s)`,
      )
    }
  }
  const ours = median(seconds.onetext ?? [])
  const hocuspocus = median(seconds.hocuspocus ?? [])
  const reference = median(seconds['y-websocket-server'] ?? [])
  return {
    trace: trace.name,
    oursSeconds: round(ours),
    hocuspocusSeconds: round(hocuspocus),
    yWebsocketServerSeconds: round(reference),
    ratioHocuspocus: round(hocuspocus / ours),
    ratioYWebsocketServer: round(reference / ours),
  }
}

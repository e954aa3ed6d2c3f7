/**
 * Event-loop stalls of the server process, measured inside it. Like eventLoopProbe.mjs it is loaded
 * through NODE_OPTIONS (here as a `data:` module, so that it needs no file of its own) and answers
 * SIGUSR2 with one line for the window since the previous signal; unlike it, it also reads how long
 * the main thread was actually running on a CPU (`/proc/self/task/<pid>/schedstat`, nanoseconds)
 * between two ticks of a 10 ms interval. That is the loop's own blocking work: on a busy machine
 * (two cores shared with the fuzzer, other tests, GC threads) the wall-clock delay also counts the
 * time the thread waited for a core, which is not the server's doing. Both are reported.
 */
import type { ServerProcess } from '../serverProcess'

/** One window's figures, in milliseconds. */
export interface StallFigures {
  /** Longest time the main thread ran between two ticks: the loop blocked by its own work. */
  busyMaxMs: number
  /** When that stretch ended (Date.now() in the server process, the same clock as the fuzzer's). */
  busyEndedAt: number
  /** Longest wall-clock delay of a tick (monitorEventLoopDelay's max; includes waiting for a CPU). */
  delayMaxMs: number
  /** 99th percentile of the wall-clock delay. */
  delayP99Ms: number
}

const PROBE = `
import { readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { isMainThread } from 'node:worker_threads'
if (isMainThread) {
  const file = '/proc/self/task/' + process.pid + '/schedstat'
  const cpuMs = () => {
    try { return Number(readFileSync(file, 'utf8').split(' ')[0]) / 1e6 } catch { return 0 }
  }
  const histogram = monitorEventLoopDelay({ resolution: 10 })
  histogram.enable()
  let lastCpu = cpuMs()
  let busyMax = 0
  let busyEndedAt = 0
  const tick = () => {
    const used = cpuMs()
    if (used - lastCpu > busyMax) {
      busyMax = used - lastCpu
      busyEndedAt = Date.now()
    }
    lastCpu = used
  }
  setInterval(tick, 10).unref()
  const ms = (ns) => Math.round(ns / 10000) / 100
  process.on('SIGUSR2', () => {
    tick()
    const figures = {
      busyMaxMs: Math.round(busyMax * 100) / 100,
      busyEndedAt,
      delayMaxMs: ms(histogram.max),
      delayP99Ms: ms(histogram.percentile(99)),
    }
    busyMax = 0
    histogram.reset()
    process.stdout.write('fuzz-stall ' + JSON.stringify(figures) + '\\n')
  })
}
`

/** Environment that loads the probe into a server process (added to its NODE_OPTIONS). */
export function stallProbeEnv(): NodeJS.ProcessEnv {
  const module = `data:text/javascript;base64,${Buffer.from(PROBE).toString('base64')}`
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${module}`.trim() }
}

/** Ends the server's current window (SIGUSR2) and resolves with its figures. */
export function readStall(server: ServerProcess): Promise<StallFigures> {
  const stdout = server.child.stdout
  if (!stdout) return Promise.reject(new Error('the server process has no stdout'))
  return new Promise((resolve, reject) => {
    let buffered = ''
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString()
      const match = /fuzz-stall (\{[^\n]*\})\n/.exec(buffered)
      if (!match?.[1]) return
      stdout.off('data', onData)
      resolve(JSON.parse(match[1]) as StallFigures)
    }
    stdout.on('data', onData)
    if (!server.child.kill('SIGUSR2')) {
      stdout.off('data', onData)
      reject(new Error('could not signal the server process'))
    }
  })
}

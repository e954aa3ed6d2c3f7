/**
 * Loaded into a benchmark's server process (`NODE_OPTIONS=--import <this file>`, see
 * `eventLoopProbeEnv` in eventLoopDelay.ts): measures the main thread's event-loop delay with
 * `perf_hooks.monitorEventLoopDelay` (10 ms resolution). On SIGUSR2 it prints one line,
 * `event-loop-delay {"maxMs":..,"p50Ms":..,"p99Ms":..,"meanMs":..,"samples":..}`, for the time
 * since the previous SIGUSR2 (or since start), and starts a new window. Plain JavaScript so that it
 * loads before any loader; it does nothing in worker threads.
 */

import { monitorEventLoopDelay } from 'node:perf_hooks'
import { isMainThread } from 'node:worker_threads'

if (isMainThread) {
  const histogram = monitorEventLoopDelay({ resolution: 10 })
  histogram.enable()
  const ms = (nanoseconds) => Math.round(nanoseconds / 10_000) / 100
  process.on('SIGUSR2', () => {
    const figures = {
      maxMs: ms(histogram.max),
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      meanMs: ms(histogram.mean),
      samples: histogram.count,
    }
    histogram.reset()
    process.stdout.write(`event-loop-delay ${JSON.stringify(figures)}\n`)
  })
}

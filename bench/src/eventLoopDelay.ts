/**
 * The event-loop delay of a benchmark's server process, measured inside it by `eventLoopProbe.mjs`:
 * start the server with {@link eventLoopProbeEnv} in its environment, then read one window at a
 * time with {@link readEventLoopDelay}.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerProcess } from './serverProcess'

/** Event-loop delay over one window, in milliseconds (10 ms resolution). */
export interface EventLoopDelay {
  maxMs: number
  p50Ms: number
  p99Ms: number
  meanMs: number
  samples: number
}

const PROBE = pathToFileURL(path.join(import.meta.dirname, 'eventLoopProbe.mjs')).href

/** Environment that loads the probe into a server process (added to its NODE_OPTIONS). */
export function eventLoopProbeEnv(): NodeJS.ProcessEnv {
  const existing = process.env.NODE_OPTIONS ?? ''
  return { NODE_OPTIONS: `${existing} --import ${PROBE}`.trim() }
}

/**
 * Ends the server's current window and resolves with its figures (the probe answers SIGUSR2 with
 * one line on stdout); the next window starts at once.
 */
export function readEventLoopDelay(server: ServerProcess): Promise<EventLoopDelay> {
  const stdout = server.child.stdout
  if (!stdout) return Promise.reject(new Error('the server process has no stdout'))
  return new Promise((resolve, reject) => {
    let buffered = ''
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString()
      const match = /event-loop-delay (\{[^\n]*\})\n/.exec(buffered)
      if (!match?.[1]) return
      stdout.off('data', onData)
      resolve(JSON.parse(match[1]) as EventLoopDelay)
    }
    stdout.on('data', onData)
    if (!server.child.kill('SIGUSR2')) {
      stdout.off('data', onData)
      reject(new Error('could not signal the server process'))
    }
  })
}

/**
 * A OneText server in a child process, started as `pnpm start` starts it (`node --import tsx
 * server/src/main.ts`) with the environment given, on a free port: for tests that stop a process
 * the way an operator or a crash does (SIGTERM, SIGKILL). Its log lines are kept (`log`).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { TEST_PASSWORD } from './testServer'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Longest wait for a child server to say where it listens (ms). */
const START_TIMEOUT_MS = 30_000

/** A running child server. */
export interface ChildServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  readonly process: ChildProcess
  /** Every line it logged so far (the message of each JSON line). */
  readonly log: string[]
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>
}

/**
 * Starts a child server on 127.0.0.1 and a free port with `env` added to this process's
 * environment (and DEMO_PASSWORD set to the tests' one); resolves once it listens. Rejects, with
 * the child killed, when it exits first or does not start within START_TIMEOUT_MS.
 */
export function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DEMO_PASSWORD: TEST_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const log: string[] = []
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the child server did not start:\n${log.join('\n')}`))
    }, START_TIMEOUT_MS)
    let buffered = ''
    const onLine = (line: string) => {
      let message = line
      try {
        message = (JSON.parse(line) as { msg?: string }).msg ?? line
      } catch {}
      log.push(message)
      const listening = /OneText listening on (http:\/\/[^\s]+)/.exec(message)
      if (!listening?.[1]) return
      clearTimeout(timer)
      resolve({
        url: listening[1],
        process: child,
        log,
        stop(signal) {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal)
          return exited
        },
      })
    }
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => {
        buffered += chunk
        const lines = buffered.split('\n')
        buffered = lines.pop() ?? ''
        for (const line of lines) if (line.trim() !== '') onLine(line)
      })
    }
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`the child server exited (${code}) before it listened:\n${log.join('\n')}`))
    })
  })
}

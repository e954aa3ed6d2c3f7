/**
 * Runs the server as a separate process exactly as `pnpm start` does (node --import tsx
 * server/src/main.ts): for benchmarks (the server's CPU apart from the clients') and for tests
 * that SIGKILL or SIGTERM it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '../..')
/** With `BENCH_SERVER_LOG=1` the server's output is echoed to this process's stderr. */
const ECHO = process.env.BENCH_SERVER_LOG === '1'

/** A server running in a child process. */
export interface ServerProcess {
  pid: number
  url: string
  child: ChildProcess
  /** Resolves with the exit code or signal once the process has exited. */
  exited: Promise<number | string>
  output(): string
}

/**
 * Node options for profiling the server: with `BENCH_SERVER_CPU_PROF=DIR` in the environment every
 * benchmark server writes a V8 CPU profile into DIR when it exits (open it in Chrome DevTools).
 */
function profilingArgs(): string[] {
  const dir = process.env.BENCH_SERVER_CPU_PROF
  // BENCH_SERVER_NODE_ARGS adds Node options of your own, e.g. '--trace-gc' (with BENCH_SERVER_LOG=1).
  const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  return [...(dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : []), ...extra]
}

/**
 * The server's entry file: `server/src/main.ts`, or `BENCH_SERVER_ENTRY` (relative to the repository)
 * to measure another build of the server against this one, e.g. a copy of an older
 * `server/src` placed inside `server/` so that it resolves the same packages.
 */
function serverEntry(): string {
  return process.env.BENCH_SERVER_ENTRY ?? 'server/src/main.ts'
}

/**
 * Starts the server over `dataDir` (demo password `password`) on a free port, or on `env.PORT` when
 * given (to restart a server where its clients reconnect); resolves once it is listening.
 */
export function spawnServer(
  dataDir: string,
  password: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ServerProcess> {
  const args = [...profilingArgs(), '--import', 'tsx', serverEntry()]
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      PORT: env.PORT ?? '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_PASSWORD: password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(signal ?? code ?? -1))
  })
  return new Promise((resolve, reject) => {
    let listening = false
    child.stdout?.on('data', (chunk: Buffer) => {
      if (ECHO) process.stderr.write(chunk)
      output += chunk.toString()
      const match = /listening on (http:\/\/[^\s]+)/.exec(output)
      if (match?.[1] && !listening) {
        listening = true
        resolve({ url: match[1], pid: child.pid ?? 0, child, exited, output: () => output })
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      if (ECHO) process.stderr.write(chunk)
      output += chunk.toString()
    })
    void exited.then((code) =>
      reject(new Error(`server exited with ${code} before listening:\n${output}`)),
    )
  })
}

/** A port nothing listens on now (to restart a server on the port its clients reconnect to). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

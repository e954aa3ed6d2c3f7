/**
 * Several OneText server processes behind a real nginx, as docs/DEPLOY.md "N processes behind
 * nginx" deploys them: a PostgreSQL database of the cluster's own (postgresDatabase.ts), a
 * redis-server of its own (redisServer.ts), N server processes started as `pnpm start` starts one
 * (bench/src/serverProcess.ts) with `STORE=postgres`, and Debian's nginx (`NGINX`, default
 * /usr/sbin/nginx) in a temporary prefix, configured from `deploy/nginx.conf` (the template the
 * docs show) on a free loopback port. Used by the cluster tests and by `pnpm bench ... --processes N`.
 */

import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort, type ServerProcess, spawnServer } from '../../bench/src/serverProcess'
import { createTestDatabase, type TestDatabase } from './postgresDatabase'
import { startTestRedis, type TestRedis } from './redisServer'

/** The template of the configuration, as docs/DEPLOY.md shows it. */
export const NGINX_TEMPLATE = path.resolve(import.meta.dirname, '../../deploy/nginx.conf')
/** Longest wait for nginx, or a process, to answer `/healthz` after it started. */
export const READY_TIMEOUT_MS = 20_000
/** Longest wait for a process or nginx to exit after it was told to stop, before SIGKILL. */
const STOP_TIMEOUT_MS = 15_000

/** The placeholder of the address nginx listens on. */
const LISTEN = `\${ONETEXT_LISTEN}`
/** The placeholder of a process's address; its line is repeated once per process. */
const UPSTREAM = `\${ONETEXT_UPSTREAM}`

/**
 * The template `template` with its placeholders filled: `${ONETEXT_LISTEN}` with `listen`, and
 * the line holding `${ONETEXT_UPSTREAM}` repeated once per address of `upstreams` (host:port).
 * RangeError for no upstream, or a template without both placeholders.
 */
export function nginxConfig(
  template: string,
  listen: string,
  upstreams: readonly string[],
): string {
  if (upstreams.length === 0) throw new RangeError('nginx needs at least one upstream')
  if (!template.includes(LISTEN) || !template.includes(UPSTREAM))
    throw new RangeError(`the template lacks ${LISTEN} or ${UPSTREAM}`)
  return template
    .split('\n')
    .flatMap((line) =>
      line.includes(UPSTREAM)
        ? upstreams.map((upstream) => line.replaceAll(UPSTREAM, upstream))
        : [line.replaceAll(LISTEN, listen)],
    )
    .join('\n')
}

/** One server process of the cluster. */
export interface ClusterProcess {
  /** Its place in the cluster (0-based), the same after a restart. */
  readonly index: number
  /** Its own address (http://127.0.0.1:port), bypassing nginx. */
  readonly url: string
  readonly pid: number
  readonly child: ChildProcess
  /** True until it has exited. */
  readonly running: boolean
  /** What it printed so far (its log). */
  output(): string
}

/** A cluster of server processes behind nginx. */
export interface NginxCluster {
  /** nginx's address (http://127.0.0.1:port): what clients use. */
  readonly url: string
  readonly processes: readonly ClusterProcess[]
  readonly database: TestDatabase
  readonly redis: TestRedis
  /** The demo accounts' password. */
  readonly password: string
  /** The environment every process was started with (store, Redis, prefix). */
  readonly env: Readonly<Record<string, string>>
  /** The negotiations process `index` owns, by its `/healthz` (`[]` once it stopped). */
  owned(index: number): Promise<string[]>
  /** The running process that owns `negotiationId` by its `/healthz`, or null. */
  ownerOf(negotiationId: string): Promise<ClusterProcess | null>
  /** Sends `signal` to process `index`; with SIGKILL or SIGTERM resolves once it has exited. */
  signal(index: number, signal: NodeJS.Signals): Promise<void>
  /** Starts process `index` again (after it exited) on its port, where nginx sends its share. */
  restart(index: number): Promise<void>
  /** Stops nginx, the processes, Redis, and drops the database. */
  close(): Promise<void>
}

/** Options of {@link startNginxCluster}; every one may be left out. */
export interface NginxClusterOptions {
  /** Server processes; default 3. */
  processes?: number
  /** Demo password; default `test-password` (the tests' TEST_PASSWORD). */
  password?: string
  /** Added to every process's environment (e.g. IDLE_UNLOAD_MS). */
  env?: Record<string, string>
}

interface Running {
  server: ServerProcess
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

const DEADLINE_POLL_MS = 50
/** Longest wait for one `/healthz` answer (a stopped process gives none). */
const HEALTH_TIMEOUT_MS = 2_000

/** Polls `probe` until it resolves true, failing after `timeoutMs` with `what`. */
async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await probe().catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, DEADLINE_POLL_MS))
  }
}

async function healthy(url: string): Promise<boolean> {
  const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) })
  await response.body?.cancel()
  return response.ok
}

/** Resolves once `child` has exited, sending `signal` first, then SIGKILL after the deadline. */
async function stopChild(child: ChildProcess, signal: NodeJS.Signals, group = false) {
  if (hasExited(child)) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const send = (which: NodeJS.Signals) => {
    try {
      if (group && child.pid) process.kill(-child.pid, which)
      else child.kill(which)
    } catch {
      // Already gone.
    }
  }
  send(signal)
  const timer = setTimeout(() => send('SIGKILL'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}

/** Starts nginx in `prefix` on `config`; resolves with its master process once it is up. */
async function startNginx(prefix: string, config: string, url: string): Promise<ChildProcess> {
  const binary = process.env.NGINX ?? '/usr/sbin/nginx'
  fs.mkdirSync(path.join(prefix, 'temp'), { recursive: true })
  const confFile = path.join(prefix, 'nginx.conf')
  fs.writeFileSync(confFile, config)
  // Its own process group, so that teardown reaches the workers too.
  const child = spawn(
    binary,
    ['-p', prefix, '-c', confFile, '-e', path.join(prefix, 'error.log'), '-g', 'daemon off;'],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`${binary} did not start: ${error.message}`)))
    child.once('exit', (code) => reject(new Error(`nginx exited with ${code}:\n${stderr}`)))
  })
  failed.catch(() => {})
  await Promise.race([
    until('nginx did not answer /healthz', READY_TIMEOUT_MS, () => healthy(url)),
    failed,
  ])
  return child
}

/**
 * Starts a cluster: database, Redis, `processes` server processes (the first alone, so that it
 * migrates the database and seeds the demo; the others then together) and nginx in front of them;
 * resolves once nginx answers `/healthz`. On a failure everything started is stopped again.
 */
export async function startNginxCluster(options: NginxClusterOptions = {}): Promise<NginxCluster> {
  const count = options.processes ?? 3
  const password = options.password ?? 'test-password'
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-nginx-'))
  // nginx's workers drop root's rights; they must reach the prefix.
  fs.chmodSync(prefix, 0o755)
  const database = await createTestDatabase()
  const redis = await startTestRedis()
  const env: Record<string, string> = {
    STORE: 'postgres',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: `onetext-cluster-${randomBytes(4).toString('hex')}:`,
    TRUST_PROXY: '127.0.0.1',
    ...options.env,
  }
  const running: Running[] = []
  let nginx: ChildProcess | null = null
  const start = async (index: number, port = '0') => {
    const server = await spawnServer(path.join(prefix, `data-${index}`), password, {
      ...env,
      PORT: port,
    })
    running[index] = { server }
  }
  const close = async () => {
    if (nginx) await stopChild(nginx, 'SIGTERM', true)
    nginx = null
    await Promise.all(
      running.map((entry) => {
        // A process the test stopped (SIGSTOP) must run again to hear SIGTERM.
        entry.server.child.kill('SIGCONT')
        return stopChild(entry.server.child, 'SIGTERM')
      }),
    )
    await redis.close()
    await database.drop()
    fs.rmSync(prefix, { recursive: true, force: true })
  }
  try {
    await start(0)
    await Promise.all(Array.from({ length: count - 1 }, (_, index) => start(index + 1)))
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const upstreams = running.map((entry) => new URL(entry.server.url).host)
    const config = nginxConfig(
      fs.readFileSync(NGINX_TEMPLATE, 'utf8'),
      `127.0.0.1:${port}`,
      upstreams,
    )
    nginx = await startNginx(prefix, config, url)
    const processes: ClusterProcess[] = running.map((_, index) => ({
      index,
      get url() {
        return (running[index] as Running).server.url
      },
      get pid() {
        return (running[index] as Running).server.pid
      },
      get child() {
        return (running[index] as Running).server.child
      },
      get running() {
        return !hasExited((running[index] as Running).server.child)
      },
      output: () => (running[index] as Running).server.output(),
    }))
    const owned = async (index: number): Promise<string[]> => {
      const process = processes[index]
      if (!process?.running) return []
      const response = await fetch(`${process.url}/healthz`, {
        signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      })
      const body = (await response.json()) as { owned?: string[] }
      return body.owned ?? []
    }
    return {
      url,
      processes,
      database,
      redis,
      password,
      env,
      owned,
      async ownerOf(negotiationId) {
        for (const process of processes) {
          const list = await owned(process.index).catch((): string[] => [])
          if (list.includes(negotiationId)) return process
        }
        return null
      },
      async signal(index, signal) {
        const child = running[index]?.server.child
        if (!child) throw new RangeError(`no process ${index}`)
        if (signal === 'SIGKILL' || signal === 'SIGTERM') await stopChild(child, signal)
        else child.kill(signal)
      },
      async restart(index) {
        const entry = running[index]
        if (!entry) throw new RangeError(`no process ${index}`)
        if (!hasExited(entry.server.child)) throw new Error(`process ${index} is still running`)
        await start(index, new URL(entry.server.url).port)
      },
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

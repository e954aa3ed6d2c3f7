/**
 * A redis-server of the test's own, as a child process on a free loopback port (never the
 * machine's shared one on 6379), keeping nothing on disk: started, killed (SIGKILL) and started
 * again on the same port, as a restart of Redis in production would look to the servers.
 * `REDIS_SERVER` names the binary (default `redis-server` on the PATH).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

/** A redis-server the test controls. */
export interface TestRedis {
  /** The loopback port it listens on (the same after a restart). */
  readonly port: number
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string
  /** True while the process runs. */
  readonly running: boolean
  /** Kills it with SIGKILL (everything it held is gone); resolves once it has exited. */
  kill(): Promise<void>
  /** Starts it again on the same port; resolves once it accepts connections. */
  start(): Promise<void>
  /** Kills it (if running) and removes its folder. */
  close(): Promise<void>
}

/** A port free on 127.0.0.1 now (the kernel's pick). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port)
        else reject(new Error('no port'))
      })
    })
  })
}

/** Starts `redis-server` on `port`; resolves once it says it accepts connections. */
function launch(port: number, dir: string): Promise<ChildProcess> {
  const binary = process.env.REDIS_SERVER ?? 'redis-server'
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData)
        child.stdout?.resume()
        resolve(child)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('error', (error) => reject(new Error(`${binary} did not start: ${error.message}`)))
    child.once('exit', (code) =>
      reject(
        new Error(`${binary} exited with ${code} before it was ready:\n${output.slice(-2000)}`),
      ),
    )
  })
}

/** Starts a redis-server of this test's own on a free loopback port. */
export async function startTestRedis(): Promise<TestRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-redis-'))
  const port = await freePort()
  let child: ChildProcess | null = await launch(port, dir)
  const kill = async () => {
    const running = child
    child = null
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve())
      running.kill('SIGKILL')
    })
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== null
    },
    kill,
    async start() {
      if (child) throw new Error('redis-server is already running')
      child = await launch(port, dir)
    },
    async close() {
      await kill()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Starts a comparison server (Hocuspocus, the y-websocket reference server) as a child process and
 * waits for the line that says it listens.
 */
import { type ChildProcess, spawn } from 'node:child_process'

/** A running child server. */
export interface ChildServer {
  child: ChildProcess
  port: number
  stop(): Promise<void>
}

/** Spawns `command args` with `env`; `listening` extracts the port from its output. */
export function startChildServer(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  listening: (output: string) => number | null,
): Promise<ChildServer> {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const port = listening(output)
      if (port !== null) {
        resolve({
          child,
          port,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGKILL')
            await exited
          },
        })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then(() => reject(new Error(`${command} exited before listening:\n${output}`)))
  })
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const net = await import('node:net')
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

/**
 * The server the fuzzer attacks: a real server process (`serverProcess.ts`) over a temporary data
 * directory on a fixed port (so that clients reconnect to it after a restart), with the stall probe
 * loaded (`stallProbe.ts`). A process that exits on its own has crashed: its output (the
 * stack trace) is kept for the report, and it can be started again over the same data.
 */
import { freePort, type ServerProcess, spawnServer } from '../serverProcess'
import { PASSWORD } from '../targets/onetextTarget'
import { withTimeout } from './honest'
import { readStall, type StallFigures, stallProbeEnv } from './stallProbe'

/** A crash of the server process: how it exited and the end of its output. */
export interface ServerCrash {
  exit: number | string
  output: string
}

/** The server process under attack (see the module comment). */
export class ServerUnderTest {
  private process: ServerProcess | null = null
  private stopping = false
  /** The crash of the current process, once it has exited without being asked to. */
  crash: ServerCrash | null = null

  private constructor(
    readonly dataDir: string,
    private readonly port: number,
  ) {}

  /** Starts a server over `dataDir` on a free port. */
  static async start(dataDir: string): Promise<ServerUnderTest> {
    const server = new ServerUnderTest(dataDir, await freePort())
    await server.spawn()
    return server
  }

  /** The server's base URL (the same across restarts). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.process !== null && this.crash === null
  }

  private async spawn(): Promise<void> {
    this.crash = null
    this.stopping = false
    const started = await spawnServer(this.dataDir, PASSWORD, {
      ...stallProbeEnv(),
      PORT: String(this.port),
    })
    this.process = started
    void started.exited.then((exit) => {
      if (this.process !== started || this.stopping) return
      this.crash = { exit, output: started.output().slice(-8_000) }
    })
  }

  /** Starts the process again after a crash (or a stop), over the same data. */
  async restart(): Promise<void> {
    await this.stop('SIGKILL')
    await this.spawn()
  }

  /** Stops the process (`SIGTERM` writes everything pending first); resolves with how it exited. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | string | null> {
    const running = this.process
    if (!running) return null
    this.stopping = true
    if (this.crash === null) running.child.kill(signal)
    const exit = await running.exited
    this.process = null
    return exit
  }

  /** True when `GET /healthz` answers 200 within `timeoutMs`. */
  async healthy(timeoutMs = 10_000): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/healthz`, {
        signal: AbortSignal.timeout(timeoutMs),
      })
      return response.status === 200
    } catch {
      return false
    }
  }

  /**
   * The event-loop stalls since the last call (or since start), measured in the server process
   * (stallProbe.ts); null when the process does not answer within `timeoutMs` (stuck, or gone).
   */
  async stalls(timeoutMs = 20_000): Promise<StallFigures | null> {
    const running = this.process
    if (!running || this.crash) return null
    try {
      return await withTimeout(readStall(running), timeoutMs, 'no event-loop figures')
    } catch {
      return null
    }
  }

  /** Everything the current process has printed. */
  output(): string {
    return this.process?.output() ?? ''
  }
}

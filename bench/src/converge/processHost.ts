/**
 * The long convergence run of `pnpm bench converge`: the server runs as a child process (as
 * `pnpm start` runs it) over a temporary data directory and a fixed port, and is restarted there
 * with SIGTERM or killed with SIGKILL; the users are the demo's accounts in the demo negotiation.
 * The stored copy is what a fresh server process loads from the data directory.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort, type ServerProcess, spawnServer } from '../serverProcess'
import { login, PASSWORD } from '../targets/onetextTarget'
import { connectProbe, richTextXml } from './probe'
import {
  type ConvergeAccount,
  type ConvergeHost,
  type ConvergeResult,
  converge,
  type RestartMode,
} from './run'

/** The demo accounts the run signs in as. */
const DEMO_USERS: ReadonlyArray<Omit<ConvergeAccount, 'token'> & { email: string }> = [
  { email: 'mediator@demo.test', role: 'mediator', partyId: null },
  { email: 'drafter@demo.test', role: 'drafting-team', partyId: 'labor' },
  { email: 'labor.lead@demo.test', role: 'party-lead', partyId: 'labor' },
  { email: 'labor.member@demo.test', role: 'party-member', partyId: 'labor' },
  { email: 'mgmt.lead@demo.test', role: 'party-lead', partyId: 'mgmt' },
  { email: 'mgmt.member@demo.test', role: 'party-member', partyId: 'mgmt' },
]

/** The server as a child process on one port and data directory. */
export class ProcessHost implements ConvergeHost {
  readonly canKill = true
  private constructor(
    private server: ServerProcess | null,
    private readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Starts a server over a fresh data directory (the demo is seeded). */
  static async start(): Promise<ProcessHost> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-converge-'))
    const env = { PORT: String(await freePort()) }
    return new ProcessHost(await spawnServer(dataDir, PASSWORD, env), dataDir, env)
  }

  get url(): string {
    if (!this.server) throw new Error('the server is not running')
    return this.server.url
  }

  private async stop(mode: RestartMode): Promise<void> {
    const running = this.server
    this.server = null
    if (!running) return
    running.child.kill(mode === 'kill' ? 'SIGKILL' : 'SIGTERM')
    await running.exited
  }

  async restart(mode: RestartMode): Promise<void> {
    await this.stop(mode)
    this.server = await spawnServer(this.dataDir, PASSWORD, this.env)
  }

  async storedXml(
    documents: ReadonlyArray<{ name: string; token: string }>,
  ): Promise<Map<string, string>> {
    await this.restart('graceful')
    const stored = new Map<string, string>()
    for (const { name, token } of documents) {
      const probe = connectProbe(this.url, name, token)
      try {
        await probe.synced(30_000)
        stored.set(name, richTextXml(probe.doc))
      } finally {
        probe.destroy()
      }
    }
    return stored
  }

  /** Signs in every demo account the run uses. */
  async accounts(): Promise<ConvergeAccount[]> {
    const accounts: ConvergeAccount[] = []
    for (const { email, ...member } of DEMO_USERS)
      accounts.push({ ...member, token: await login(this.url, email) })
    return accounts
  }

  /** Kills the server and removes its data. */
  async close(): Promise<void> {
    await this.stop('kill')
    fs.rmSync(this.dataDir, { recursive: true, force: true })
  }
}

/** Options of `pnpm bench converge`. */
export interface ConvergeBenchOptions {
  seed: number
  rounds: number
  clients: number
  log?: (line: string) => void
}

/**
 * Runs the convergence run against a child-process server with about one restart a round, half of
 * them SIGKILL.
 */
export async function convergeBench(options: ConvergeBenchOptions): Promise<ConvergeResult> {
  const host = await ProcessHost.start()
  try {
    return await converge({
      host,
      accounts: await host.accounts(),
      negotiationId: 'lmp-1997',
      parties: ['labor', 'mgmt'],
      seed: options.seed,
      rounds: options.rounds,
      clients: options.clients,
      restarts: options.rounds,
      killShare: 0.5,
      ...(options.log ? { log: options.log } : {}),
    })
  } finally {
    await host.close()
  }
}

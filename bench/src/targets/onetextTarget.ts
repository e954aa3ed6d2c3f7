/**
 * OneText as a replay target: the real server process over a temporary DATA_DIR, or with
 * `servers: N` (N > 1) N processes on PostgreSQL and Redis behind nginx
 * (tests/helpers/nginxCluster.ts), the clients connecting through nginx; writers signed in as the
 * mediator and observers as a party member (read-only on the working draft); writers' edits count
 * as stored only once acknowledged as on disk (committed to PostgreSQL).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PersistenceTracker } from '@onetext/shared/persistenceTracker'
import { PROTOCOL_PARAMS } from '@onetext/shared/protocol'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { loadFromPostgres } from '../../../tests/helpers/clusterClients'
import { type NginxCluster, startNginxCluster } from '../../../tests/helpers/nginxCluster'
import { traceString } from '../rawReplay'
import type { ReplayClient, ReplayTarget } from '../replayEngine'
import { type ServerProcess, spawnServer } from '../serverProcess'
import type { ClientSpec } from './clientSpec'
import { CorkedWebSocket as WebSocket } from './corkedWebSocket'
import { providerSynced } from './providerSynced'

/** Demo password of every benchmark server. */
export const PASSWORD = 'bench-password'
/** The demo's working draft (the 1997 agreement). */
export const DEMO_DRAFT = 'lmp-1997.draft'

/** Sends a JSON request as the holder of `token` (none: anonymous); throws on an error status. */
async function api<T>(
  url: string,
  token: string | null,
  path: string,
  body: unknown,
  method: 'POST' | 'PATCH' = 'POST',
): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

/** Signs in to the server at `url` with the benchmarks' demo password; returns the session token. */
export async function login(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  })
  if (!response.ok) throw new Error(`login failed: ${response.status}`)
  return ((await response.json()) as { token: string }).token
}

/** A y-websocket client of `document` (a working draft) with the persistence tracker. */
export function connect(url: string, token: string, document: string): ReplayClient {
  const doc = new Y.Doc()
  const tracker = new PersistenceTracker()
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, document, doc, {
    WebSocketPolyfill: tracker.socketClass(WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { ...PROTOCOL_PARAMS, token },
  })
  tracker.attach(provider)
  return {
    doc,
    synced: () => providerSynced(provider),
    saved: () => tracker.whenSaved(),
    destroy: () => provider.destroy(),
  }
}

export class OneTextTarget implements ReplayTarget {
  readonly name = 'onetext'
  private server: ServerProcess | null = null
  private cluster: NginxCluster | null = null
  /** With a cluster: the process that owns the negotiation (its CPU and memory are measured). */
  private owner: { url: string; pid: number } | null = null
  private readonly servers: number
  private readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-bench-'))
  private tokens: { writer: string; reader: string } | null = null
  private readonly env: NodeJS.ProcessEnv
  private readonly fresh: boolean
  private draft = DEMO_DRAFT

  /**
   * `env` is added to the server process's environment (e.g. IDLE_UNLOAD_MS). With
   * `negotiation: 'fresh'` the mediator starts a new negotiation (through the API, from a one-line
   * text) and invites the reader to it as a party member, so that clients sync a near-empty draft
   * like the other servers' documents; `'demo'` (the default) uses the demo's 1997 agreement.
   * `servers` (default 1): with more, that many processes behind nginx.
   */
  constructor(
    options: { env?: NodeJS.ProcessEnv; negotiation?: 'demo' | 'fresh'; servers?: number } = {},
  ) {
    this.env = options.env ?? {}
    this.servers = options.servers ?? 1
    if (!Number.isInteger(this.servers) || this.servers < 1)
      throw new RangeError('servers must be a whole number of at least 1')
    this.fresh = options.negotiation === 'fresh'
  }

  /** The working draft the clients open. */
  get document(): string {
    return this.draft
  }

  /** The demo accounts' password. */
  readonly password = PASSWORD

  /** The server's address once started. */
  get baseUrl(): string {
    return this.url()
  }

  /** The process serving the clients' negotiation (with a cluster, its owner). */
  get pid(): number {
    return this.owner?.pid ?? this.server?.pid ?? 0
  }

  /** The address of the process serving the clients' negotiation (for its /metrics). */
  get serverUrl(): string {
    return this.owner?.url ?? this.url()
  }

  async start(): Promise<void> {
    if (this.servers > 1) {
      const env = Object.fromEntries(
        Object.entries(this.env).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      )
      this.cluster = await startNginxCluster({ processes: this.servers, password: PASSWORD, env })
    } else {
      this.server = await spawnServer(this.dataDir, PASSWORD, this.env)
    }
    const url = this.url()
    this.tokens = {
      writer: await login(url, 'mediator@demo.test'),
      reader: await login(url, 'labor.member@demo.test'),
    }
    if (this.fresh) await this.startNegotiation(url, this.tokens.writer)
    // The observers are party members reading the working draft live: open drafting.
    const negotiationId = this.draft.slice(0, -'.draft'.length)
    if (this.cluster) await this.findOwner(negotiationId)
    await api(
      url,
      this.tokens.writer,
      `/api/negotiations/${encodeURIComponent(negotiationId)}/settings`,
      { openDrafting: true },
      'PATCH',
    )
  }

  /** Connects a writer through nginx once, so that the process nginx routes to owns the negotiation. */
  private async findOwner(negotiationId: string): Promise<void> {
    const probe = connect(this.url(), this.tokens?.writer ?? '', this.draft)
    await probe.synced()
    const owner = await this.cluster?.ownerOf(negotiationId)
    probe.destroy()
    if (!owner) throw new Error(`no process owns ${negotiationId}`)
    this.owner = { url: owner.url, pid: owner.pid }
  }

  private async startNegotiation(url: string, mediatorToken: string): Promise<void> {
    const created = await api<{ id: string; parties: Array<{ id: string }> }>(
      url,
      mediatorToken,
      '/api/negotiations',
      {
        title: 'Replay',
        parties: ['Union coalition', 'Management'],
        format: 'md',
        // A paragraph, no title: the replay's blocks go in at the start of the draft, where a
        // title would have to stay first.
        content: 'Replay\n',
      },
    )
    const invite = await api<{ token: string }>(
      url,
      mediatorToken,
      `/api/negotiations/${created.id}/invites`,
      { email: 'labor.member@demo.test', role: 'party-member', partyId: created.parties[0]?.id },
    )
    await api(url, null, `/api/invites/${invite.token}/accept`, { password: PASSWORD })
    this.draft = `${created.id}.draft`
  }

  async writer(): Promise<ReplayClient> {
    return connect(this.url(), this.tokens?.writer ?? '', this.draft)
  }

  /** How a writer (the mediator) or an observer (a party member) in another process connects. */
  clientSpec(role: 'writer' | 'observer'): ClientSpec {
    const token = (role === 'writer' ? this.tokens?.writer : this.tokens?.reader) ?? ''
    return { kind: 'onetext', url: this.url(), token, document: this.draft }
  }

  /** The read-only observers' session token (for clients in other processes). */
  observerToken(): string {
    return this.tokens?.reader ?? ''
  }

  async observer(): Promise<ReplayClient> {
    return connect(this.url(), this.tokens?.reader ?? '', this.draft)
  }

  private url(): string {
    if (this.cluster) return this.cluster.url
    if (!this.server) throw new Error('start the target first')
    return this.server.url
  }

  async verifyReload(text: string): Promise<boolean> {
    if (this.cluster) {
      const [stored] = await loadFromPostgres(this.cluster.database.url, [this.draft])
      return stored !== undefined && traceString(stored) === text
    }
    await this.stopServer()
    const again = await spawnServer(this.dataDir, PASSWORD, this.env)
    try {
      const reader = connect(
        again.url,
        await login(again.url, 'labor.member@demo.test'),
        this.draft,
      )
      await reader.synced()
      const same = traceString(reader.doc) === text
      reader.destroy()
      return same
    } finally {
      again.child.kill('SIGTERM')
      await again.exited
    }
  }

  private async stopServer(): Promise<void> {
    const server = this.server
    this.server = null
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM')
      await server.exited
    }
  }

  async stop(): Promise<void> {
    await this.stopServer()
    await this.cluster?.close()
    this.cluster = null
    fs.rmSync(this.dataDir, { recursive: true, force: true })
  }
}

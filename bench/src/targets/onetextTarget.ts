/**
 * OneText as a replay target: the real server process over a temporary DATA_DIR, writers signed in
 * as the mediator and observers as a party member (read-only on the working draft); writers' edits
 * count as stored only once acknowledged as on disk.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PersistenceTracker } from '@onetext/shared/persistenceTracker'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { TRACE_TEXT } from '../rawReplay'
import type { ReplayClient, ReplayTarget } from '../replayEngine'
import { type ServerProcess, spawnServer } from '../serverProcess'

/** Demo password of every benchmark server. */
export const PASSWORD = 'bench-password'
/** The demo's working draft, the document every benchmark client opens. */
export const DRAFT_DOCUMENT = 'lmp-1997.draft'

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

/** A y-websocket client of the working draft with the persistence tracker. */
export function connect(url: string, token: string): ReplayClient {
  const doc = new Y.Doc()
  const tracker = new PersistenceTracker()
  const provider = new WebsocketProvider(
    `${url.replace(/^http/, 'ws')}/sync`,
    DRAFT_DOCUMENT,
    doc,
    {
      WebSocketPolyfill: tracker.socketClass(WebSocket) as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: { token },
    },
  )
  tracker.attach(provider)
  return {
    doc,
    synced: () =>
      new Promise((resolve) => {
        if (provider.synced) resolve()
        else provider.once('sync', () => resolve())
      }),
    saved: () => tracker.whenSaved(),
    destroy: () => provider.destroy(),
  }
}

export class OneTextTarget implements ReplayTarget {
  readonly name = 'onetext'
  private server: ServerProcess | null = null
  private readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-bench-'))
  private tokens: { writer: string; reader: string } | null = null

  /** `env` is added to the server process's environment (e.g. IDLE_UNLOAD_MS, NODE_OPTIONS). */
  constructor(private readonly env: NodeJS.ProcessEnv = {}) {}

  /** The demo accounts' password. */
  readonly password = PASSWORD

  /** The server's address once started. */
  get baseUrl(): string {
    return this.url()
  }

  get pid(): number {
    return this.server?.pid ?? 0
  }

  async start(): Promise<void> {
    this.server = await spawnServer(this.dataDir, PASSWORD, this.env)
    this.tokens = {
      writer: await login(this.server.url, 'mediator@demo.test'),
      reader: await login(this.server.url, 'labor.member@demo.test'),
    }
  }

  async writer(): Promise<ReplayClient> {
    return connect(this.url(), this.tokens?.writer ?? '')
  }

  /** The read-only observers' session token (for clients in other processes). */
  observerToken(): string {
    return this.tokens?.reader ?? ''
  }

  async observer(): Promise<ReplayClient> {
    return connect(this.url(), this.tokens?.reader ?? '')
  }

  private url(): string {
    if (!this.server) throw new Error('start the target first')
    return this.server.url
  }

  async verifyReload(text: string): Promise<boolean> {
    await this.stopServer()
    const again = await spawnServer(this.dataDir, PASSWORD, this.env)
    try {
      const reader = connect(again.url, await login(again.url, 'labor.member@demo.test'))
      await reader.synced()
      const same = reader.doc.getText(TRACE_TEXT).toString() === text
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
    fs.rmSync(this.dataDir, { recursive: true, force: true })
  }
}

/**
 * The y-websocket reference server (`@y/websocket-server` 0.1.1, the last release on Yjs 13) as a
 * replay target, started as its own process; clients are stock y-websocket providers. It keeps
 * documents in memory only, so nothing is acknowledged as stored and no reload is checked.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { ReplayClient } from '../replayEngine'
import { freePort, startChildServer } from './childServer'
import type { ClientSpec } from './clientSpec'
import { CorkedWebSocket as WebSocket } from './corkedWebSocket'
import { InMemoryTarget } from './InMemoryTarget'
import { providerSynced } from './providerSynced'

const require = createRequire(import.meta.url)

export class YWebsocketServerTarget extends InMemoryTarget {
  override readonly name = 'y-websocket-server'
  override async start(): Promise<void> {
    const port = await freePort()
    const script = path.join(
      path.dirname(require.resolve('@y/websocket-server/package.json')),
      'src/server.js',
    )
    this.server = await startChildServer(
      process.execPath,
      [script],
      { HOST: '127.0.0.1', PORT: String(port) },
      (output) => (/running at/.test(output) ? port : null),
    )
  }

  protected client(): ReplayClient {
    return yWebsocketClient(this.server?.port ?? 0)
  }

  clientSpec(): ClientSpec {
    return { kind: 'y-websocket-server', port: this.server?.port ?? 0 }
  }
}

/** A stock y-websocket provider on the reference server's benchmark document. */
export function yWebsocketClient(port: number): ReplayClient {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}`, 'bench', doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  return {
    doc,
    synced: () => providerSynced(provider),
    saved: async () => {},
    destroy: () => provider.destroy(),
  }
}

/**
 * Hocuspocus 3 (`@hocuspocus/server`) as a replay target, in its own process, with its own
 * provider (`@hocuspocus/provider`). In-memory: nothing is acknowledged as stored, no reload check.
 */
import path from 'node:path'
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as Y from 'yjs'
import type { ReplayClient } from '../replayEngine'
import { startChildServer } from './childServer'
import type { ClientSpec } from './clientSpec'
import { CorkedWebSocket as WebSocket } from './corkedWebSocket'
import { InMemoryTarget } from './InMemoryTarget'

export class HocuspocusTarget extends InMemoryTarget {
  override readonly name = 'hocuspocus'
  override async start(): Promise<void> {
    const entry = path.join(import.meta.dirname, 'hocuspocusServer.ts')
    this.server = await startChildServer(
      process.execPath,
      ['--import', 'tsx', entry],
      {},
      (output) => {
        const match = /hocuspocus listening on (\d+)/.exec(output)
        return match?.[1] ? Number(match[1]) : null
      },
    )
  }

  protected client(): ReplayClient {
    return hocuspocusClient(this.server?.port ?? 0)
  }

  clientSpec(): ClientSpec {
    return { kind: 'hocuspocus', port: this.server?.port ?? 0 }
  }
}

/** A Hocuspocus provider (its own socket, as a browser tab has) on the benchmark document. */
export function hocuspocusClient(port: number): ReplayClient {
  const doc = new Y.Doc()
  let resolveSynced: () => void = () => {}
  const syncedPromise = new Promise<void>((resolve) => {
    resolveSynced = resolve
  })
  // One socket per client, as a browser tab would have.
  const socket = new HocuspocusProviderWebsocket({
    url: `ws://127.0.0.1:${port}`,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  })
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: 'bench',
    document: doc,
    onSynced: () => resolveSynced(),
  })
  provider.attach()
  return {
    doc,
    synced: () => syncedPromise,
    saved: async () => {},
    destroy: () => {
      provider.destroy()
      socket.destroy()
    },
  }
}

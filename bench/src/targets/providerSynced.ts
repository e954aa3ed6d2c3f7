/**
 * Resolves once a y-websocket provider has had its first sync with the server (at once if it has).
 */
import type { WebsocketProvider } from 'y-websocket'

export function providerSynced(provider: WebsocketProvider): Promise<void> {
  return new Promise((resolve) => {
    if (provider.synced) resolve()
    else provider.once('sync', () => resolve())
  })
}

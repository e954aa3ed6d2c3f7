/**
 * Operations: `GET /healthz` and `GET /metrics` (counts only, nothing about content).
 */
import type { FastifyInstance } from 'fastify'
import type { DocumentStore } from '../storage/DocumentStore'
import { storageMetrics } from '../storage/storageMetrics'
import type { ConnectionIndex } from '../sync/ConnectionIndex'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import { addRoute } from './addRoute'

/** Adds the operations routes. */
export function addSystemRoutes(
  server: FastifyInstance,
  registry: DocumentRegistry,
  connections: ConnectionIndex,
  store: DocumentStore,
): void {
  addRoute(server, 'GET /healthz', async () => ({ ok: true as const }))
  addRoute(server, 'GET /metrics', async ({ query }) => {
    const gc = (globalThis as { gc?: () => void }).gc
    if (query.gc === '1' && gc) gc()
    const memory = process.memoryUsage()
    return {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      documents: registry.size,
      connections: connections.size,
      ...(await storageMetrics(store, registry.persistence)),
    }
  })
}

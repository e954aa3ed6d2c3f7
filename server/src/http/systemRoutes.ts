/**
 * Operations: `GET /healthz` and `GET /metrics` (counts only, nothing about content).
 */
import type { FastifyInstance } from 'fastify'
import type { DocumentStore } from '../storage/DocumentStore'
import type { NegotiationLeases } from '../storage/postgres/NegotiationLeases'
import { storageMetrics } from '../storage/storageMetrics'
import type { ConnectionIndex } from '../sync/ConnectionIndex'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import { addRoute } from './addRoute'

/**
 * Adds the operations routes. With `leases` (PostgreSQL; default none), `/healthz` also lists the
 * negotiations this process owns (`owned`, sorted) and `/metrics` counts them
 * (`ownedNegotiations`).
 */
export function addSystemRoutes(
  server: FastifyInstance,
  registry: DocumentRegistry,
  connections: ConnectionIndex,
  store: DocumentStore,
  leases: Pick<NegotiationLeases, 'owned'> | null = null,
): void {
  addRoute(server, 'GET /healthz', async () =>
    leases ? { ok: true as const, owned: leases.owned() } : { ok: true as const },
  )
  addRoute(server, 'GET /metrics', async ({ query }) => {
    const gc = (globalThis as { gc?: () => void }).gc
    if (query.gc === '1' && gc) gc()
    const memory = process.memoryUsage()
    return {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      documents: registry.size,
      connections: connections.size,
      ...(leases ? { ownedNegotiations: leases.owned().length } : {}),
      ...(await storageMetrics(store, registry.persistence)),
    }
  })
}

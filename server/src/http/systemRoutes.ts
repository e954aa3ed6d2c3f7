/**
 * Operations: `GET /healthz` and `GET /metrics` (counts only, nothing about content).
 */
import type { FastifyInstance } from 'fastify'
import type { ClusterBus } from '../cluster/ClusterBus'
import type { Forwarding } from '../cluster/Forwarding'
import type { DocumentStore } from '../storage/DocumentStore'
import type { NegotiationLeases } from '../storage/postgres/NegotiationLeases'
import { storageMetrics } from '../storage/storageMetrics'
import type { ConnectionIndex } from '../sync/ConnectionIndex'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import { addRoute } from './addRoute'

/**
 * Adds the operations routes. With `leases` (PostgreSQL; default none), `/healthz` also lists the
 * negotiations this process owns (`owned`, sorted) and `/metrics` counts them
 * (`ownedNegotiations`). With `bus` (REDIS_URL; default none), `/healthz` says whether this
 * process hears the others now (`redis`); it stays `ok` either way (the process carries on alone).
 * With `forwarding` (PostgreSQL; default none), `/metrics` counts the connections and requests
 * forwarded to other processes and received from them (Forwarding.metrics).
 */
export function addSystemRoutes(
  server: FastifyInstance,
  registry: DocumentRegistry,
  connections: ConnectionIndex,
  store: DocumentStore,
  leases: Pick<NegotiationLeases, 'owned'> | null = null,
  bus: Pick<ClusterBus, 'subscribed'> | null = null,
  forwarding: Pick<Forwarding, 'metrics'> | null = null,
): void {
  addRoute(server, 'GET /healthz', async () => ({
    ok: true as const,
    ...(leases ? { owned: leases.owned() } : {}),
    ...(bus ? { redis: bus.subscribed } : {}),
  }))
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
      ...(forwarding ? forwarding.metrics() : {}),
      ...(await storageMetrics(store, registry.persistence)),
    }
  })
}

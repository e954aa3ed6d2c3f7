/**
 * Moving a negotiation to the process its clients come through, without waiting for its lease to
 * expire. A process that relays websockets of a negotiation to its owner (Forwarding.ts) asks the
 * owner, through Redis, to hand it over (a `handover` event, at most once per negotiation every
 * HANDOVER_ASK_INTERVAL_MS). The owner gives the negotiation up only when every connection it
 * serves for it came through the asking process (so clients spread across processes never make a
 * negotiation bounce between them): it closes those connections with the reconnect code
 * (`OwnedElsewhere`), writes everything pending, drops the negotiation's documents and releases
 * the lease. The clients reconnect to the asking process, which finds the lease free and takes it.
 *
 * The messages are hints: a lost one leaves the negotiation where it is (still served, through
 * the forwarding process), and whoever takes the lease next is decided by PostgreSQL, as always.
 */
import { OwnedElsewhere } from '@onetext/shared/closeCodes'
import type { Logger } from '../logger'
import type { NegotiationLeases } from '../storage/postgres/NegotiationLeases'
import type { ConnectionIndex, IndexedConnection } from '../sync/ConnectionIndex'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import type { ClusterBus } from './ClusterBus'
import type { HandOverEvent } from './clusterEvents'

/** Shortest time between two hand-over requests of one process for one negotiation (ms). */
export const HANDOVER_ASK_INTERVAL_MS = 5_000

/** What the hand-over needs. */
export interface HandOverOptions {
  bus: ClusterBus
  leases: NegotiationLeases
  connections: ConnectionIndex
  registry: DocumentRegistry
  logger: Logger
  /** The process a connection came through (its owner id), or null for a direct one. */
  via: (connection: IndexedConnection) => string | null
}

/** The hand-over requests of one process, asked and answered. */
export class HandOver {
  private readonly asked = new Map<string, number>()
  private readonly giving = new Set<string>()
  private readonly running = new Set<Promise<void>>()
  private handedOver = 0

  constructor(private readonly options: HandOverOptions) {
    options.bus.onEvent((event) => {
      if (event.kind === 'handover') this.hear(event)
    })
  }

  /** Negotiations this process has handed over since start. */
  get handedOverTotal(): number {
    return this.handedOver
  }

  /**
   * Asks `owner` (an owner id) to hand `negotiationId` over to this process, unless this process
   * asked within HANDOVER_ASK_INTERVAL_MS.
   */
  ask(negotiationId: string, owner: string): void {
    const now = Date.now()
    if (now - (this.asked.get(negotiationId) ?? -Infinity) < HANDOVER_ASK_INTERVAL_MS) return
    this.asked.set(negotiationId, now)
    for (const [id, at] of this.asked)
      if (now - at >= HANDOVER_ASK_INTERVAL_MS) this.asked.delete(id)
    void this.options.bus.publish({
      kind: 'handover',
      negotiationId,
      owner,
      to: this.options.leases.owner,
    })
  }

  /** Resolves once every hand-over started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled(Array.from(this.running))
  }

  private hear(event: HandOverEvent): void {
    const { leases, connections } = this.options
    const id = event.negotiationId
    if (event.owner !== leases.owner || event.to === leases.owner) return
    if (leases.tokenOf(id) === null || this.giving.has(id)) return
    const served = connections.select((connection) => connection.negotiationId === id)
    if (
      served.length === 0 ||
      !served.every((connection) => this.options.via(connection) === event.to)
    )
      return
    const run = this.giveUp(id).catch((error: unknown) =>
      this.options.logger.error({ err: error }, `handing negotiation ${id} over failed`),
    )
    this.running.add(run)
    void run.finally(() => this.running.delete(run))
  }

  /** Closes `negotiationId`'s connections, writes what is pending, drops it and releases its lease. */
  private async giveUp(negotiationId: string): Promise<void> {
    const { connections, registry, leases, logger } = this.options
    this.giving.add(negotiationId)
    try {
      connections.closeNegotiation(negotiationId, OwnedElsewhere)
      await registry.persistence.drain()
      // Connections opened meanwhile; what they sent and is not on disk was not acknowledged.
      connections.closeNegotiation(negotiationId, OwnedElsewhere)
      registry.dropNegotiation(negotiationId)
      await leases.release(negotiationId)
      this.handedOver += 1
      logger.info(`handed negotiation ${negotiationId} over on request`)
    } finally {
      this.giving.delete(negotiationId)
    }
  }
}

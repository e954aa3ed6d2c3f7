/**
 * Every store the server keeps its state in, opened together on one backend (SQLite or
 * PostgreSQL, see `openStores`) and closed together.
 */
import type { ActivityReaderStore } from './ActivityReaderStore'
import type { AuditLog } from './AuditLog'
import type { Directory } from './Directory'
import type { DocumentStore } from './DocumentStore'
import type { IterationStore } from './IterationStore'
import type { NegotiationLeases } from './postgres/NegotiationLeases'
import type { SupplementStore } from './SupplementStore'

/** The stores of one backend, sharing its connection(s). */
export interface StoreSet {
  /** Which backend holds them. */
  readonly kind: 'sqlite' | 'postgres'
  readonly directory: Directory
  readonly documents: DocumentStore
  readonly audit: AuditLog
  readonly iterations: IterationStore
  readonly supplements: SupplementStore
  readonly readers: ActivityReaderStore
  /**
   * Who owns which negotiation among the processes sharing the backend, fencing the writes of
   * `documents` and `iterations`: PostgreSQL's {@link NegotiationLeases}; null on SQLite (one
   * process owns the file).
   */
  readonly leases: NegotiationLeases | null
  /**
   * The secret the processes sharing the backend sign forwarded requests with unless
   * CLUSTER_SECRET sets one (PostgreSQL: made once and kept in the database); null on SQLite.
   */
  readonly clusterSecret: string | null
  /**
   * Waits for the audit entries recorded so far, releases the negotiation leases held, then
   * closes the backend's connections; every
   * other write must have finished (a later call rejects or fails). Calling it again resolves.
   */
  close(): Promise<void>
}

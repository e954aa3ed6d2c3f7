/**
 * Every store the server keeps its state in, opened together on one backend (SQLite or
 * PostgreSQL, see `openStores`) and closed together.
 */
import type { ActivityReaderStore } from './ActivityReaderStore'
import type { AuditLog } from './AuditLog'
import type { Directory } from './Directory'
import type { DocumentStore } from './DocumentStore'
import type { IterationStore } from './IterationStore'
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
   * Waits for the audit entries recorded so far, then closes the backend's connections; every
   * other write must have finished (a later call rejects or fails). Calling it again resolves.
   */
  close(): Promise<void>
}

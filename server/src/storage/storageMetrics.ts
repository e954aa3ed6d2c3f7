/**
 * Storage's figures for the `/metrics` answer: what has been set aside, and whether durable writes
 * are failing. Counts only, nothing about content.
 */
import type { DocumentStore } from './DocumentStore'

/** How the durable writes of documents are going (the persistence queue implements it). */
export interface WriteHealth {
  /** Writes that have failed since start (each retried until it succeeds). */
  readonly failedWrites: number
  /** True while the last write failed and is being retried. */
  readonly failing: boolean
  /** Updates held in memory that are not on disk yet. */
  readonly pendingUpdates: number
}

/** The storage part of `/metrics`. */
export interface StorageMetrics {
  /** Stored entries (log entries, snapshots) set aside because they could not be read, ever. */
  storageSetAside: number
  /** Durable writes of documents that have failed since start. */
  storageFailedWrites: number
  /** True while durable writes are failing: edits are held in memory and retried. */
  storageRetrying: boolean
  /** Document updates held in memory, not yet on disk. */
  storagePendingUpdates: number
}

/** Reads the storage figures; spread the answer into the `/metrics` object. */
export async function storageMetrics(
  store: DocumentStore,
  writes: WriteHealth,
): Promise<StorageMetrics> {
  return {
    storageSetAside: await store.countSetAside(),
    storageFailedWrites: writes.failedWrites,
    storageRetrying: writes.failing,
    storagePendingUpdates: writes.pendingUpdates,
  }
}

/**
 * The storage interface for live documents: an append-only update log per document, compacted into
 * snapshots. SQLite implements it today (SqliteDocumentStore); a PostgreSQL implementation plugs in
 * behind the same interface.
 */

/** One update to append to a document's log. */
export interface PendingUpdate {
  docName: string
  update: Uint8Array
}

/** What a document's storage holds: the latest snapshot (if any) and the log entries after it. */
export interface StoredDocument {
  snapshot: Uint8Array | null
  updates: Uint8Array[]
  /** Id of the last log entry returned (0 if none); pass it to {@link DocumentStore.compact}. */
  lastSeq: number
}

/** Storage for documents' update logs and snapshots. */
export interface DocumentStore {
  /** Loads a document. A document never written loads as `{snapshot: null, updates: [], lastSeq: 0}`. */
  load(docName: string): Promise<StoredDocument>
  /**
   * Appends a batch of updates (possibly for several documents) atomically and durably: when the
   * promise resolves the batch is on disk; when it rejects nothing of it is.
   * Resolves with the highest log sequence number per document written.
   */
  append(batch: readonly PendingUpdate[]): Promise<Map<string, number>>
  /**
   * Replaces the log entries up to and including `uptoSeq` with `snapshot`, a full encoding of a
   * state that contains them. Atomic.
   */
  compact(docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>
  /** Number of log entries after the snapshot. */
  tailLength(docName: string): Promise<number>
  /** True when a document has ever been written. */
  exists(docName: string): Promise<boolean>
}

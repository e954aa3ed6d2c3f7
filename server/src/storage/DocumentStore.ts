/**
 * The storage interface for live documents: an append-only update log per document, compacted into
 * snapshots. SQLite implements it today (SqliteDocumentStore); a PostgreSQL implementation plugs in
 * behind the same interface. Stored entries that cannot be read are set aside (kept, with the
 * reason) rather than deleted: see `buildStoredDocument`.
 */

/** One update to append to a document's log. */
export interface PendingUpdate {
  docName: string
  update: Uint8Array
}

/** What a document's storage holds: the latest snapshot (if any) and the log entries after it. */
export interface StoredDocument {
  snapshot: Uint8Array | null
  /** The last log sequence number the snapshot covers (0 without a snapshot). */
  snapshotSeq: number
  /**
   * True when the snapshot's bytes match the checksum written with it; false when they do not (they
   * were changed or cut after it was written); null without a snapshot or a checksum.
   */
  snapshotIntact: boolean | null
  updates: Uint8Array[]
  /** The sequence number of each entry of `updates`, ascending. */
  seqs: number[]
  /** Id of the last log entry returned (0 if none); pass it to {@link DocumentStore.compact}. */
  lastSeq: number
}

/** A stored entry of a document to set aside. */
export interface SetAsideEntry {
  /** A log entry or the snapshot. */
  kind: 'update' | 'snapshot'
  /** The log entry's sequence number, or the snapshot's {@link StoredDocument.snapshotSeq}. */
  seq: number
  /** Why, for the operator: what failed, with the error's message. */
  reason: string
  /**
   * True when the entry could not be read at all: it is moved out of the document's storage. False
   * when it was read in part (what it builds on was set aside): a copy is kept and the entry stays
   * until a compaction replaces it.
   */
  remove: boolean
  /** For a snapshot: its bytes as read, so that only that snapshot is set aside, never a newer one. */
  data?: Uint8Array
}

/** An entry kept aside, as listed for operators and tests. */
export interface SetAsideRecord {
  docName: string
  kind: 'update' | 'snapshot'
  seq: number
  data: Uint8Array
  reason: string
  /** Milliseconds since the epoch. */
  setAsideAt: number
}

/** Storage for documents' update logs and snapshots. */
export interface DocumentStore {
  /**
   * Loads a document. A document never written loads as
   * `{snapshot: null, snapshotSeq: 0, snapshotIntact: null, updates: [], seqs: [], lastSeq: 0}`.
   */
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
  /**
   * Sets entries of `docName` (as {@link load} returned them) aside, atomically and durably: each
   * is kept with its reason in the store's quarantine, and those marked `remove` leave the
   * document's storage. A snapshot is only set aside while it is still the one read (`data`).
   */
  setAside(docName: string, entries: readonly SetAsideEntry[]): Promise<void>
  /** The entries set aside for `docName`, oldest first. */
  listSetAside(docName: string): Promise<SetAsideRecord[]>
  /** How many entries of all documents are set aside. */
  countSetAside(): Promise<number>
  /** Number of log entries after the snapshot. */
  tailLength(docName: string): Promise<number>
  /** True when a document has ever been written. */
  exists(docName: string): Promise<boolean>
  /** The names of every document ever written, in no particular order. */
  documentNames(): Promise<string[]>
  /**
   * The format the stored documents have all been brought to ({@link DOCUMENT_FORMAT}'s history):
   * 0 when no migration of the documents' content has been recorded.
   */
  documentFormat(): Promise<number>
  /** Records that every stored document is now in `format`. */
  setDocumentFormat(format: number): Promise<void>
}

/**
 * The format of documents' content this version writes: 1 the flat headings and segments of release
 * 0.1.0, 2 the clause tree (server/src/negotiation/clauseTreeMigration.ts), 3 suggestions in the
 * parties' copies where whole-clause proposals were (server/src/negotiation/suggestionMigration.ts).
 */
export const DOCUMENT_FORMAT = 3

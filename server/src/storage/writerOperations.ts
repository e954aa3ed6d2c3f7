/**
 * The operations of the SQLite writer thread (`sqliteWriterWorker.mjs`), each one transaction: what
 * a request carries and what it resolves with. {@link SqliteWriter.run} is typed by this table; the
 * worker implements the same table in plain JavaScript.
 */
import type { RecordChange, SignoffRecord } from './IterationStore'

/** One audit_log row: at, negotiation id, user id, email, action, detail (JSON), address. */
export type AuditInsert = [
  number,
  string | null,
  string | null,
  string | null,
  string,
  string,
  string | null,
]

/** One stored entry of a document to move (or copy) into `doc_quarantine`. */
export interface QuarantineInsert {
  /** A log entry (`doc_updates`) or the snapshot (`doc_snapshots`). */
  kind: 'update' | 'snapshot'
  /** The log entry's sequence number, or the snapshot's `upto_seq`. */
  seq: number
  reason: string
  /**
   * True to remove it from the log or snapshot table (it cannot be read); false to keep it there
   * and store a copy (it was read in part).
   */
  remove: boolean
  /** For a snapshot, its bytes as read: only that snapshot is set aside, never a newer one. */
  data?: Uint8Array
}

/**
 * An iteration row as the writer inserts it. Its four large texts (the document's JSON, the
 * clauses' JSON, HTML, Markdown: megabytes for a long text) travel as UTF-8 in one buffer that is
 * moved to the thread, not cloned: cloning strings that large costs the event loop about as much
 * as writing them did.
 */
export interface IterationInsert {
  negotiationId: string
  number: number
  createdAt: number
  createdBy: string
  note: string
  publishedNote: string
  published: boolean
  snapshot: Uint8Array
  /** UTF-8 of doc_json, clauses, html and markdown, one after the other. */
  texts: Uint8Array
  /** The byte length of each of the four texts in `texts`. */
  textLengths: [number, number, number, number]
}

/**
 * One record change of a commit as the writer runs it: a {@link RecordChange}, with an iteration in
 * its writer form.
 */
export type RecordChangeRow =
  | Exclude<RecordChange, { kind: 'iteration-insert' }>
  | { kind: 'iteration-insert'; record: IterationInsert }

/** Every operation: its request fields and its result. */
export interface WriterOperations {
  /** Log appends of a batch: update i is the next lengths[i] bytes of data, for docNames[i]. */
  append: {
    request: { docNames: string[]; lengths: number[]; data: Uint8Array }
    /** The last sequence number written per document. */
    result: Array<[string, number]>
  }
  /** Replaces log entries up to `uptoSeq` with `snapshot` (never moving a snapshot backwards). */
  compact: { request: { docName: string; snapshot: Uint8Array; uptoSeq: number }; result: null }
  /** Sets stored entries of a document aside into `doc_quarantine`. */
  quarantine: { request: { docName: string; entries: QuarantineInsert[] }; result: null }
  audit: { request: { rows: AuditInsert[] }; result: null }
  'session-create': {
    request: { tokenHash: string; userId: string; createdAt: number; expiresAt: number }
    result: null
  }
  'session-delete': { request: { tokenHash: string }; result: null }
  'user-create': {
    request: { id: string; email: string; name: string; passwordHash: string; createdAt: number }
    result: null
  }
  /** A negotiation and its parties, in seating order. */
  'negotiation-create': {
    request: {
      id: string
      title: string
      createdAt: number
      parties: Array<{ id: string; name: string; color: string }>
    }
    result: null
  }
  /** Turns a negotiation's "open drafting" on or off. */
  'negotiation-open-drafting': {
    request: { negotiationId: string; openDrafting: boolean }
    result: null
  }
  /** Adds or replaces a membership. */
  'member-put': {
    request: { negotiationId: string; userId: string; role: string; partyId: string | null }
    result: null
  }
  /** True when there was a membership to remove. */
  'member-remove': { request: { negotiationId: string; userId: string }; result: boolean }
  'invite-create': {
    request: {
      tokenHash: string
      negotiationId: string
      email: string
      role: string
      partyId: string | null
      createdBy: string
      createdAt: number
      expiresAt: number
      usedAt: number | null
    }
    result: null
  }
  /** True when the invite was unused (it is now used). */
  'invite-use': { request: { tokenHash: string; at: number }; result: boolean }
  /**
   * The cycle's record changes and the status document's update that projects them, in one
   * transaction (see IterationStore.commit). Fails with RangeError, writing nothing, when an
   * iteration does not follow the last or a published one does not exist. Resolves with the
   * update's log sequence number.
   */
  commit: {
    request: { changes: RecordChangeRow[]; docName: string; update: Uint8Array }
    result: number
  }
  /** Sign-offs kept by an earlier version only in the status document, copied once. */
  'signoffs-import': {
    request: { negotiationId: string; rows: SignoffRecord[] }
    result: null
  }
  /**
   * Changes a member's reading of the activity feed: `seenAt` only ever moves forward; `mailKinds`
   * (a JSON array) replaces the choice; null leaves either as it is.
   */
  'activity-reader-put': {
    request: {
      negotiationId: string
      userId: string
      seenAt: number | null
      mailKinds: string | null
    }
    result: null
  }
  'supplement-create': {
    request: {
      negotiationId: string
      id: string
      ownerUserId: string
      title: string
      baseIteration: number
      createdAt: number
    }
    result: null
  }
}

/** The name of a writer operation. */
export type WriterOperation = keyof WriterOperations

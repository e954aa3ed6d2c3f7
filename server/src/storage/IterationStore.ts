/**
 * The cycle's records: iterations (immutable full snapshots of the working draft as circulated,
 * with their rendered clauses, HTML and Markdown; only `published` ever changes) and the sign-offs
 * given on them. They are the one source of truth for iteration numbers, publication and
 * sign-offs; the status document shows a projection of them, and every change to them is written
 * in one transaction with the status document's update that projects it ({@link IterationStore.commit}).
 */
import type { Clause } from '@onetext/shared/clauses'
import type { Signoff } from '@onetext/shared/statusDoc'
import type { JSONContent } from '@tiptap/core'
import type { PendingUpdate } from './DocumentStore'

/** A stored iteration. */
export interface IterationRecord {
  negotiationId: string
  number: number
  createdAt: number
  createdBy: string
  /** The mediator's note to the table (members only). */
  note: string
  /** The note for the published record: all that local tables (observers) read of the mediator's. */
  publishedNote: string
  published: boolean
  /** Full Yjs state of the working draft at circulation. */
  snapshot: Uint8Array
  /** The draft as ProseMirror JSON. */
  doc: JSONContent
  clauses: Clause[]
  html: string
  markdown: string
}

/** A stored sign-off: a party's initials on one clause. */
export interface SignoffRecord extends Signoff {
  negotiationId: string
  clauseId: string
}

/** One change to the records, as {@link IterationStore.commit} writes it. */
export type RecordChange =
  /** The next iteration; the commit fails with RangeError unless its number follows the last. */
  | { kind: 'iteration-insert'; record: IterationRecord }
  /** Publishes or withdraws an iteration; the commit fails with RangeError if there is none. */
  | { kind: 'iteration-publish'; negotiationId: string; number: number; published: boolean }
  /** Adds or replaces a party's sign-off on a clause. */
  | { kind: 'signoff-put'; signoff: SignoffRecord }
  /** Removes every sign-off on these clauses. */
  | { kind: 'signoffs-clear'; negotiationId: string; clauseIds: string[] }

/** An iteration without its snapshot, document and renderings. */
export type IterationSummary = Pick<
  IterationRecord,
  'number' | 'createdAt' | 'note' | 'publishedNote' | 'published' | 'createdBy'
>

/** Storage of the cycle's records. */
export interface IterationStore {
  /**
   * Writes `changes` and appends `projection` (the status document's update that shows them) to its
   * document's log, in one transaction: when the promise resolves all of it is on disk, when it
   * rejects none of it is. Resolves with the log sequence number of the appended update.
   */
  commit(changes: readonly RecordChange[], projection: PendingUpdate): Promise<number>
  /** The highest iteration number, or 0. */
  lastNumber(negotiationId: string): Promise<number>
  get(negotiationId: string, number: number): Promise<IterationRecord | null>
  /** Iterations without snapshot, doc and renderings, oldest first. */
  list(negotiationId: string): Promise<IterationSummary[]>
  /** Every sign-off in the negotiation. */
  signoffs(negotiationId: string): Promise<SignoffRecord[]>
  /** True once the negotiation's sign-offs are kept here (see {@link importSignoffs}). */
  signoffsImported(negotiationId: string): Promise<boolean>
  /**
   * Copies sign-offs kept only in the status document (by an earlier version) here, once: does
   * nothing when the negotiation's sign-offs were imported already.
   */
  importSignoffs(negotiationId: string, signoffs: readonly SignoffRecord[]): Promise<void>
}

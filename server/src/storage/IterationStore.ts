/**
 * Storage of iterations: immutable full snapshots of the working draft as circulated, with their
 * rendered clauses, HTML and Markdown. Only the `published` flag ever changes.
 */
import type { Clause } from '@onetext/shared/clauses'
import type { JSONContent } from '@tiptap/core'

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

/** Iteration storage. */
export interface IterationStore {
  /** Inserts the next iteration; throws RangeError if `number` is not one more than the last. */
  insert(record: IterationRecord): Promise<void>
  /** The highest iteration number, or 0. */
  lastNumber(negotiationId: string): Promise<number>
  get(negotiationId: string, number: number): Promise<IterationRecord | null>
  /** Iterations without snapshot, doc and renderings, oldest first. */
  list(
    negotiationId: string,
  ): Promise<
    Array<
      Pick<
        IterationRecord,
        'number' | 'createdAt' | 'note' | 'publishedNote' | 'published' | 'createdBy'
      >
    >
  >
  setPublished(negotiationId: string, number: number, published: boolean): Promise<boolean>
}

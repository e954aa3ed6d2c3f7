/**
 * A `doc_quarantine` row as both stores read it (SQLite and PostgreSQL hold the same columns), and
 * the record the document store interface returns for it.
 */
import type { SetAsideRecord } from './DocumentStore'

/** One row of `doc_quarantine`. */
export interface QuarantineRow {
  doc: string
  kind: 'update' | 'snapshot'
  seq: number
  data: Buffer
  reason: string
  set_aside_at: number
}

/** The record of an entry set aside, from its row. */
export function toSetAsideRecord(row: QuarantineRow): SetAsideRecord {
  return {
    docName: row.doc,
    kind: row.kind,
    seq: row.seq,
    data: new Uint8Array(row.data),
    reason: row.reason,
    setAsideAt: row.set_aside_at,
  }
}

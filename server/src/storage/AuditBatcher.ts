/**
 * The audit log's write path, the same for every store: entries recorded in one event-loop turn
 * are written together as one batch, batch after batch in the order they were recorded (so their
 * ids follow that order), never blocking the caller; an entry whose batch fails to write goes to
 * the server log instead, never lost silently. Also the audit row as both stores read it.
 */
import type { AuditEntry, AuditEntryInput } from './AuditLog'
import type { AuditInsert } from './writerOperations'

/** An `audit_log` row. */
export interface AuditRow {
  id: number
  at: number
  negotiation_id: string | null
  user_id: string | null
  email: string | null
  action: string
  detail: string
  address: string | null
}

/** The entry a row holds. */
export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    negotiationId: row.negotiation_id,
    userId: row.user_id,
    email: row.email,
    action: row.action as AuditEntry['action'],
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    address: row.address,
  }
}

/** Batches audit entries for `write` (one store write per batch). */
export class AuditBatcher {
  private queued: AuditInsert[] = []
  private scheduled = false
  /** Settles when every batch handed over so far has been written (or has failed). */
  private written: Promise<void> = Promise.resolve()

  /** `write` stores one batch; `log` receives each entry of a batch that could not be written. */
  constructor(
    private readonly write: (rows: AuditInsert[]) => Promise<unknown>,
    private readonly log: (line: string) => void,
  ) {}

  /** Queues `entry` (stamped now) for the batch of this event-loop turn. */
  record(entry: AuditEntryInput): void {
    this.queued.push([
      Date.now(),
      entry.negotiationId ?? null,
      entry.userId ?? null,
      entry.email ?? null,
      entry.action,
      JSON.stringify(entry.detail ?? {}),
      entry.address ?? null,
    ])
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.writeQueued()
    })
  }

  /** Writes what is queued now; resolves once every batch so far is written (or has failed). */
  flush(): Promise<void> {
    this.writeQueued()
    return this.written
  }

  private writeQueued(): void {
    if (this.queued.length === 0) return
    const rows = this.queued
    this.queued = []
    this.written = this.written
      .then(() => this.write(rows))
      .then(
        () => {},
        (error: unknown) => {
          for (const row of rows)
            this.log(`audit write failed (${String(error)}); entry: ${JSON.stringify(row)}`)
        },
      )
  }
}

/**
 * {@link AuditLog} on the embedded SQLite database. Entries recorded in one event-loop turn are
 * written together by the writer thread (one transaction, one fsync) so that recording never
 * blocks the event loop on the disk (a burst of connections used to stall live editing); reads
 * first wait for what was recorded before them.
 */
import type Database from 'better-sqlite3'
import type { AuditEntry, AuditEntryInput, AuditLog } from './AuditLog'
import type { SqliteWriter } from './SqliteWriter'
import type { AuditInsert } from './writerOperations'

interface AuditRow {
  id: number
  at: number
  negotiation_id: string | null
  user_id: string | null
  email: string | null
  action: string
  detail: string
  address: string | null
}

export class SqliteAuditLog implements AuditLog {
  private queued: AuditInsert[] = []
  private scheduled = false
  /** Settles when every batch handed to the writer so far has been written (or has failed). */
  private written: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Database.Database,
    private readonly writer: SqliteWriter,
    private readonly log: (line: string) => void,
  ) {}

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

  flush(): Promise<void> {
    this.writeQueued()
    return this.written
  }

  private writeQueued(): void {
    if (this.queued.length === 0) return
    const rows = this.queued
    this.queued = []
    const write = this.writer.run('audit', { rows }).catch((error: unknown) => {
      // Never lost silently: the entries go to the server log instead.
      for (const row of rows)
        this.log(`audit write failed (${String(error)}); entry: ${JSON.stringify(row)}`)
    })
    this.written = Promise.all([this.written, write]).then(() => {})
  }

  async listForNegotiation(
    negotiationId: string,
    limit: number,
    before?: number,
  ): Promise<AuditEntry[]> {
    await this.flush()
    const rows = this.db
      .prepare<[string, string, number, number], AuditRow>(
        `SELECT * FROM audit_log
         WHERE (negotiation_id = ?
                OR (negotiation_id IS NULL AND user_id IN (SELECT user_id FROM members WHERE negotiation_id = ?)))
           AND id < ?
         ORDER BY id DESC LIMIT ?`,
      )
      .all(negotiationId, negotiationId, before ?? Number.MAX_SAFE_INTEGER, limit)
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      negotiationId: row.negotiation_id,
      userId: row.user_id,
      email: row.email,
      action: row.action as AuditEntry['action'],
      detail: JSON.parse(row.detail) as Record<string, unknown>,
      address: row.address,
    }))
  }
}

/**
 * {@link AuditLog} on PostgreSQL. Entries recorded in one event-loop turn are written together in
 * one transaction, batch after batch in the order they were recorded (so ids follow that order);
 * reads first wait for what was recorded before them.
 */
import type { AuditEntry, AuditEntryInput, AuditLog } from '../AuditLog'
import type { AuditInsert } from '../writerOperations'
import type { PgDatabase } from './PgDatabase'

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

const INSERT_ROWS = `INSERT INTO audit_log (at, negotiation_id, user_id, email, action, detail, address)
  SELECT at, negotiation_id, user_id, email, action, detail, address
  FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
    WITH ORDINALITY AS rows(at, negotiation_id, user_id, email, action, detail, address, n)
  ORDER BY n`

/** The audit log in PostgreSQL. */
export class PgAuditLog implements AuditLog {
  private queued: AuditInsert[] = []
  private scheduled = false
  /** Settles when every batch handed over so far has been written (or has failed). */
  private written: Promise<void> = Promise.resolve()

  /** Writes on `db`; `log` receives each entry that could not be written, with the error. */
  constructor(
    private readonly db: PgDatabase,
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
    const columns = Array.from({ length: 7 }, (_, index) => rows.map((row) => row[index]))
    this.written = this.written
      .then(() => this.db.transaction('audit', (client) => client.query(INSERT_ROWS, columns)))
      .then(
        () => {},
        (error: unknown) => {
          // Never lost silently: the entries go to the server log instead.
          for (const row of rows)
            this.log(`audit write failed (${String(error)}); entry: ${JSON.stringify(row)}`)
        },
      )
  }

  async listForNegotiation(
    negotiationId: string,
    limit: number,
    before?: number,
  ): Promise<AuditEntry[]> {
    await this.flush()
    const rows = await this.db.rows<AuditRow>(
      `SELECT id, at, negotiation_id, user_id, email, action, detail, address FROM audit_log
       WHERE (negotiation_id = $1
              OR (negotiation_id IS NULL AND user_id IN (SELECT user_id FROM members WHERE negotiation_id = $1)))
         AND id < $2
       ORDER BY id DESC LIMIT $3`,
      [negotiationId, before ?? Number.MAX_SAFE_INTEGER, limit],
    )
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

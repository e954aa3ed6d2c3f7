/**
 * {@link AuditLog} on PostgreSQL. Entries recorded in one event-loop turn are written together in
 * one transaction, batch after batch in the order they were recorded (so ids follow that order);
 * reads first wait for what was recorded before them.
 */
import { AuditBatcher, type AuditRow, toAuditEntry } from '../AuditBatcher'
import type { AuditEntry, AuditEntryInput, AuditLog } from '../AuditLog'
import type { PgDatabase } from './PgDatabase'

const INSERT_ROWS = `INSERT INTO audit_log (at, negotiation_id, user_id, email, action, detail, address)
  SELECT at, negotiation_id, user_id, email, action, detail, address
  FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
    WITH ORDINALITY AS rows(at, negotiation_id, user_id, email, action, detail, address, n)
  ORDER BY n`

/** The audit log in PostgreSQL. */
export class PgAuditLog implements AuditLog {
  private readonly batches: AuditBatcher

  /** Writes on `db`; `log` receives each entry that could not be written, with the error. */
  constructor(
    private readonly db: PgDatabase,
    log: (line: string) => void,
  ) {
    this.batches = new AuditBatcher((rows) => {
      const columns = Array.from({ length: 7 }, (_, index) => rows.map((row) => row[index]))
      return db.transaction('audit', (client) => client.query(INSERT_ROWS, columns))
    }, log)
  }

  record(entry: AuditEntryInput): void {
    this.batches.record(entry)
  }

  flush(): Promise<void> {
    return this.batches.flush()
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
    return rows.map(toAuditEntry)
  }
}

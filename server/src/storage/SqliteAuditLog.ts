/**
 * {@link AuditLog} on the embedded SQLite database. Entries recorded in one event-loop turn are
 * written together by the writer thread (one transaction, one fsync) so that recording never
 * blocks the event loop on the disk (a burst of connections used to stall live editing); reads
 * first wait for what was recorded before them.
 */
import type Database from 'better-sqlite3'
import { AuditBatcher, type AuditRow, toAuditEntry } from './AuditBatcher'
import type { AuditEntry, AuditEntryInput, AuditLog } from './AuditLog'
import type { SqliteWriter } from './SqliteWriter'

export class SqliteAuditLog implements AuditLog {
  private readonly batches: AuditBatcher

  constructor(
    private readonly db: Database.Database,
    writer: SqliteWriter,
    log: (line: string) => void,
  ) {
    this.batches = new AuditBatcher((rows) => writer.run('audit', { rows }), log)
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
    const rows = this.db
      .prepare<[string, string, number, number], AuditRow>(
        `SELECT * FROM audit_log
         WHERE (negotiation_id = ?
                OR (negotiation_id IS NULL AND user_id IN (SELECT user_id FROM members WHERE negotiation_id = ?)))
           AND id < ?
         ORDER BY id DESC LIMIT ?`,
      )
      .all(negotiationId, negotiationId, before ?? Number.MAX_SAFE_INTEGER, limit)
    return rows.map(toAuditEntry)
  }
}

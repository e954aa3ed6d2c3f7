/**
 * {@link AuditLog} on the embedded SQLite database.
 */
import type Database from 'better-sqlite3'
import type { AuditEntry, AuditEntryInput, AuditLog } from './AuditLog'

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
  private readonly insert: Database.Statement<
    [number, string | null, string | null, string | null, string, string, string | null]
  >

  constructor(
    private readonly db: Database.Database,
    private readonly log: (line: string) => void,
  ) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (at, negotiation_id, user_id, email, action, detail, address)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
  }

  record(entry: AuditEntryInput): void {
    try {
      this.insert.run(
        Date.now(),
        entry.negotiationId ?? null,
        entry.userId ?? null,
        entry.email ?? null,
        entry.action,
        JSON.stringify(entry.detail ?? {}),
        entry.address ?? null,
      )
    } catch (error) {
      this.log(`audit write failed (${entry.action}): ${String(error)}`)
    }
  }

  async listForNegotiation(
    negotiationId: string,
    limit: number,
    before?: number,
  ): Promise<AuditEntry[]> {
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

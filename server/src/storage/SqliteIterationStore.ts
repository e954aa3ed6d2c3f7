/**
 * {@link IterationStore} on the embedded SQLite database.
 */
import type Database from 'better-sqlite3'
import type { IterationRecord, IterationStore } from './IterationStore'

interface IterationRow {
  negotiation_id: string
  number: number
  created_at: number
  created_by: string
  note: string
  published: number
  snapshot: Buffer
  doc_json: string
  clauses: string
  html: string
  markdown: string
}

export class SqliteIterationStore implements IterationStore {
  constructor(private readonly db: Database.Database) {}

  async insert(record: IterationRecord): Promise<void> {
    // IMMEDIATE: take the write lock first, waiting for the writer thread's commit if need be;
    // a deferred transaction that read first could fail with SQLITE_BUSY_SNAPSHOT.
    this.db
      .transaction(() => {
        const last = this.lastNumberSync(record.negotiationId)
        if (record.number !== last + 1) {
          throw new RangeError(`iteration ${record.number} does not follow ${last}`)
        }
        this.db
          .prepare(
            `INSERT INTO iterations (negotiation_id, number, created_at, created_by, note, published, snapshot,
             doc_json, clauses, html, markdown) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            record.negotiationId,
            record.number,
            record.createdAt,
            record.createdBy,
            record.note,
            record.published ? 1 : 0,
            record.snapshot,
            JSON.stringify(record.doc),
            JSON.stringify(record.clauses),
            record.html,
            record.markdown,
          )
      })
      .immediate()
  }

  private lastNumberSync(negotiationId: string): number {
    const row = this.db
      .prepare<[string], { last: number | null }>(
        'SELECT MAX(number) AS last FROM iterations WHERE negotiation_id = ?',
      )
      .get(negotiationId)
    return row?.last ?? 0
  }

  async lastNumber(negotiationId: string): Promise<number> {
    return this.lastNumberSync(negotiationId)
  }

  async get(negotiationId: string, number: number): Promise<IterationRecord | null> {
    const row = this.db
      .prepare<[string, number], IterationRow>(
        'SELECT * FROM iterations WHERE negotiation_id = ? AND number = ?',
      )
      .get(negotiationId, number)
    if (!row) return null
    return {
      negotiationId: row.negotiation_id,
      number: row.number,
      createdAt: row.created_at,
      createdBy: row.created_by,
      note: row.note,
      published: row.published === 1,
      snapshot: new Uint8Array(row.snapshot),
      doc: JSON.parse(row.doc_json) as IterationRecord['doc'],
      clauses: JSON.parse(row.clauses) as IterationRecord['clauses'],
      html: row.html,
      markdown: row.markdown,
    }
  }

  async list(negotiationId: string) {
    return this.db
      .prepare<
        [string],
        Pick<IterationRow, 'number' | 'created_at' | 'note' | 'published' | 'created_by'>
      >(
        'SELECT number, created_at, note, published, created_by FROM iterations WHERE negotiation_id = ? ORDER BY number',
      )
      .all(negotiationId)
      .map((row) => ({
        number: row.number,
        createdAt: row.created_at,
        note: row.note,
        published: row.published === 1,
        createdBy: row.created_by,
      }))
  }

  async setPublished(negotiationId: string, number: number, published: boolean): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE iterations SET published = ? WHERE negotiation_id = ? AND number = ?')
      .run(published ? 1 : 0, negotiationId, number)
    return result.changes > 0
  }
}

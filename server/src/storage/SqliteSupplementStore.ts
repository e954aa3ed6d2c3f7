/** {@link SupplementStore} on the embedded SQLite database. */
import type Database from 'better-sqlite3'
import type { SqliteWriter } from './SqliteWriter'
import {
  type SupplementRecord,
  type SupplementRow,
  type SupplementStore,
  toSupplementRecord,
} from './SupplementStore'

/** Local supplements in the embedded SQLite database: read on `db`, written on the writer thread. */
export class SqliteSupplementStore implements SupplementStore {
  constructor(
    private readonly db: Database.Database,
    private readonly writer: SqliteWriter,
  ) {}

  /** Records a supplement; resolves once it is on disk. */
  async create(record: SupplementRecord): Promise<void> {
    await this.writer.run('supplement-create', {
      negotiationId: record.negotiationId,
      id: record.id,
      ownerUserId: record.ownerUserId,
      title: record.title,
      baseIteration: record.baseIteration,
      createdAt: record.createdAt,
    })
  }

  async find(negotiationId: string, id: string): Promise<SupplementRecord | null> {
    const row = this.db
      .prepare<[string, string], SupplementRow>(
        'SELECT * FROM supplements WHERE negotiation_id = ? AND id = ?',
      )
      .get(negotiationId, id)
    return row ? toSupplementRecord(row) : null
  }

  async list(negotiationId: string): Promise<SupplementRecord[]> {
    return this.db
      .prepare<[string], SupplementRow>(
        'SELECT * FROM supplements WHERE negotiation_id = ? ORDER BY created_at',
      )
      .all(negotiationId)
      .map(toSupplementRecord)
  }
}

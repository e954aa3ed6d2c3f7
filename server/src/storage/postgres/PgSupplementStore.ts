/** {@link SupplementStore} on PostgreSQL. */
import {
  type SupplementRecord,
  type SupplementRow,
  type SupplementStore,
  toSupplementRecord,
} from '../SupplementStore'
import type { PgDatabase } from './PgDatabase'

const COLUMNS = 'negotiation_id, id, owner_user_id, title, base_iteration, created_at'

/** Local supplements in PostgreSQL. */
export class PgSupplementStore implements SupplementStore {
  /** Reads and writes on `db`'s pool. */
  constructor(private readonly db: PgDatabase) {}

  async create(record: SupplementRecord): Promise<void> {
    await this.db.transaction('supplement-create', (client) =>
      client.query(`INSERT INTO supplements (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [
        record.negotiationId,
        record.id,
        record.ownerUserId,
        record.title,
        record.baseIteration,
        record.createdAt,
      ]),
    )
  }

  async find(negotiationId: string, id: string): Promise<SupplementRecord | null> {
    const [row] = await this.db.rows<SupplementRow>(
      `SELECT ${COLUMNS} FROM supplements WHERE negotiation_id = $1 AND id = $2`,
      [negotiationId, id],
    )
    return row ? toSupplementRecord(row) : null
  }

  async list(negotiationId: string): Promise<SupplementRecord[]> {
    const rows = await this.db.rows<SupplementRow>(
      `SELECT ${COLUMNS} FROM supplements WHERE negotiation_id = $1 ORDER BY created_at`,
      [negotiationId],
    )
    return rows.map(toSupplementRecord)
  }
}

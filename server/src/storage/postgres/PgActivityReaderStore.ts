/** {@link ActivityReaderStore} on PostgreSQL. */
import type { ActivityKind } from '@onetext/shared/statusDoc'
import {
  type ActivityReaderRecord,
  type ActivityReaderStore,
  NEW_READER,
  readerWrite,
  toReaderRecord,
} from '../ActivityReaderStore'
import type { PgDatabase } from './PgDatabase'

/** Members' readings of the activity feed in PostgreSQL. */
export class PgActivityReaderStore implements ActivityReaderStore {
  /** Reads and writes on `db`'s pool. */
  constructor(private readonly db: PgDatabase) {}

  async get(negotiationId: string, userId: string): Promise<ActivityReaderRecord> {
    const [row] = await this.db.rows<{ seen_at: number; mail_kinds: string }>(
      'SELECT seen_at, mail_kinds FROM activity_readers WHERE negotiation_id = $1 AND user_id = $2',
      [negotiationId, userId],
    )
    return row ? toReaderRecord(row) : { ...NEW_READER, mailKinds: [] }
  }

  async change(
    negotiationId: string,
    userId: string,
    change: Partial<ActivityReaderRecord>,
  ): Promise<ActivityReaderRecord> {
    const stored = await this.get(negotiationId, userId)
    const write = readerWrite(stored, change)
    if (write === null) return stored
    const { seenAt, mailKinds } = write
    // Merged in the row, so that a "mark read" and a mail choice sent together both hold.
    await this.db.transaction('activity-reader-put', (client) =>
      client.query(
        `INSERT INTO activity_readers (negotiation_id, user_id, seen_at, mail_kinds)
         VALUES ($1, $2, COALESCE($3::bigint, 0), COALESCE($4::text, '[]'))
         ON CONFLICT (negotiation_id, user_id) DO UPDATE SET
         seen_at = GREATEST(activity_readers.seen_at, COALESCE($3::bigint, 0)),
         mail_kinds = COALESCE($4::text, activity_readers.mail_kinds)`,
        [negotiationId, userId, seenAt, mailKinds],
      ),
    )
    return this.get(negotiationId, userId)
  }

  async mailedAbout(negotiationId: string, kind: ActivityKind): Promise<string[]> {
    const rows = await this.db.rows<{ user_id: string }>(
      `SELECT user_id FROM activity_readers WHERE negotiation_id = $1
       AND jsonb_exists(mail_kinds::jsonb, $2) ORDER BY user_id COLLATE "C"`,
      [negotiationId, kind],
    )
    return rows.map((row) => row.user_id)
  }
}

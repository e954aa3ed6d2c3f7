/** {@link ActivityReaderStore} on the embedded SQLite database. */
import type { ActivityKind } from '@onetext/shared/statusDoc'
import type Database from 'better-sqlite3'
import {
  type ActivityReaderRecord,
  type ActivityReaderStore,
  NEW_READER,
  readerWrite,
  toReaderRecord,
} from './ActivityReaderStore'
import type { SqliteWriter } from './SqliteWriter'

/** Readers in the embedded SQLite database: read on `db`, written on the writer thread. */
export class SqliteActivityReaderStore implements ActivityReaderStore {
  constructor(
    private readonly db: Database.Database,
    private readonly writer: SqliteWriter,
  ) {}

  /** A member's reading ({@link NEW_READER} until they choose). */
  async get(negotiationId: string, userId: string): Promise<ActivityReaderRecord> {
    const row = this.db
      .prepare<[string, string], { seen_at: number; mail_kinds: string }>(
        'SELECT user_id, seen_at, mail_kinds FROM activity_readers WHERE negotiation_id = ? AND user_id = ?',
      )
      .get(negotiationId, userId)
    return row ? toReaderRecord(row) : { ...NEW_READER, mailKinds: [] }
  }

  /**
   * Changes a member's reading, durably, and resolves with it: `seenAt` moves forward only, and
   * `mailKinds` replaces the choice; what is left out stays. Nothing is written when nothing
   * changes.
   */
  async change(
    negotiationId: string,
    userId: string,
    change: Partial<ActivityReaderRecord>,
  ): Promise<ActivityReaderRecord> {
    const stored = await this.get(negotiationId, userId)
    const write = readerWrite(stored, change)
    if (write === null) return stored
    const { seenAt, mailKinds } = write
    await this.writer.run('activity-reader-put', { negotiationId, userId, seenAt, mailKinds })
    return this.get(negotiationId, userId)
  }

  /** The members of a negotiation that `kind` e-mails, by user id. */
  async mailedAbout(negotiationId: string, kind: ActivityKind): Promise<string[]> {
    return this.db
      .prepare<[string, string], { user_id: string }>(
        `SELECT user_id FROM activity_readers WHERE negotiation_id = ?
         AND EXISTS (SELECT 1 FROM json_each(mail_kinds) WHERE value = ?)`,
      )
      .all(negotiationId, kind)
      .map((row) => row.user_id)
  }
}

/**
 * Each member's reading of a negotiation's activity feed: when they last looked (kept per account,
 * so "since you last looked" holds in every browser) and which kinds of event e-mail them. SQLite
 * (SqliteActivityReaderStore) and PostgreSQL (PgActivityReaderStore) implement it.
 */
import type { ActivityKind } from '@onetext/shared/statusDoc'

/** A member's reading of the feed. */
export interface ActivityReaderRecord {
  /** When they last looked (ms since 1970); 0 before the first time. */
  seenAt: number
  /** The events that e-mail them. */
  mailKinds: ActivityKind[]
}

/** What a member who never chose reads: nothing seen, no mail. */
export const NEW_READER: ActivityReaderRecord = { seenAt: 0, mailKinds: [] }

/** Storage of members' readings of the activity feed. */
export interface ActivityReaderStore {
  /** A member's reading ({@link NEW_READER} until they choose). */
  get(negotiationId: string, userId: string): Promise<ActivityReaderRecord>
  /**
   * Changes a member's reading, durably, and resolves with it: `seenAt` moves forward only, and
   * `mailKinds` replaces the choice; what is left out stays. Nothing is written when nothing
   * changes.
   */
  change(
    negotiationId: string,
    userId: string,
    change: Partial<ActivityReaderRecord>,
  ): Promise<ActivityReaderRecord>
  /** The members of a negotiation that `kind` e-mails, by user id (ascending). */
  mailedAbout(negotiationId: string, kind: ActivityKind): Promise<string[]>
}

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

/** An `activity_readers` row's reading (its `mail_kinds` a JSON array). */
export function toReaderRecord(row: { seen_at: number; mail_kinds: string }): ActivityReaderRecord {
  return { seenAt: row.seen_at, mailKinds: JSON.parse(row.mail_kinds) as ActivityKind[] }
}

/**
 * What {@link ActivityReaderStore.change} writes over `stored`: the new `seenAt` when it moves
 * forward, the new mail choice (JSON) when it differs, each null when it does not change; null
 * when nothing does.
 */
export function readerWrite(
  stored: ActivityReaderRecord,
  change: Partial<ActivityReaderRecord>,
): { seenAt: number | null; mailKinds: string | null } | null {
  const seenAt = change.seenAt !== undefined && change.seenAt > stored.seenAt ? change.seenAt : null
  const mailKinds =
    change.mailKinds !== undefined &&
    JSON.stringify(change.mailKinds) !== JSON.stringify(stored.mailKinds)
      ? JSON.stringify(change.mailKinds)
      : null
  return seenAt === null && mailKinds === null ? null : { seenAt, mailKinds }
}

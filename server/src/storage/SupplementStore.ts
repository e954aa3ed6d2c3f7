/**
 * Local supplements: a local table's own text derived from a published national iteration. The
 * text itself is a live document (`<negotiationId>.supplement.<id>`); this records who owns it and
 * which national iteration it derives from. SQLite (SqliteSupplementStore) and PostgreSQL
 * (PgSupplementStore) implement it.
 */

/** A stored local supplement. */
export interface SupplementRecord {
  negotiationId: string
  id: string
  ownerUserId: string
  title: string
  baseIteration: number
  createdAt: number
}

/** Storage of local supplements. */
export interface SupplementStore {
  /** Records a supplement; resolves once it is on disk. Rejects when its id is taken. */
  create(record: SupplementRecord): Promise<void>
  /** The supplement `id` of a negotiation, or null. */
  find(negotiationId: string, id: string): Promise<SupplementRecord | null>
  /** A negotiation's supplements, oldest first (by `createdAt`). */
  list(negotiationId: string): Promise<SupplementRecord[]>
}

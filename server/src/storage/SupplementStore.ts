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

/** A `supplements` row. */
export interface SupplementRow {
  negotiation_id: string
  id: string
  owner_user_id: string
  title: string
  base_iteration: number
  created_at: number
}

/** The supplement a row holds. */
export function toSupplementRecord(row: SupplementRow): SupplementRecord {
  return {
    negotiationId: row.negotiation_id,
    id: row.id,
    ownerUserId: row.owner_user_id,
    title: row.title,
    baseIteration: row.base_iteration,
    createdAt: row.created_at,
  }
}

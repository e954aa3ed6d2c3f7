/**
 * One owner per negotiation among the processes sharing a PostgreSQL database: a lease row per
 * negotiation in `negotiation_leases` (owner, fencing token, expiry), taken before the process
 * loads any of the negotiation's documents, renewed by a heartbeat and released on close. Expiry
 * is measured on the database's clock, so clock skew between machines does not matter.
 *
 * Each row also says where the other processes reach its owner (`address`, its INTERNAL_URL), so that
 * a process can forward a connection or request for a negotiation it does not own to the owner.
 *
 * Fencing: every write on behalf of a negotiation checks, in its own transaction ({@link fence}),
 * that this process still holds the lease with the token it acquired; a process that stalled and
 * lost its lease has its next write refused with a {@link LeaseLostError}, nothing written.
 */
import { randomUUID } from 'node:crypto'
import { LeaseLostError } from '../LeaseLostError'
import type { PgClient, PgDatabase } from './PgDatabase'

/**
 * How long a lease lasts after it was taken or last renewed (ms, on the database's clock): a dead
 * or stalled process loses its negotiations within this time.
 */
export const LEASE_TTL_MS = 10_000
/** How often the heartbeat renews every lease this process holds (ms); well below the TTL. */
export const LEASE_RENEW_MS = 2_000

/** The database's clock, ms since 1970 (statement time moves on within a transaction). */
const DB_NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint'

/** Options of {@link NegotiationLeases}; every one may be left out. */
export interface NegotiationLeaseOptions {
  /** Lease lifetime in ms; default {@link LEASE_TTL_MS}. */
  ttlMs?: number
  /** Heartbeat interval in ms; default {@link LEASE_RENEW_MS}. Must be below `ttlMs`. */
  renewMs?: number
  /** This process's owner id; default a random UUID. */
  owner?: string
  /** Where a failed heartbeat is reported; default: ignored (the next beat tries again). */
  onError?: (error: Error) => void
  /** Where the other processes reach this one (its INTERNAL_URL); default none, see {@link setAddress}. */
  address?: string
}

/** Who holds a negotiation's lease, when another live process does. */
export interface LeaseHolder {
  /** The holder's owner id. */
  readonly owner: string
  /** Where the other processes reach it (its INTERNAL_URL), or null when it did not say. */
  readonly address: string | null
}

/** Called with a negotiation whose lease this process held and has lost. Must not throw. */
export type LeaseLostListener = (negotiationId: string) => void

interface LeaseRow {
  negotiation_id: string
  owner: string
  token: number
  live: boolean
}

/** The leases one process holds on one database, with their heartbeat. */
export class NegotiationLeases {
  /** This process's owner id, as written in the lease rows. */
  readonly owner: string
  private readonly ttlMs: number
  private readonly renewMs: number
  private readonly held = new Map<string, number>()
  private readonly listeners: LeaseLostListener[] = []
  private readonly onError: (error: Error) => void
  private heartbeat: NodeJS.Timeout | null = null
  private address: string | null
  private paused = false
  /** Lease operations run one after another, so a renewal never revives a released lease. */
  private turn: Promise<unknown> = Promise.resolve()
  private closed = false

  /**
   * Leases on `db` (whose schema has `negotiation_leases`); the heartbeat starts with the first
   * lease held. RangeError for a TTL or interval that is not a positive integer, or an interval
   * not below the TTL.
   */
  constructor(
    private readonly db: PgDatabase,
    options: NegotiationLeaseOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? LEASE_TTL_MS
    const renewMs = options.renewMs ?? LEASE_RENEW_MS
    if (!Number.isSafeInteger(this.ttlMs) || this.ttlMs <= 0)
      throw new RangeError(`lease TTL must be a positive integer of ms, not ${this.ttlMs}`)
    if (!Number.isSafeInteger(renewMs) || renewMs <= 0 || renewMs >= this.ttlMs)
      throw new RangeError(`lease renewal interval must be positive and below the TTL`)
    this.owner = options.owner ?? randomUUID()
    this.onError = options.onError ?? (() => {})
    this.renewMs = renewMs
    this.address = options.address ?? null
  }

  /**
   * Sets where the other processes reach this one (its INTERNAL_URL, known once it listens): it is
   * written into the leases held now and into every lease taken or renewed from now on.
   */
  setAddress(address: string): Promise<void> {
    this.address = address
    return this.serially(async () => {
      const ids = [...this.held.keys()]
      if (ids.length === 0) return
      await this.db.rows(
        `UPDATE negotiation_leases AS lease SET address = $4
         FROM unnest($1::text[], $2::bigint[]) AS mine(id, token)
         WHERE lease.negotiation_id = mine.id AND lease.token = mine.token AND lease.owner = $3`,
        [ids, ids.map((id) => this.held.get(id) ?? 0), this.owner, address],
      )
    })
  }

  /**
   * Who holds `negotiationId`'s lease when another live process does (by the database's clock), or
   * null when none does (free, expired, released, or held by this process).
   */
  async holder(negotiationId: string): Promise<LeaseHolder | null> {
    const [row] = await this.db.rows<{ owner: string; address: string | null }>(
      `SELECT owner, address FROM negotiation_leases
       WHERE negotiation_id = $1 AND expires_at > ${DB_NOW_MS} AND owner <> $2`,
      [negotiationId, this.owner],
    )
    return row ? { owner: row.owner, address: row.address } : null
  }

  /** Calls `listener` with each negotiation whose lease this process loses while holding it. */
  onLost(listener: LeaseLostListener): void {
    this.listeners.push(listener)
  }

  /** The negotiations whose lease this process holds, sorted. */
  owned(): string[] {
    return [...this.held.keys()].sort()
  }

  /** The fencing token this process holds for `negotiationId`, or null. */
  tokenOf(negotiationId: string): number | null {
    return this.held.get(negotiationId) ?? null
  }

  /**
   * Takes `negotiationId`'s lease when nobody holds it or its holder let it expire (with a token
   * above every earlier one), or renews this process's own. Resolves true when this process holds
   * it, false when another live process does (a lease this process held is then lost).
   */
  acquire(negotiationId: string): Promise<boolean> {
    return this.serially(async () => {
      if (this.closed) throw new Error('the leases are closed')
      const [row] = await this.db.rows<{ token: number }>(
        `INSERT INTO negotiation_leases AS lease (negotiation_id, owner, token, expires_at, address)
         VALUES ($1, $2, 1, ${DB_NOW_MS} + $3, $4)
         ON CONFLICT (negotiation_id) DO UPDATE SET owner = excluded.owner,
           token = CASE WHEN lease.owner = excluded.owner THEN lease.token ELSE lease.token + 1 END,
           expires_at = excluded.expires_at, address = excluded.address
         WHERE lease.owner = excluded.owner OR lease.expires_at <= ${DB_NOW_MS}
         RETURNING token`,
        [negotiationId, this.owner, this.ttlMs, this.address],
      )
      const before = this.held.get(negotiationId)
      // A token other than the one held: another process had it meanwhile; what was loaded
      // under the old token is stale.
      if (before !== undefined && before !== row?.token) this.lose(negotiationId)
      if (!row) return false
      this.held.set(negotiationId, row.token)
      this.startHeartbeat()
      return true
    })
  }

  /** Gives `negotiationId`'s lease up (it expires at once); nothing when this process lacks it. */
  release(negotiationId: string): Promise<void> {
    return this.serially(async () => {
      const token = this.held.get(negotiationId)
      if (token === undefined) return
      this.held.delete(negotiationId)
      await this.db.rows(
        `UPDATE negotiation_leases SET expires_at = 0
         WHERE negotiation_id = $1 AND owner = $2 AND token = $3`,
        [negotiationId, this.owner, token],
      )
    })
  }

  /** Gives every lease this process holds up. */
  releaseAll(): Promise<void> {
    return this.serially(async () => {
      const ids = [...this.held.keys()]
      const tokens = ids.map((id) => this.held.get(id) ?? 0)
      this.held.clear()
      if (ids.length === 0) return
      await this.db.rows(
        `UPDATE negotiation_leases AS lease SET expires_at = 0
         FROM unnest($1::text[], $2::bigint[]) AS mine(id, token)
         WHERE lease.negotiation_id = mine.id AND lease.token = mine.token AND lease.owner = $3`,
        [ids, tokens, this.owner],
      )
    })
  }

  /**
   * Renews every lease held (what the heartbeat does every `renewMs`); a lease another process has
   * taken over meanwhile is lost (listeners told). Resolves with the negotiations lost.
   */
  renewAll(): Promise<string[]> {
    return this.serially(async () => {
      const ids = [...this.held.keys()]
      if (ids.length === 0) return []
      const tokens = ids.map((id) => this.held.get(id) ?? 0)
      const rows = await this.db.rows<{ negotiation_id: string }>(
        `UPDATE negotiation_leases AS lease SET expires_at = ${DB_NOW_MS} + $4, address = $5
         FROM unnest($1::text[], $2::bigint[]) AS mine(id, token)
         WHERE lease.negotiation_id = mine.id AND lease.token = mine.token AND lease.owner = $3
         RETURNING lease.negotiation_id`,
        [ids, tokens, this.owner, this.ttlMs, this.address],
      )
      const renewed = new Set(rows.map((row) => row.negotiation_id))
      const lost = ids.filter((id) => !renewed.has(id) && this.held.get(id) !== undefined)
      for (const id of lost) this.lose(id)
      return lost
    })
  }

  /**
   * The fencing check, inside a write's transaction: for each of `negotiationIds` this process
   * holds, the lease row must still name this process and the token it acquired; for one it does
   * not hold, no other live process may hold it. The rows are locked (FOR SHARE) until the
   * transaction ends, so no takeover commits in between. Throws a {@link LeaseLostError} (and
   * tells the listeners of a held lease lost) otherwise.
   */
  async fence(client: PgClient, negotiationIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(negotiationIds)].sort()
    if (ids.length === 0) return
    const rows = (
      await client.query<LeaseRow>(
        `SELECT negotiation_id, owner, token, expires_at > ${DB_NOW_MS} AS live
         FROM negotiation_leases WHERE negotiation_id = ANY($1::text[])
         ORDER BY negotiation_id FOR SHARE`,
        [ids],
      )
    ).rows
    const byId = new Map(rows.map((row) => [row.negotiation_id, row]))
    for (const id of ids) {
      const row = byId.get(id)
      const token = this.held.get(id)
      if (token !== undefined) {
        if (row?.owner === this.owner && row.token === token) continue
        this.lose(id)
        throw new LeaseLostError(id)
      }
      if (row?.live && row.owner !== this.owner) throw new LeaseLostError(id)
    }
  }

  /** Stops the heartbeat for good (tests: a stalled process); {@link renewAll} still works. */
  pauseHeartbeat(): void {
    this.paused = true
    if (this.heartbeat) clearInterval(this.heartbeat)
    this.heartbeat = null
  }

  /** Stops the heartbeat and releases every lease; calling it again resolves. */
  async close(): Promise<void> {
    this.pauseHeartbeat()
    if (this.closed) return
    this.closed = true
    await this.releaseAll()
  }

  private startHeartbeat(): void {
    if (this.heartbeat || this.closed || this.paused) return
    this.heartbeat = setInterval(() => {
      this.renewAll().catch((error: unknown) =>
        this.onError(error instanceof Error ? error : new Error(String(error))),
      )
    }, this.renewMs)
    this.heartbeat.unref()
  }

  private lose(negotiationId: string): void {
    if (!this.held.delete(negotiationId)) return
    for (const listener of this.listeners) {
      try {
        listener(negotiationId)
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)))
      }
    }
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.turn.then(work, work)
    this.turn = next.catch(() => {})
    return next
  }
}

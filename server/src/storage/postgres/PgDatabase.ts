/**
 * The PostgreSQL connection pool the PostgreSQL stores share, its write transactions and its
 * schema migrations. BIGINT values (times, sequence numbers, counts) are read as JavaScript
 * numbers. Every write runs in one transaction that commits before its promise resolves.
 */
import pg from 'pg'
import type { StorageFaults } from '../StorageFaults'
import type { WriterOperation } from '../writerOperations'
import { POSTGRES_MIGRATIONS } from './postgresSchema'

/**
 * The advisory lock key migrations hold (`pg_advisory_xact_lock(bigint)`), so that processes
 * starting at once apply each migration exactly once: 'OneTextM' as bytes.
 */
export const MIGRATION_LOCK_KEY = '5723623589588530253'

/** How long opening a connection may take before it fails (and the write is retried). */
export const PG_CONNECT_TIMEOUT_MS = 10_000
/**
 * How long one statement may run, or a transaction wait for a lock, before PostgreSQL cancels it
 * (and the write is retried): a network that silently drops packets must not hold the writes up.
 */
export const PG_STATEMENT_TIMEOUT_MS = 60_000
/** How long the server waits for any answer before it gives the connection up. */
export const PG_QUERY_TIMEOUT_MS = 90_000
/**
 * A transaction left open this long between statements (its process stalled, or its connection
 * gone quiet) is ended by PostgreSQL, nothing of it written. A write's transaction holds its
 * negotiation's lease row (FOR SHARE, see NegotiationLeases.fence); a process stopped inside one
 * would otherwise keep every other process from taking the negotiation over for as long as the
 * lock wait allows. Well below LEASE_TTL_MS, so that a takeover waits for the lease alone.
 */
export const PG_IDLE_IN_TRANSACTION_MS = 5_000

/**
 * PostgreSQL text cannot hold U+0000, which SQLite stores: a string written with it is stored with
 * U+FFFD in its place rather than failing the write (a hostile name or draft must not block a
 * circulation). Applied to every parameter of every statement, strings in arrays included.
 */
export function storableParameter(value: unknown): unknown {
  if (typeof value === 'string')
    return value.includes('\u0000') ? value.replaceAll('\u0000', '\ufffd') : value
  if (Array.isArray(value)) return value.map(storableParameter)
  return value
}

/**
 * A pooled client checked out with a listener for its 'error' event: a connection that breaks while
 * checked out (PostgreSQL restarting, the backend terminated) would else throw an unhandled 'error'
 * and stop the process. `release` hands it back, destroyed when it broke.
 */
async function checkOut(
  pool: pg.Pool,
): Promise<{ client: PgClient; release: (error?: Error) => void }> {
  const client = await pool.connect()
  let lost: Error | undefined
  const onError = (error: Error) => {
    lost = error
  }
  client.on('error', onError)
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  // Every statement's parameters made storable (see storableParameter).
  client.query = ((text: unknown, params?: unknown, callback?: unknown) =>
    Array.isArray(params)
      ? query(text, params.map(storableParameter), callback)
      : query(text, params, callback)) as PgClient['query']
  return {
    client,
    release: (error) => {
      client.query = query as PgClient['query']
      client.off('error', onError)
      client.release(error ?? lost)
    },
  }
}

/**
 * The first key of the two-key advisory locks (`pg_advisory_xact_lock(int, int)`) that order the
 * writes of one document (or one negotiation's records); the second key is `hashtext(name)`.
 */
const WRITE_LOCK_SPACE = 0x4f6e6554

const INT8_OID = 20

/** BIGINT as a number; a RangeError for a value a number cannot hold exactly. */
function parseBigint(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT ${text} exceeds 2^53`)
  return value
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseBigint
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
}

/** A connection inside a transaction. */
export type PgClient = pg.PoolClient

/** Options of {@link PgDatabase}. */
export interface PgDatabaseOptions {
  /** Simulated failures (tests only): a chosen write runs its statements and then rolls back. */
  faults?: StorageFaults | null
  /** Errors of idle pooled connections (the server goes on; the next query reconnects). */
  onIdleError?: (error: Error) => void
  /** Connections in the pool; default 10. */
  max?: number
  /** Longest pause between a transaction's statements (ms); default {@link PG_IDLE_IN_TRANSACTION_MS}. */
  idleInTransactionMs?: number
}

/** A pool on one PostgreSQL database, with write transactions. */
export class PgDatabase {
  /** The pool; reads may use it directly (each statement sees one consistent state). */
  readonly pool: pg.Pool
  private readonly faults: StorageFaults | null
  private closed: Promise<void> | null = null

  /** Connects lazily to `url` (a `postgres://` connection string). */
  constructor(url: string, options: PgDatabaseOptions = {}) {
    this.pool = new pg.Pool({
      connectionString: url,
      types,
      max: options.max ?? 10,
      keepAlive: true,
      connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
      query_timeout: PG_QUERY_TIMEOUT_MS,
      statement_timeout: PG_STATEMENT_TIMEOUT_MS,
      lock_timeout: PG_STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: options.idleInTransactionMs ?? PG_IDLE_IN_TRANSACTION_MS,
    })
    this.faults = options.faults ?? null
    const onIdleError = options.onIdleError ?? (() => {})
    this.pool.on('error', onIdleError)
  }

  /** Runs one statement on the pool and resolves with its rows. */
  async rows<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query<Row>(sql, params.map(storableParameter))).rows
  }

  /**
   * Runs `work` in one transaction and commits it; resolves with its result once committed, and
   * rolls back (nothing written) when it throws. `operation` names the write, as the SQLite
   * writer's operations do, for simulated failures; null for a write never simulated to fail.
   */
  async transaction<T>(
    operation: WriterOperation | null,
    work: (client: PgClient) => Promise<T>,
  ): Promise<T> {
    const fail = operation === null ? null : (this.faults?.take(operation) ?? null)
    const { client, release } = await checkOut(this.pool)
    let broken: Error | undefined
    try {
      await client.query('BEGIN')
      try {
        const result = await work(client)
        if (fail !== null) throw new Error(fail)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError
        })
        throw error
      }
    } finally {
      release(broken)
    }
  }

  /** Closes every connection (waiting for queries in flight); calling it again resolves. */
  close(): Promise<void> {
    this.closed ??= this.pool.end()
    return this.closed
  }
}

/**
 * Takes the transaction's write locks on `names` (documents, or `records:<negotiationId>`), in
 * one order, so that writes of one name commit one after another in the order they were made:
 * a log entry's sequence number is never below one already committed for its document.
 */
export async function lockNames(client: PgClient, names: Iterable<string>): Promise<void> {
  const distinct = [...new Set(names)]
  if (distinct.length === 0) return
  await client.query(
    `SELECT pg_advisory_xact_lock($1, key) FROM
       (SELECT DISTINCT hashtext(name) AS key FROM unnest($2::text[]) AS name ORDER BY key) AS keys`,
    [WRITE_LOCK_SPACE, distinct],
  )
}

/**
 * Brings the schema of the database `pool` connects to up to date, in one transaction holding the
 * migration advisory lock: several processes migrating at once apply each migration exactly once
 * (the others wait, then find it applied). Resolves with how many migrations this call applied.
 */
export async function migratePostgres(pool: pg.Pool): Promise<number> {
  const { client, release } = await checkOut(pool)
  let broken: Error | undefined
  try {
    await client.query('BEGIN')
    try {
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY])
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version INTEGER PRIMARY KEY,
           applied_at BIGINT NOT NULL
         )`,
      )
      const [row] = (
        await client.query<{ version: number }>(
          'SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations',
        )
      ).rows
      const from = row?.version ?? 0
      if (from > POSTGRES_MIGRATIONS.length)
        throw new RangeError(
          `the database's schema (version ${from}) is newer than this version of OneText knows (${POSTGRES_MIGRATIONS.length})`,
        )
      for (let index = from; index < POSTGRES_MIGRATIONS.length; index++) {
        await client.query(POSTGRES_MIGRATIONS[index] as string)
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
          index + 1,
          Date.now(),
        ])
      }
      await client.query('COMMIT')
      return POSTGRES_MIGRATIONS.length - from
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError
      })
      throw error
    }
  } finally {
    release(broken)
  }
}

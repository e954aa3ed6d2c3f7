/**
 * A fresh PostgreSQL database per test file: created through the `postgres` database of the
 * server TEST_POSTGRES_URL names (default `postgres://postgres@127.0.0.1:5432/postgres`, the local
 * server with trust auth), dropped afterwards.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The maintenance database's URL the test databases are created through. */
export const ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** A database made for one test file. */
export interface TestDatabase {
  /** Its name, `onetext_test_<random>`. */
  readonly name: string
  /** Its connection string. */
  readonly url: string
  /** Drops it, closing any connection still open to it. */
  drop(): Promise<void>
}

/** How often, and how long apart, dropping a database looks for connections still leaving it. */
const DROP_WAIT_ATTEMPTS = 50
const DROP_WAIT_MS = 20

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/**
 * Creates an empty database `onetext_test_<random>` (no schema: the stores migrate it). Its text
 * sorts by ICU's English collation where the server has ICU ('Zoe' before 'bob'), so that a query
 * that must sort byte-wise, as SQLite does, fails its test unless it says so; else by the server's
 * default.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `onetext_test_${randomBytes(6).toString('hex')}`
  await admin(async (client) => {
    try {
      await client.query(
        `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en' LOCALE 'C.UTF-8'`,
      )
    } catch {
      await client.query(`CREATE DATABASE ${name}`)
    }
  })
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  let dropped: Promise<void> | null = null
  return {
    name,
    url: url.toString(),
    drop() {
      dropped ??= admin(async (client) => {
        // A pool's end() can resolve while its connections are still saying goodbye; terminating
        // them then (WITH FORCE) makes each emit an 'error' nobody listens to any more. Give them
        // a moment to leave on their own; what is left after that is terminated.
        for (let attempt = 0; attempt < DROP_WAIT_ATTEMPTS; attempt++) {
          const { rows } = await client.query<{ count: string }>(
            'SELECT count(*) FROM pg_stat_activity WHERE datname = $1',
            [name],
          )
          if (Number(rows[0]?.count ?? 0) === 0) break
          await new Promise((resolve) => setTimeout(resolve, DROP_WAIT_MS))
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      })
      return dropped
    },
  }
}

/**
 * What LEASE_TTL_MS passing without a renewal does to `negotiationId`'s lease in the database
 * `url` names: its expiry is moved into the past on the database's clock.
 */
export async function expireLease(url: string, negotiationId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(
      `UPDATE negotiation_leases
       SET expires_at = (extract(epoch FROM clock_timestamp()) * 1000)::bigint - 1
       WHERE negotiation_id = $1`,
      [negotiationId],
    )
  } finally {
    await client.end()
  }
}

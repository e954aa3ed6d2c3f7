/**
 * PostgreSQL's schema migrations: several processes starting at once on a fresh database apply
 * each migration exactly once (the advisory lock), a later start applies none, and a database
 * migrated by a newer version is refused. STORE=postgres without DATABASE_URL does not start.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFromEnv } from '../../server/src/config'
import { migratePostgres } from '../../server/src/storage/postgres/PgDatabase'
import { POSTGRES_MIGRATIONS } from '../../server/src/storage/postgres/postgresSchema'
import { createTestDatabase, type TestDatabase } from '../helpers/postgresDatabase'
import { startTestServer } from '../helpers/testServer'

describe('PostgreSQL migrations', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(() => database.drop())

  it('apply each migration exactly once when several processes migrate at once', async () => {
    // One pool per "process", each with its own connection.
    const pools = Array.from({ length: 6 }, () => new pg.Pool({ connectionString: database.url }))
    try {
      const applied = await Promise.all(pools.map((pool) => migratePostgres(pool)))
      expect(applied.reduce((sum, count) => sum + count, 0)).toBe(POSTGRES_MIGRATIONS.length)
      expect(applied.filter((count) => count > 0)).toHaveLength(1)
      const { rows } = await (pools[0] as pg.Pool).query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      )
      expect(rows.map((row) => row.version)).toEqual(
        POSTGRES_MIGRATIONS.map((_, index) => index + 1),
      )
      expect(await migratePostgres(pools[1] as pg.Pool)).toBe(0)
    } finally {
      await Promise.all(pools.map((pool) => pool.end()))
    }
  })

  it('refuse a database whose schema is newer than this version knows', async () => {
    const pool = new pg.Pool({ connectionString: database.url })
    try {
      await migratePostgres(pool)
      await pool.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, 0)', [
        POSTGRES_MIGRATIONS.length + 1,
      ])
      await expect(migratePostgres(pool)).rejects.toThrow(RangeError)
      await pool.query('DELETE FROM schema_migrations WHERE version = $1', [
        POSTGRES_MIGRATIONS.length + 1,
      ])
    } finally {
      await pool.end()
    }
  })

  it('STORE=postgres needs a postgres:// DATABASE_URL, and never echoes it', async () => {
    expect(() => configFromEnv({ STORE: 'postgres' })).toThrow(
      new RangeError('STORE=postgres needs DATABASE_URL (a postgres:// connection string)'),
    )
    expect(() =>
      configFromEnv({ STORE: 'postgres', DATABASE_URL: 'mysql://user:secret@host/db' }),
    ).toThrow(/^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL$/)
    expect(configFromEnv({ STORE: 'postgres', DATABASE_URL: database.url }).databaseUrl).toBe(
      database.url,
    )
    await expect(startTestServer({ env: { STORE: 'postgres' } })).rejects.toThrow(RangeError)
  })
})

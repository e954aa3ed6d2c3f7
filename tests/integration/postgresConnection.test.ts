/**
 * The PostgreSQL connection under faults: a connection that breaks while a write holds it (the
 * backend terminated, as when PostgreSQL restarts) fails that write, which the persistence queue
 * retries, and never stops the process; text PostgreSQL cannot hold (U+0000) is stored with U+FFFD
 * instead of failing the write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgDatabase } from '../../server/src/storage/postgres/PgDatabase'
import { createTestDatabase, type TestDatabase } from '../helpers/postgresDatabase'

describe('the PostgreSQL connection', () => {
  let database: TestDatabase
  let db: PgDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
    db = new PgDatabase(database.url, { max: 2 })
  })
  afterAll(async () => {
    await db.close()
    await database.drop()
  })

  it('fails a write whose connection breaks, and goes on with a new connection', async () => {
    const unhandled: unknown[] = []
    const onUncaught = (error: unknown) => unhandled.push(error)
    process.on('uncaughtException', onUncaught)
    try {
      for (let round = 0; round < 3; round++) {
        await expect(
          db.transaction(null, (client) =>
            client.query('SELECT pg_terminate_backend(pg_backend_pid())'),
          ),
        ).rejects.toThrow()
      }
      expect(await db.rows<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }])
      await db.transaction(null, async (client) => {
        await client.query('SELECT 1')
      })
    } finally {
      process.off('uncaughtException', onUncaught)
    }
    expect(unhandled).toEqual([])
  })

  it('stores U+0000 as U+FFFD, in a write and in a read’s parameters, strings in arrays too', async () => {
    const written = await db.transaction(null, async (client) => {
      const { rows } = await client.query<{ text: string; list: string[] }>(
        'SELECT $1::text AS text, $2::text[] AS list',
        ['a\u0000b', ['c\u0000', 'd']],
      )
      return rows[0]
    })
    expect(written).toEqual({ text: 'a\ufffdb', list: ['c\ufffd', 'd'] })
    expect(await db.rows<{ text: string }>('SELECT $1::text AS text', ['\u0000'])).toEqual([
      { text: '\ufffd' },
    ])
  })
})

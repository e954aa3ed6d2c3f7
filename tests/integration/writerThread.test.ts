/**
 * Every durable write runs on the writer thread: while the database's write lock is held elsewhere
 * (as a slow fsync would hold it), a request that writes waits for it without stopping the event
 * loop, so the server keeps answering everyone else, and the write completes once the lock is free.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqliteDatabase } from '../../server/src/storage/SqliteDatabase'
import { callApi } from '../helpers/api'
import { login, startTestServer } from '../helpers/testServer'

const NEGOTIATION = 'lmp-1997'

describe('durable writes on the writer thread', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let mediator: string

  beforeAll(async () => {
    server = await startTestServer()
    mediator = await login(server.url, 'mediator@demo.test')
  })

  afterAll(async () => {
    await server.close()
  })

  /**
   * Holds the database's write lock on a connection of the test's own while `write` runs; checks
   * that the server answers other requests meanwhile and that `write` is still waiting; then
   * releases the lock and resolves with what `write` answered.
   */
  async function whileLocked<T>(write: () => Promise<T>): Promise<T> {
    const lock = openSqliteDatabase(server.dataDir)
    lock.exec('BEGIN IMMEDIATE')
    let settled = false
    const pending = write().finally(() => {
      settled = true
    })
    try {
      for (let index = 0; index < 20; index++) {
        const health = await fetch(`${server.url}/healthz`)
        expect(health.status).toBe(200)
      }
      expect(settled).toBe(false)
    } finally {
      lock.exec('ROLLBACK')
      lock.close()
    }
    return pending
  }

  it('creates an invitation while the lock is held elsewhere', async () => {
    const invited = await whileLocked(() =>
      callApi<{ token: string }>(
        server.url,
        'POST',
        `/api/negotiations/${NEGOTIATION}/invites`,
        mediator,
        {
          email: 'locked.out@demo.test',
          role: 'observer',
          partyId: null,
        },
      ),
    )
    expect(invited.status).toBe(201)
    const info = await callApi<{ email: string }>(
      server.url,
      'GET',
      `/api/invites/${invited.body.token}`,
      null,
    )
    expect(info.body.email).toBe('locked.out@demo.test')
  })

  it('circulates an iteration while the lock is held elsewhere', async () => {
    const circulated = await whileLocked(() =>
      callApi<{ number: number }>(
        server.url,
        'POST',
        `/api/negotiations/${NEGOTIATION}/iterations`,
        mediator,
        { note: 'Written while the disk was busy.' },
      ),
    )
    expect(circulated.status).toBe(201)
    const iteration = await callApi<{ note: string }>(
      server.url,
      'GET',
      `/api/negotiations/${NEGOTIATION}/iterations/${circulated.body.number}`,
      mediator,
    )
    expect(iteration.body.note).toBe('Written while the disk was busy.')
  })
})

/**
 * NegotiationLeases on a real PostgreSQL database, with two "processes" (two pools, two owners):
 * acquire, renew, refusal while held, takeover after expiry with a higher token, release; and
 * fencing: a process whose lease was taken over has its next write refused by PostgreSQL with a
 * LeaseLostError, nothing written. Expiry is simulated by moving the row's expiry into the past
 * on the database's clock (what LEASE_TTL_MS passing without a renewal does), so no test waits.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LeaseLostError, negotiationOfDocument } from '../../server/src/storage/LeaseLostError'
import { NegotiationLeases } from '../../server/src/storage/postgres/NegotiationLeases'
import { migratePostgres, PgDatabase } from '../../server/src/storage/postgres/PgDatabase'
import { PgDocumentStore } from '../../server/src/storage/postgres/PgDocumentStore'
import { PgIterationStore } from '../../server/src/storage/postgres/PgIterationStore'
import { createTestDatabase, expireLease, type TestDatabase } from '../helpers/postgresDatabase'

function update(text: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return Y.encodeStateAsUpdate(doc)
}

describe('negotiation leases on PostgreSQL', () => {
  let database: TestDatabase
  let dbA: PgDatabase
  let dbB: PgDatabase
  let admin: pg.Client
  let a: NegotiationLeases
  let b: NegotiationLeases
  // No heartbeat fires during the tests: renewals are made explicitly (renewAll).
  const quiet = { ttlMs: 600_000, renewMs: 300_000 }

  beforeAll(async () => {
    database = await createTestDatabase()
    dbA = new PgDatabase(database.url)
    dbB = new PgDatabase(database.url)
    await migratePostgres(dbA.pool)
    admin = new pg.Client({ connectionString: database.url })
    await admin.connect()
    a = new NegotiationLeases(dbA, { owner: 'process-a', ...quiet })
    b = new NegotiationLeases(dbB, { owner: 'process-b', ...quiet })
  })
  afterAll(async () => {
    await a.close()
    await b.close()
    await admin.end()
    await dbA.close()
    await dbB.close()
    await database.drop()
  })

  function expire(negotiationId: string): Promise<void> {
    return expireLease(database.url, negotiationId)
  }

  async function row(negotiationId: string) {
    const result = await admin.query<{ owner: string; token: string; expires_at: string }>(
      'SELECT owner, token, expires_at FROM negotiation_leases WHERE negotiation_id = $1',
      [negotiationId],
    )
    const found = result.rows[0]
    return found
      ? { owner: found.owner, token: Number(found.token), expiresAt: Number(found.expires_at) }
      : null
  }

  it('refuses options out of range', () => {
    expect(() => new NegotiationLeases(dbA, { ttlMs: 0 })).toThrow(RangeError)
    expect(() => new NegotiationLeases(dbA, { ttlMs: 1000, renewMs: 1000 })).toThrow(RangeError)
  })

  it('acquires a free lease, renews its own, and refuses one another live process holds', async () => {
    expect(await a.acquire('n-held')).toBe(true)
    const taken = await row('n-held')
    expect(taken).toMatchObject({ owner: 'process-a', token: 1 })
    expect(a.owned()).toContain('n-held')
    expect(a.tokenOf('n-held')).toBe(1)

    expect(await b.acquire('n-held')).toBe(false)
    expect(b.owned()).not.toContain('n-held')
    expect(await row('n-held')).toMatchObject({ owner: 'process-a', token: 1 })

    await admin.query('UPDATE negotiation_leases SET expires_at = expires_at - 5000')
    const before = (await row('n-held'))?.expiresAt ?? 0
    expect(await a.renewAll()).toEqual([])
    const renewed = await row('n-held')
    expect(renewed?.token).toBe(1)
    expect(renewed?.expiresAt ?? 0).toBeGreaterThan(before)
    expect(await a.acquire('n-held')).toBe(true)
    expect(a.tokenOf('n-held')).toBe(1)
  })

  it('lets another process take an expired lease over with a higher token; the old holder loses it', async () => {
    const lost: string[] = []
    a.onLost((id) => lost.push(id))
    expect(await a.acquire('n-stall')).toBe(true)
    await expire('n-stall')
    expect(await b.acquire('n-stall')).toBe(true)
    expect(b.tokenOf('n-stall')).toBe(2)
    expect(await row('n-stall')).toMatchObject({ owner: 'process-b', token: 2 })

    expect(await a.renewAll()).toEqual(['n-stall'])
    expect(lost).toEqual(['n-stall'])
    expect(a.owned()).not.toContain('n-stall')
    expect(await a.acquire('n-stall')).toBe(false)
  })

  it('releases a lease so that another process takes it at once, with a higher token', async () => {
    expect(await b.acquire('n-release')).toBe(true)
    await b.release('n-release')
    expect(b.owned()).not.toContain('n-release')
    expect(await a.acquire('n-release')).toBe(true)
    expect(a.tokenOf('n-release')).toBe(2)
    await a.releaseAll()
    expect(a.owned()).toEqual([])
    expect(await b.acquire('n-release')).toBe(true)
    expect(b.tokenOf('n-release')).toBe(3)
  })

  it('refuses, writing nothing, the next write of a process whose lease was taken over', async () => {
    const docsA = new PgDocumentStore(dbA, a)
    const recordsA = new PgIterationStore(dbA, a)
    const docsB = new PgDocumentStore(dbB, b)
    expect(await a.acquire('n-fence')).toBe(true)
    await docsA.append([{ docName: 'n-fence.draft', update: update('first') }])
    a.pauseHeartbeat()
    await expire('n-fence')
    expect(await b.acquire('n-fence')).toBe(true)

    await expect(
      docsA.append([
        { docName: 'n-fence.draft', update: update('stale') },
        { docName: 'plain', update: update('unrelated') },
      ]),
    ).rejects.toBeInstanceOf(LeaseLostError)
    await expect(docsA.compact('n-fence.draft', update('stale'), 99)).rejects.toBeInstanceOf(
      LeaseLostError,
    )
    await expect(
      recordsA.commit([], { docName: 'n-fence.status', update: update('stale') }),
    ).rejects.toBeInstanceOf(LeaseLostError)
    expect(a.owned()).not.toContain('n-fence')

    const stored = await docsB.load('n-fence.draft')
    expect(stored.updates).toHaveLength(1)
    expect(stored.snapshot).toBeNull()
    expect((await docsB.load('n-fence.status')).updates).toHaveLength(0)
    expect((await docsB.load('plain')).updates).toHaveLength(0)
    await docsB.append([{ docName: 'n-fence.draft', update: update('owner') }])
    expect((await docsB.load('n-fence.draft')).updates).toHaveLength(2)
  })

  it('lets a takeover through when the holder stalls inside a write, and that write is not committed', async () => {
    // A "process" whose transactions PostgreSQL ends after 300 ms of silence (5 s in production).
    const dbStalled = new PgDatabase(database.url, { idleInTransactionMs: 300 })
    const stalled = new NegotiationLeases(dbStalled, { owner: 'process-s', ...quiet })
    const docsStalled = new PgDocumentStore(dbStalled, stalled)
    try {
      expect(await stalled.acquire('n-stalled-write')).toBe(true)
      stalled.pauseHeartbeat()
      await expire('n-stalled-write')
      // The write takes the lease row (FOR SHARE) and then its process stops answering.
      let resume = () => {}
      let fenced = () => {}
      const fencedNow = new Promise<void>((resolve) => {
        fenced = resolve
      })
      const write = dbStalled.transaction(null, async (client) => {
        await stalled.fence(client, ['n-stalled-write'])
        fenced()
        await new Promise<void>((resolve) => {
          resume = resolve
        })
        await client.query(
          "INSERT INTO doc_updates (doc, data) VALUES ('n-stalled-write.draft', '\\x00')",
        )
      })
      const outcome = write.then(
        () => 'committed',
        () => 'failed',
      )
      await fencedNow
      expect(await b.acquire('n-stalled-write')).toBe(true)
      resume()
      expect(await outcome).toBe('failed')
      await expect(
        docsStalled.append([{ docName: 'n-stalled-write.draft', update: update('stale') }]),
      ).rejects.toBeInstanceOf(LeaseLostError)
      expect(
        (await new PgDocumentStore(dbB, b).load('n-stalled-write.draft')).updates,
      ).toHaveLength(0)
    } finally {
      await stalled.close()
      await dbStalled.close()
    }
  }, 20_000)

  it('refuses a write for a negotiation another live process holds; other documents are not fenced', async () => {
    const docsA = new PgDocumentStore(dbA, a)
    expect(await b.acquire('n-other')).toBe(true)
    const refused = docsA.append([{ docName: 'n-other.draft', update: update('x') }])
    await expect(refused).rejects.toMatchObject({ negotiationId: 'n-other' })
    await docsA.append([{ docName: 'plain', update: update('free') }])
    await docsA.append([{ docName: 'n-nobody.draft', update: update('free') }])
    expect((await docsA.load('plain')).updates).toHaveLength(1)
    expect(negotiationOfDocument('n-other.draft~owners')).toBe('n-other')
    expect(negotiationOfDocument('plain')).toBeNull()
  })
})

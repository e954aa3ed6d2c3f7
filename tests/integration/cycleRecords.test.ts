/**
 * The cycle's records (iteration numbers, publication, sign-offs) are kept in SQL and written in one
 * transaction with the status document's update that shows them: a failed write leaves neither,
 * and a status document that disagrees with the records when it loads is rewritten from them.
 */
import { readStatus } from '@onetext/shared/statusDoc'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openSqliteDatabase } from '../../server/src/storage/SqliteDatabase'
import { StorageFaults } from '../../server/src/storage/StorageFaults'
import { callApi } from '../helpers/api'
import { loadStoredDoc, login, makeDataDir, startTestServer } from '../helpers/testServer'

const N = 'lmp-1997'
type Server = Awaited<ReturnType<typeof startTestServer>>

describe('the cycle’s records', () => {
  const servers: Server[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close()
  })

  async function start(dataDir: string, faults?: StorageFaults) {
    const server = await startTestServer({
      dataDir,
      ...(faults ? { storageFaults: faults } : {}),
    })
    servers.push(server)
    const tokens: Record<string, string> = {}
    for (const key of ['mediator', 'labor.lead', 'mgmt.lead'])
      tokens[key] = await login(server.url, `${key}@demo.test`)
    const api = <T>(method: string, route: string, who: string, body?: unknown) =>
      callApi<T>(server.url, method, `/api/negotiations/${N}${route}`, tokens[who] ?? null, body)
    return { server, api }
  }

  const sqlRows = (dataDir: string, sql: string) => {
    const db = openSqliteDatabase(dataDir)
    try {
      return db.prepare(sql).all()
    } finally {
      db.close()
    }
  }

  it('writes an iteration, its publication and a sign-off together with the status document, or neither', async () => {
    const dataDir = makeDataDir()
    const faults = new StorageFaults()
    const { server, api } = await start(dataDir, faults)

    faults.failNext(1, ['commit'])
    const failed = await api('POST', '/iterations', 'mediator', { note: 'one' })
    expect(failed.status).toBeGreaterThanOrEqual(500)
    expect((await api<unknown[]>('GET', '/iterations', 'mediator')).body).toEqual([])
    expect(readStatus(await loadStoredDoc(server, `${N}.status`)).iterations).toEqual([])

    const created = await api<{ number: number }>('POST', '/iterations', 'mediator', {
      note: 'one',
    })
    expect(created.status).toBe(201)
    expect(created.body.number).toBe(1)
    expect(readStatus(await loadStoredDoc(server, `${N}.status`)).iterations).toMatchObject([
      { number: 1, published: false },
    ])

    faults.failNext(1, ['commit'])
    expect(
      (await api('POST', '/iterations/1/publish', 'mediator', { published: true })).status,
    ).toBeGreaterThanOrEqual(500)
    expect(sqlRows(dataDir, 'SELECT published FROM iterations')).toEqual([{ published: 0 }])
    expect(readStatus(await loadStoredDoc(server, `${N}.status`)).iterations[0]?.published).toBe(
      false,
    )

    const clauses = await api<Array<{ id: string }>>('GET', '/clauses', 'mediator')
    const clauseId = clauses.body[0]?.id ?? ''
    faults.failNext(1, ['commit'])
    expect(
      (await api('POST', `/clauses/${clauseId}/signoff`, 'labor.lead', { initials: 'LL' })).status,
    ).toBeGreaterThanOrEqual(500)
    expect(sqlRows(dataDir, 'SELECT * FROM signoffs')).toEqual([])
    expect(
      readStatus(await loadStoredDoc(server, `${N}.status`)).clauses[clauseId]?.signoffs,
    ).toEqual({})

    const signed = await api('POST', `/clauses/${clauseId}/signoff`, 'labor.lead', {
      initials: 'LL',
    })
    expect(signed.status).toBe(200)
    expect(
      sqlRows(dataDir, 'SELECT clause_id, party_id, initials, iteration FROM signoffs'),
    ).toEqual([{ clause_id: clauseId, party_id: 'labor', initials: 'LL', iteration: 1 }])
    expect(
      readStatus(await loadStoredDoc(server, `${N}.status`)).clauses[clauseId]?.signoffs.labor,
    ).toMatchObject({ initials: 'LL', iteration: 1 })
  })

  it('rewrites the status document from the records when it loads, and imports sign-offs it alone held', async () => {
    const dataDir = makeDataDir()
    const first = await start(dataDir)
    expect((await first.api('POST', '/iterations', 'mediator', { note: 'one' })).status).toBe(201)
    const clauses = await first.api<Array<{ id: string }>>('GET', '/clauses', 'mediator')
    const [a, b] = clauses.body.map((clause) => clause.id)
    for (const clauseId of [a, b])
      expect(
        (await first.api('POST', `/clauses/${clauseId}/signoff`, 'mgmt.lead', { initials: 'MG' }))
          .status,
      ).toBe(200)
    await first.server.close()
    servers.splice(0)

    // As an earlier version left it: the iteration published in SQL but not in the status
    // document, and sign-offs only in the status document.
    const db = openSqliteDatabase(dataDir)
    db.prepare('UPDATE iterations SET published = 1').run()
    db.prepare('DELETE FROM signoffs').run()
    db.prepare('DELETE FROM signoff_imports').run()
    db.close()

    const second = await start(dataDir)
    const iterations = await second.api<Array<{ number: number; published: boolean }>>(
      'GET',
      '/iterations',
      'mediator',
    )
    expect(iterations.body).toMatchObject([{ number: 1, published: true }])
    const clauseList = await second.api<Array<{ id: string; signoffs: unknown[] }>>(
      'GET',
      '/clauses',
      'mediator',
    )
    expect(clauseList.body.find((clause) => clause.id === a)?.signoffs).toHaveLength(1)
    // The rewrite is written like any server change: wait until it is on disk.
    await second.server.services.docs.durable()
    const status = readStatus(await loadStoredDoc(second.server, `${N}.status`))
    expect(status.iterations[0]?.published).toBe(true)
    expect(sqlRows(dataDir, 'SELECT clause_id, initials FROM signoffs ORDER BY clause_id')).toEqual(
      [a, b].sort().map((clauseId) => ({ clause_id: clauseId, initials: 'MG' })),
    )

    // From now on the records decide: a sign-off removed from them is gone from the document.
    await second.server.close()
    servers.splice(0)
    const edit = openSqliteDatabase(dataDir)
    edit.prepare('DELETE FROM signoffs WHERE clause_id = ?').run(b)
    edit.close()
    const third = await start(dataDir)
    const after = await third.api<Array<{ id: string; signoffs: unknown[] }>>(
      'GET',
      '/clauses',
      'mediator',
    )
    expect(after.body.find((clause) => clause.id === a)?.signoffs).toHaveLength(1)
    expect(after.body.find((clause) => clause.id === b)?.signoffs).toHaveLength(0)
  })

  it('writes a change only after what the document held before it, even right after a load', async () => {
    const dataDir = makeDataDir()
    const first = await start(dataDir)
    expect((await first.api('POST', '/iterations', 'mediator', { note: 'one' })).status).toBe(201)
    const clauses = await first.api<Array<{ id: string }>>('GET', '/clauses', 'mediator')
    const clauseId = clauses.body[0]?.id ?? ''
    await first.server.close()
    servers.splice(0)
    const db = openSqliteDatabase(dataDir)
    db.prepare('UPDATE iterations SET published = 1').run()
    db.close()

    // The load's own rewrite (from the records) and the sign-off that caused the load.
    const second = await start(dataDir)
    const signed = await second.api('POST', `/clauses/${clauseId}/signoff`, 'labor.lead', {
      initials: 'LL',
    })
    expect(signed.status).toBe(200)
    const stored = await second.server.store.load(`${N}.status`)
    const replay = new Y.Doc()
    for (const update of [stored.snapshot, ...stored.updates]) {
      if (!update) continue
      Y.applyUpdate(replay, update)
      // Each entry builds only on entries before it: nothing waits for a later one.
      expect(replay.store.pendingStructs).toBeNull()
    }
    const status = readStatus(replay)
    expect(status.iterations[0]?.published).toBe(true)
    expect(status.clauses[clauseId]?.signoffs.labor?.initials).toBe('LL')
  })
})

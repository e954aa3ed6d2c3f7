/**
 * The real server on STORE=postgres: the demo is seeded into PostgreSQL, an edit over a websocket,
 * an iteration and a sign-off are written there, and a new server on the same database reads them
 * back. Nothing is written to DATA_DIR.
 */
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '../../server/src/storage/SqliteDatabase'
import { callApi } from '../helpers/api'
import { createTestDatabase, type TestDatabase } from '../helpers/postgresDatabase'
import { login, startTestServer } from '../helpers/testServer'
import {
  appendParagraph,
  connectClient,
  plainText,
  type TestClient,
  whenSynced,
} from '../helpers/yClient'

const N = 'lmp-1997'
type Server = Awaited<ReturnType<typeof startTestServer>>

describe('the server on PostgreSQL', () => {
  let database: TestDatabase
  const servers: Server[] = []
  const clients: TestClient[] = []
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    for (const server of servers.splice(0)) await server.close()
  })
  afterAll(() => database.drop())

  async function start() {
    const server = await startTestServer({
      env: { STORE: 'postgres', DATABASE_URL: database.url },
    })
    servers.push(server)
    const api = async <T>(method: string, route: string, who: string, body?: unknown) =>
      callApi<T>(
        server.url,
        method,
        `/api/negotiations/${N}${route}`,
        await login(server.url, `${who}@demo.test`),
        body,
      )
    return { server, api }
  }

  async function connect(server: Server, who: string): Promise<TestClient> {
    const client = connectClient(
      server.url,
      `${N}.draft`,
      await login(server.url, `${who}@demo.test`),
    )
    clients.push(client)
    await whenSynced(client)
    return client
  }

  it('keeps an edit, an iteration and a sign-off across a restart', async () => {
    const first = await start()
    expect(first.server.seeded).toBe(true)
    const editor = await connect(first.server, 'mediator')
    appendParagraph(editor.doc, 'Kept in PostgreSQL.')
    await editor.tracker.whenSaved()

    const created = await first.api<{ number: number }>('POST', '/iterations', 'mediator', {
      note: 'first circulation',
    })
    expect(created.status).toBe(201)
    expect(created.body.number).toBe(1)
    const clauses = await first.api<Array<{ id: string }>>('GET', '/clauses', 'mediator')
    const clauseId = clauses.body[0]?.id ?? ''
    expect(clauseId).not.toBe('')
    const signed = await first.api('POST', `/clauses/${clauseId}/signoff`, 'labor.lead', {
      initials: 'LL',
    })
    expect(signed.status).toBe(200)
    expect(fs.existsSync(path.join(first.server.dataDir, DATABASE_FILE))).toBe(false)
    for (const client of clients.splice(0)) client.destroy()
    await first.server.close()
    servers.splice(0)

    const rows = new pg.Client({ connectionString: database.url })
    await rows.connect()
    try {
      const stored = await rows.query(
        'SELECT clause_id, party_id, initials, iteration FROM signoffs',
      )
      expect(stored.rows).toEqual([
        { clause_id: clauseId, party_id: 'labor', initials: 'LL', iteration: 1 },
      ])
    } finally {
      await rows.end()
    }

    const second = await start()
    expect(second.server.seeded).toBe(false)
    const reader = await connect(second.server, 'drafter')
    expect(plainText(reader.doc)).toContain('Kept in PostgreSQL.')
    const iterations = await second.api<Array<{ number: number; note: string }>>(
      'GET',
      '/iterations',
      'mediator',
    )
    expect(iterations.body).toMatchObject([{ number: 1, note: 'first circulation' }])
    const again = await second.api<
      Array<{ id: string; signoffs: Array<{ partyId: string; initials: string }> }>
    >('GET', '/clauses', 'mediator')
    expect(again.body.find((clause) => clause.id === clauseId)?.signoffs).toMatchObject([
      { partyId: 'labor', initials: 'LL' },
    ])
  })
})

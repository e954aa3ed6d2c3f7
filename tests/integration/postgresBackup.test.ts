/**
 * Backup and restore as docs/DEPLOY.md says to do them, with PostgreSQL's own tools: `pg_dump -Fc`
 * while the server runs and a writer types, `pg_restore --no-owner` into an empty database, and a
 * server started on the restored database reads what the dump held (the draft, an iteration, the
 * sessions), nothing written after it, without migrating or seeding again; new writes follow the
 * restored ones across a restart.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
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

/** Runs a PostgreSQL client tool; resolves with its exit code and what it printed. */
function run(command: string, args: string[]) {
  return new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(command, args, (error, _stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stderr })
    })
  })
}

describe('backup and restore of a PostgreSQL deployment', () => {
  let source: TestDatabase
  let restored: TestDatabase
  let dumpDir: string
  const servers: Server[] = []
  const clients: TestClient[] = []
  beforeAll(async () => {
    source = await createTestDatabase()
    restored = await createTestDatabase()
    dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-dump-'))
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    for (const server of servers.splice(0)) await server.close()
  })
  afterAll(async () => {
    await source.drop()
    await restored.drop()
    fs.rmSync(dumpDir, { recursive: true, force: true })
  })

  async function start(database: TestDatabase) {
    const server = await startTestServer({
      env: { STORE: 'postgres', DATABASE_URL: database.url },
    })
    servers.push(server)
    return server
  }

  async function draft(server: Server, token: string) {
    const client = connectClient(server.url, `${N}.draft`, token)
    clients.push(client)
    await whenSynced(client)
    return client
  }

  it('restores a dump taken while the server runs into a database a new server reads the same', async () => {
    const live = await start(source)
    const mediator = await login(live.url, 'mediator@demo.test')
    const writer = await draft(live, mediator)
    appendParagraph(writer.doc, 'Saved before the dump.')
    await writer.tracker.whenSaved()
    const circulated = await callApi(
      live.url,
      'POST',
      `/api/negotiations/${N}/iterations`,
      mediator,
      {
        note: 'before the dump',
      },
    )
    expect(circulated.status).toBe(201)

    const file = path.join(dumpDir, 'onetext.dump')
    const dump = await run('pg_dump', ['-Fc', `--dbname=${source.url}`, `--file=${file}`])
    expect(dump.stderr).toBe('')
    expect(dump.code).toBe(0)
    appendParagraph(writer.doc, 'Saved after the dump.')
    await writer.tracker.whenSaved()
    for (const client of clients.splice(0)) client.destroy()
    for (const server of servers.splice(0)) await server.close()

    const restore = await run('pg_restore', ['--no-owner', `--dbname=${restored.url}`, file])
    expect(restore.stderr).toBe('')
    expect(restore.code).toBe(0)

    const back = await start(restored)
    expect(back.seeded).toBe(false)
    // The session signed in before the dump is in it.
    const reader = await draft(back, mediator)
    expect(plainText(reader.doc)).toContain('Saved before the dump.')
    expect(plainText(reader.doc)).not.toContain('Saved after the dump.')
    const iterations = await callApi<Array<{ number: number; note: string }>>(
      back.url,
      'GET',
      `/api/negotiations/${N}/iterations`,
      mediator,
    )
    expect(iterations.body).toMatchObject([{ number: 1, note: 'before the dump' }])

    // New log entries come after the restored ones, so a restart reads them all.
    appendParagraph(reader.doc, 'Saved after the restore.')
    await reader.tracker.whenSaved()
    for (const client of clients.splice(0)) client.destroy()
    for (const server of servers.splice(0)) await server.close()
    const again = await start(restored)
    const last = await draft(again, mediator)
    expect(plainText(last.doc)).toContain('Saved before the dump.')
    expect(plainText(last.doc)).toContain('Saved after the restore.')
  })
})

/**
 * `pnpm migrate-store`: a SQLite data directory a server wrote (edits, an iteration, a sign-off,
 * an invitation, audit entries) copied into PostgreSQL reads back the same on a server there, and
 * new writes follow the copied ones; the command refuses a target that holds data and a missing
 * source, writing nothing.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { createTestDatabase, type TestDatabase } from '../helpers/postgresDatabase'
import { login, makeDataDir, signInOverHttp, startTestServer } from '../helpers/testServer'
import {
  appendParagraph,
  connectClient,
  plainText,
  type TestClient,
  whenSynced,
} from '../helpers/yClient'

const N = 'lmp-1997'
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
type Server = Awaited<ReturnType<typeof startTestServer>>

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs the command as `pnpm migrate-store` does (node with tsx), from the repository's root. */
function migrateStore(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/src/storage/migrateStore.ts', ...args],
      { cwd: ROOT },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
      },
    )
  })
}

interface AuditEntry {
  id: number
  action: string
}

describe('pnpm migrate-store', () => {
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

  async function start(options: { dataDir?: string; postgres?: boolean }) {
    const server = await startTestServer({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.postgres ? { env: { STORE: 'postgres', DATABASE_URL: database.url } } : {}),
    })
    servers.push(server)
    const api = async <T>(method: string, route: string, who: string, body?: unknown) =>
      callApi<T>(server.url, method, route, await login(server.url, `${who}@demo.test`), body)
    const edit = async (who: string) => {
      const client = connectClient(
        server.url,
        `${N}.draft`,
        await login(server.url, `${who}@demo.test`),
      )
      clients.push(client)
      await whenSynced(client)
      return client
    }
    return { server, api, edit }
  }

  async function stop() {
    for (const client of clients.splice(0)) client.destroy()
    for (const server of servers.splice(0)) await server.close()
  }

  it('copies a SQLite data directory that a PostgreSQL server then reads the same, and writes after', async () => {
    const dataDir = makeDataDir()
    const sqlite = await start({ dataDir })
    await signInOverHttp(sqlite.server.url, 'mediator@demo.test')
    const editor = await sqlite.edit('mediator')
    appendParagraph(editor.doc, 'Written on SQLite.')
    await editor.tracker.whenSaved()
    expect(
      (await sqlite.api('POST', `/api/negotiations/${N}/iterations`, 'mediator', { note: 'moved' }))
        .status,
    ).toBe(201)
    const clauses = await sqlite.api<Array<{ id: string }>>(
      'GET',
      `/api/negotiations/${N}/clauses`,
      'mediator',
    )
    const clauseId = clauses.body[0]?.id ?? ''
    expect(
      (
        await sqlite.api(
          'POST',
          `/api/negotiations/${N}/clauses/${clauseId}/signoff`,
          'mgmt.lead',
          {
            initials: 'MG',
          },
        )
      ).status,
    ).toBe(200)
    const invite = await sqlite.api<{ token: string }>(
      'POST',
      `/api/negotiations/${N}/invites`,
      'mediator',
      { email: 'newcomer@example.org', role: 'party-member', partyId: 'labor' },
    )
    expect(invite.status).toBe(201)
    const auditBefore = (
      await sqlite.api<AuditEntry[]>('GET', `/api/negotiations/${N}/audit?limit=500`, 'mediator')
    ).body
    expect(auditBefore.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['login', 'document-open', 'member-invited']),
    )
    await stop()

    const run = await migrateStore(
      '--from',
      `sqlite:${dataDir}`,
      '--to',
      `postgres:${database.url}`,
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^negotiations\s+1$/m)
    expect(run.stdout).toMatch(/^iterations\s+1$/m)
    expect(run.stdout).toMatch(/^signoffs\s+1$/m)
    expect(run.stdout).toMatch(/^invites\s+1$/m)
    expect(run.stdout).toMatch(/^copied \d+ rows into PostgreSQL$/m)

    const moved = await start({ postgres: true })
    expect(moved.server.seeded).toBe(false)
    const reader = await moved.edit('drafter')
    expect(plainText(reader.doc)).toContain('Written on SQLite.')
    expect(
      (
        await moved.api<Array<{ number: number; note: string }>>(
          'GET',
          `/api/negotiations/${N}/iterations`,
          'mediator',
        )
      ).body,
    ).toMatchObject([{ number: 1, note: 'moved' }])
    const signed = await moved.api<Array<{ id: string; signoffs: Array<{ initials: string }> }>>(
      'GET',
      `/api/negotiations/${N}/clauses`,
      'mediator',
    )
    expect(signed.body.find((clause) => clause.id === clauseId)?.signoffs).toMatchObject([
      { initials: 'MG' },
    ])
    const invited = await callApi<{ email: string }>(
      moved.server.url,
      'GET',
      `/api/invites/${invite.body.token}`,
      null,
    )
    expect(invited.status).toBe(200)
    expect(invited.body.email).toBe('newcomer@example.org')
    const auditAfter = (
      await moved.api<AuditEntry[]>('GET', `/api/negotiations/${N}/audit?limit=500`, 'mediator')
    ).body
    const newest = auditBefore[0]?.id ?? 0
    expect(auditAfter.filter((entry) => entry.id <= newest)).toEqual(auditBefore)
    expect(auditAfter.filter((entry) => entry.id > newest).length).toBeGreaterThan(0)

    // New log entries must come after every copied one, or a restart would skip them.
    appendParagraph(reader.doc, 'Written on PostgreSQL.')
    await reader.tracker.whenSaved()
    await stop()
    const again = await start({ postgres: true })
    const last = await again.edit('mediator')
    expect(plainText(last.doc)).toContain('Written on SQLite.')
    expect(plainText(last.doc)).toContain('Written on PostgreSQL.')
  })

  it('refuses a target that holds data, and a missing source, copying nothing', async () => {
    const dataDir = makeDataDir()
    await start({ dataDir })
    await stop()
    await start({ postgres: true })
    await stop()
    const full = await migrateStore(
      '--from',
      `sqlite:${dataDir}`,
      '--to',
      `postgres:${database.url}`,
    )
    expect(full.code).toBe(1)
    expect(full.stderr).toMatch(/nothing was copied: the target database already holds data/)
    expect(full.stdout).toBe('')

    const missing = path.join(makeDataDir(), 'nowhere')
    const absent = await migrateStore('--from', `sqlite:${missing}`, '--to', database.url)
    expect(absent.code).toBe(1)
    expect(absent.stderr).toMatch(/no OneText SQLite database in .*nowhere/)
    expect(fs.existsSync(missing)).toBe(false)

    const usage = await migrateStore('--from', dataDir)
    expect(usage.code).toBe(2)
    expect(usage.stderr).toMatch(/usage: pnpm migrate-store --from sqlite:DIR --to postgres:URL/)
  })
})

/**
 * Local supplements: a local table derives its own text from a published national iteration, edits
 * it live, sees its differences from the national text, and is told which clauses' national
 * language changed since.
 */

import { Forbidden } from '@onetext/shared/closeCodes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { login, startTestServer } from '../helpers/testServer'
import {
  appendToClause,
  connectClient,
  type TestClient,
  whenClosed,
  whenSynced,
} from '../helpers/yClient'

const N = 'lmp-1997'

describe('local supplements', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const tokens: Record<string, string> = {}
  const clients: TestClient[] = []
  let clauseIds: string[] = []

  beforeAll(async () => {
    server = await startTestServer()
    for (const who of ['mediator', 'observer', 'labor.lead'])
      tokens[who] = await login(server.url, `${who}@demo.test`)
    await callApi(
      server.url,
      'POST',
      `/api/negotiations/${N}/iterations`,
      tokens.mediator ?? null,
      { note: 'one' },
    )
    await callApi(
      server.url,
      'POST',
      `/api/negotiations/${N}/iterations/1/publish`,
      tokens.mediator ?? null,
      { published: true },
    )
    const first = await callApi<{ clauses: Array<{ id: string }> }>(
      server.url,
      'GET',
      `/api/negotiations/${N}/iterations/1`,
      tokens.mediator ?? null,
    )
    clauseIds = first.body.clauses.map((clause) => clause.id)
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  const api = <T>(method: string, path: string, who: string, body?: unknown) =>
    callApi<T>(server.url, method, `/api/negotiations/${N}${path}`, tokens[who] ?? null, body)

  it('derives a supplement from a published iteration, edits it, and compares it with the national text', async () => {
    expect(
      (await api('POST', '/supplements', 'labor.lead', { title: 'x', iteration: 1 })).status,
    ).toBe(403)
    const created = await api<{ id: string; document: string; baseIteration: number }>(
      'POST',
      '/supplements',
      'observer',
      {
        title: 'Local 12 supplement',
        iteration: 1,
      },
    )
    expect(created.status).toBe(201)
    expect(created.body.baseIteration).toBe(1)

    // The local table writes its supplement live; others at the national table cannot open it.
    const local = connectClient(server.url, created.body.document, tokens.observer ?? null)
    clients.push(local)
    await whenSynced(local)
    appendToClause(local.doc, clauseIds[5] ?? '', ' Locally, union security covers per-diem staff.')
    await local.tracker.whenSaved()
    const outsider = connectClient(server.url, created.body.document, tokens['labor.lead'] ?? null)
    clients.push(outsider)
    expect((await whenClosed(outsider)).code).toBe(Forbidden.code)

    const diff = await api<{
      baseIteration: number
      nationalChanged: string[]
      clauses: Array<{ id: string; change: string }>
    }>('GET', `/supplements/${created.body.id}/diff`, 'observer')
    expect(
      diff.body.clauses.filter((clause) => clause.change !== 'same').map((clause) => clause.id),
    ).toEqual([clauseIds[5]])
    expect(diff.body.nationalChanged).toEqual([])

    // The national text moves on: the supplement flags the clause whose national language changed.
    const draft = connectClient(server.url, `${N}.draft`, tokens.mediator ?? null)
    clients.push(draft)
    await whenSynced(draft)
    appendToClause(draft.doc, clauseIds[1] ?? '', ' Nationally amended.')
    await draft.tracker.whenSaved()
    await api('POST', '/iterations', 'mediator', { note: 'two' })
    await api('POST', '/iterations/2/publish', 'mediator', { published: true })
    const after = await api<{ latestPublished: number; nationalChanged: string[] }>(
      'GET',
      `/supplements/${created.body.id}/diff`,
      'observer',
    )
    expect(after.body.latestPublished).toBe(2)
    expect(after.body.nationalChanged).toEqual([clauseIds[1]])

    // The mediator may read local supplements; the list shows each caller what it may open.
    const forMediator = await api<Array<{ id: string; access: string }>>(
      'GET',
      '/supplements',
      'mediator',
    )
    expect(forMediator.body).toEqual([
      expect.objectContaining({ id: created.body.id, access: 'read' }),
    ])
    expect((await api<unknown[]>('GET', '/supplements', 'labor.lead')).body).toEqual([])
  })

  it('refuses a supplement from an unpublished iteration', async () => {
    await api('POST', '/iterations', 'mediator', { note: 'three' })
    expect(
      (await api('POST', '/supplements', 'observer', { title: 'x', iteration: 3 })).status,
    ).toBe(404)
  })
})

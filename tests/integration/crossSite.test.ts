/**
 * Cross-site protection: a page on another origin (another site, or another origin of the same
 * site) cannot use a signed-in person's cookie to open a websocket or to change anything, with a
 * body or without one. Browsers say where a request comes from in `Sec-Fetch-Site` and `Origin`;
 * requests that carry neither come from programs, not pages, and pass.
 */
import { PROTOCOL_PARAMS } from '@onetext/shared/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { callApi } from '../helpers/api'
import { login, startTestServer, TEST_PASSWORD } from '../helpers/testServer'

type TestServer = Awaited<ReturnType<typeof startTestServer>>

/** Signs in over HTTP and returns the `Cookie` header value of the session. */
async function sessionCookie(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  })
  expect(response.status).toBe(200)
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
}

/** Opens /sync/<name> with `headers`; resolves with the handshake's status (101 when opened). */
function upgradeStatus(
  url: string,
  name: string,
  headers: Record<string, string>,
): Promise<number> {
  const query = new URLSearchParams(PROTOCOL_PARAMS)
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${name}?${query}`, { headers })
  return new Promise((resolve) => {
    ws.on('upgrade', () => {
      resolve(101)
      ws.terminate()
    })
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('error', () => resolve(0))
  })
}

const CROSS_SITE = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }
const SAME_SITE = { origin: 'http://other.127.0.0.1.example', 'sec-fetch-site': 'same-site' }

describe('cross-site requests', () => {
  let server: TestServer
  let own: string
  let labor: string
  let mediator: string

  beforeAll(async () => {
    server = await startTestServer()
    own = server.url
    labor = await sessionCookie(server.url, 'labor.lead@demo.test')
    mediator = await sessionCookie(server.url, 'mediator@demo.test')
  })

  afterAll(async () => {
    await server.close()
  })

  function send(method: string, path: string, headers: Record<string, string>, body?: string) {
    return fetch(`${server.url}${path}`, { method, headers, body: body ?? null })
  }

  it('refuses a websocket from another site or another origin of the same site', async () => {
    expect(
      await upgradeStatus(own, 'lmp-1997.caucus.labor', { cookie: labor, ...CROSS_SITE }),
    ).toBe(403)
    expect(await upgradeStatus(own, 'lmp-1997.caucus.labor', { cookie: labor, ...SAME_SITE })).toBe(
      403,
    )
    // An old browser that sends only Origin.
    expect(
      await upgradeStatus(own, 'lmp-1997.caucus.labor', {
        cookie: labor,
        origin: 'http://evil.example',
      }),
    ).toBe(403)
    expect(
      await upgradeStatus(own, 'lmp-1997.caucus.labor', { cookie: labor, origin: 'null' }),
    ).toBe(403)
  })

  it('opens a websocket from the server’s own origin and from programs that send no origin', async () => {
    expect(
      await upgradeStatus(own, 'lmp-1997.caucus.labor', {
        cookie: labor,
        origin: own,
        'sec-fetch-site': 'same-origin',
      }),
    ).toBe(101)
    expect(await upgradeStatus(own, 'lmp-1997.caucus.labor', { cookie: labor, origin: own })).toBe(
      101,
    )
    expect(await upgradeStatus(own, 'lmp-1997.caucus.labor', { cookie: labor })).toBe(101)
  })

  it('refuses body-less POSTs from another origin and changes nothing', async () => {
    // Signing out cross-site: refused, and the session still works.
    const logout = await send('POST', '/api/logout', { cookie: labor, ...CROSS_SITE })
    expect(logout.status).toBe(403)
    expect(((await logout.json()) as { error: string }).error).toBe('cross-origin')
    expect((await send('GET', '/api/me', { cookie: labor })).status).toBe(200)
    expect((await send('POST', '/api/logout', { cookie: labor, ...SAME_SITE })).status).toBe(403)
    expect((await send('GET', '/api/me', { cookie: labor })).status).toBe(200)

    // Closing a vote: refused before anything is looked up, and the vote stays open.
    const token = await login(server.url, 'mediator@demo.test')
    await callApi(server.url, 'POST', '/api/negotiations/lmp-1997/iterations', token, { note: '' })
    const clauses = await callApi<Array<{ id: string }>>(
      server.url,
      'GET',
      '/api/negotiations/lmp-1997/clauses',
      token,
    )
    const vote = await callApi<{ id: string }>(
      server.url,
      'POST',
      '/api/negotiations/lmp-1997/votes',
      token,
      { clauseId: clauses.body[0]?.id, question: 'Adopt as drafted?' },
    )
    expect(vote.status).toBe(201)
    const close = await send('POST', `/api/negotiations/lmp-1997/votes/${vote.body.id}/close`, {
      cookie: mediator,
      ...CROSS_SITE,
    })
    expect(close.status).toBe(403)
    const status = await callApi<{ votes?: Array<{ closedAt: number | null }> }>(
      server.url,
      'GET',
      `/api/negotiations/lmp-1997/clauses/${clauses.body[0]?.id}/history`,
      token,
    )
    expect(status.body.votes?.[0]?.closedAt).toBeNull()

    for (const path of [
      '/api/negotiations/lmp-1997/suggestions/share',
      `/api/negotiations/lmp-1997/clauses/${clauses.body[0]?.id}/reopen/consent`,
    ]) {
      const refused = await send('POST', path, { cookie: labor, ...CROSS_SITE })
      expect(refused.status, path).toBe(403)
      expect(((await refused.json()) as { error: string }).error).toBe('cross-origin')
      expect(
        (await send('POST', path, { cookie: labor, origin: 'https://evil.example' })).status,
      ).toBe(403)
    }
  })

  it('refuses cross-site requests with a body, of any content type, and sign-ins', async () => {
    for (const type of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
      const response = await send(
        'POST',
        '/api/negotiations/lmp-1997/iterations',
        { cookie: mediator, 'content-type': type, ...CROSS_SITE },
        JSON.stringify({ note: 'forged' }),
      )
      expect(response.status, type).toBe(403)
    }
    const signIn = await send(
      'POST',
      '/api/login',
      { 'content-type': 'application/json', ...CROSS_SITE },
      JSON.stringify({ email: 'mediator@demo.test', password: TEST_PASSWORD }),
    )
    expect(signIn.status).toBe(403)
    const patch = await send(
      'PATCH',
      '/api/negotiations/lmp-1997/members/nobody',
      { cookie: mediator, 'content-type': 'application/json', ...SAME_SITE },
      JSON.stringify({ role: 'observer' }),
    )
    expect(patch.status).toBe(403)
    const remove = await send('DELETE', '/api/negotiations/lmp-1997/members/nobody', {
      cookie: mediator,
      ...CROSS_SITE,
    })
    expect(remove.status).toBe(403)
  })

  it('lets the server’s own pages and programs through, and reads from anywhere', async () => {
    const allowed: Array<Record<string, string>> = [
      { 'sec-fetch-site': 'same-origin', origin: own },
      { origin: own },
      { 'sec-fetch-site': 'none' },
      {},
    ]
    for (const headers of allowed) {
      const response = await send(
        'POST',
        '/api/login',
        { 'content-type': 'application/json', ...headers },
        JSON.stringify({ email: 'observer@demo.test', password: TEST_PASSWORD }),
      )
      expect(response.status, JSON.stringify(headers)).toBe(200)
    }
    // Reading is not changing: a cross-site GET is answered (the browser keeps the answer from the
    // other page, since the server sends no CORS headers).
    const read = await send('GET', '/api/me', { cookie: labor, ...CROSS_SITE })
    expect(read.status).toBe(200)
    expect(read.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('ALLOWED_ORIGINS and PUBLIC_URL', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        ALLOWED_ORIGINS: 'https://tables.example.org, https://onetext.example.org',
        PUBLIC_URL: 'https://onetext.example.org/',
      },
    })
  })

  afterAll(async () => {
    await server.close()
  })

  it('accepts the listed origins and the public origin, and nothing else', async () => {
    const token = await login(server.url, 'labor.lead@demo.test')
    const cookie = `onetext_session=${token}`
    const status = (origin: string, site?: string) =>
      upgradeStatus(server.url, 'lmp-1997.caucus.labor', {
        cookie,
        origin,
        ...(site ? { 'sec-fetch-site': site } : {}),
      })
    expect(await status('https://tables.example.org', 'cross-site')).toBe(101)
    expect(await status('https://onetext.example.org', 'same-site')).toBe(101)
    expect(await status('https://onetext.example.org')).toBe(101)
    expect(await status('https://evil.example.org', 'same-site')).toBe(403)
    expect(await status('http://tables.example.org', 'cross-site')).toBe(403)
    expect(await status('https://tables.example.org.evil.example', 'cross-site')).toBe(403)
  })

  it('refuses an ALLOWED_ORIGINS entry that is not an origin, at start', async () => {
    await expect(
      startTestServer({ env: { ALLOWED_ORIGINS: 'https://ok.example, not an origin' } }),
    ).rejects.toThrow(RangeError)
    await expect(
      startTestServer({ env: { ALLOWED_ORIGINS: 'https://ok.example/path' } }),
    ).rejects.toThrow(RangeError)
  })
})

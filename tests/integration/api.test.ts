/**
 * The HTTP API: health, sign-in, sessions, negotiations, and clear errors for bad input.
 */

import type { NegotiationDetail, NegotiationSummary } from '@onetext/shared/apiTypes'
import { Unauthorized } from '@onetext/shared/closeCodes'
import { MAX_JSON_BODY_BYTES, MAX_LOGIN_FAILURES } from '@onetext/shared/limits'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, startTestServer, TEST_PASSWORD } from '../helpers/testServer'
import { connectClient, whenClosed, whenSynced } from '../helpers/yClient'

describe('HTTP API', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>

  beforeAll(async () => {
    server = await startTestServer()
  })

  afterAll(async () => {
    await server.close()
  })

  function post(
    path: string,
    body: string,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) {
    return fetch(`${server.url}${path}`, { method: 'POST', headers, body })
  }

  it('answers GET /healthz with {"ok":true}', async () => {
    const response = await fetch(`${server.url}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('signs in with the right password: token, user and an httpOnly cookie', async () => {
    const response = await post(
      '/api/login',
      JSON.stringify({ email: 'labor.lead@demo.test', password: TEST_PASSWORD }),
    )
    expect(response.status).toBe(200)
    const body = (await response.json()) as { token: string; user: { email: string; name: string } }
    expect(body.token.length).toBeGreaterThan(30)
    expect(body.user).toMatchObject({ email: 'labor.lead@demo.test', name: 'Luis Ortega' })
    expect(JSON.stringify(body)).not.toContain('scrypt')
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^onetext_session=/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')

    const viaCookie = await fetch(`${server.url}/api/negotiations`, {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    })
    expect(viaCookie.status).toBe(200)
  })

  it('answers 401 for a wrong password and for an unknown email alike', async () => {
    for (const email of ['mediator@demo.test', 'nobody@demo.test']) {
      const response = await post('/api/login', JSON.stringify({ email, password: 'nope' }))
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({
        error: 'invalid-credentials',
        message: 'Wrong email or password.',
      })
    }
  })

  it('rejects malformed bodies with clear errors', async () => {
    expect((await post('/api/login', '{not json')).status).toBe(400)
    expect((await post('/api/login', '[]')).status).toBe(400)
    expect((await post('/api/login', JSON.stringify({ email: 5 }))).status).toBe(400)
    expect((await post('/api/login', 'x', { 'content-type': 'text/plain' })).status).toBe(415)
    const huge = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(MAX_JSON_BODY_BYTES) })
    const tooBig = await post('/api/login', huge)
    expect(tooBig.status).toBe(413)
    expect(((await tooBig.json()) as { error: string }).error).toBe('payload-too-large')
    expect((await fetch(`${server.url}/api/nothing-here`)).status).toBe(404)
    expect((await fetch(`${server.url}/api/login`)).status).toBe(405)
  })

  // Each failed attempt costs a password hash (scrypt at N=2^17, most of a second of a core; the
  // server runs two at once): sent together, as an attacker would, and given time on a busy machine.
  it('throttles repeated failed sign-ins with 429 and Retry-After', async () => {
    const attempt = () =>
      post('/api/login', JSON.stringify({ email: 'mgmt.member@demo.test', password: 'guess' }))
    const failures = await Promise.all(Array.from({ length: MAX_LOGIN_FAILURES }, attempt))
    expect(failures.map((response) => response.status)).toEqual(Array(MAX_LOGIN_FAILURES).fill(401))
    const limited = await attempt()
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another account from the same address is unaffected.
    expect(await login(server.url, 'mgmt.lead@demo.test')).toBeTruthy()
  }, 180_000)

  it('requires a session for the negotiation endpoints', async () => {
    expect((await fetch(`${server.url}/api/negotiations`)).status).toBe(401)
    expect(
      (
        await fetch(`${server.url}/api/negotiations`, {
          headers: { authorization: 'Bearer forged' },
        })
      ).status,
    ).toBe(401)
  })

  it('lists the demo negotiation and only the documents each role may open', async () => {
    const token = await login(server.url, 'labor.member@demo.test')
    const headers = { authorization: `Bearer ${token}` }
    const list = (await (
      await fetch(`${server.url}/api/negotiations`, { headers })
    ).json()) as NegotiationSummary[]
    expect(list).toEqual([
      {
        id: 'lmp-1997',
        title: 'National Labor-Management Partnership Agreement, 1997',
        role: 'party-member',
        partyId: 'labor',
      },
    ])
    const detail = (await (
      await fetch(`${server.url}/api/negotiations/lmp-1997`, { headers })
    ).json()) as NegotiationDetail
    expect(detail.parties.map((party) => party.id)).toEqual(['labor', 'mgmt'])
    expect(detail.me).toMatchObject({ role: 'party-member', partyId: 'labor' })
    // The working draft is the mediator's and the drafting team's unless drafting is open.
    expect(detail.settings).toEqual({ openDrafting: false })
    expect(detail.documents).toEqual([
      { name: 'lmp-1997.layer.labor', kind: 'layer', partyId: 'labor', access: 'write' },
      { name: 'lmp-1997.caucus.labor', kind: 'caucus', partyId: 'labor', access: 'write' },
      { name: 'lmp-1997.table', kind: 'table', access: 'write' },
      { name: 'lmp-1997.status', kind: 'status', access: 'read' },
    ])
  })

  it('answers 404 for a negotiation the caller is not a member of, as for one that does not exist', async () => {
    const token = await login(server.url, 'mediator@demo.test')
    const headers = { authorization: `Bearer ${token}` }
    const missing = await fetch(`${server.url}/api/negotiations/does-not-exist`, { headers })
    expect(missing.status).toBe(404)
  })

  it('ends the session on logout', async () => {
    const token = await login(server.url, 'observer@demo.test')
    const headers = { authorization: `Bearer ${token}` }
    expect((await fetch(`${server.url}/api/me`, { headers })).status).toBe(200)
    expect((await fetch(`${server.url}/api/logout`, { method: 'POST', headers })).status).toBe(200)
    expect((await fetch(`${server.url}/api/me`, { headers })).status).toBe(401)
  })

  it('closes the websockets of a session that signs out with 4401, and only those', async () => {
    const ending = await login(server.url, 'labor.member@demo.test')
    const staying = await login(server.url, 'labor.member@demo.test')
    const closing = connectClient(server.url, 'lmp-1997.caucus.labor', ending)
    const open = connectClient(server.url, 'lmp-1997.caucus.labor', staying)
    try {
      await Promise.all([whenSynced(closing), whenSynced(open)])
      const closed = whenClosed(closing)
      const headers = { authorization: `Bearer ${ending}` }
      expect((await fetch(`${server.url}/api/logout`, { method: 'POST', headers })).status).toBe(
        200,
      )
      expect((await closed).code).toBe(Unauthorized.code)
      expect(open.provider.wsconnected).toBe(true)
    } finally {
      closing.destroy()
      open.destroy()
    }
  })
})

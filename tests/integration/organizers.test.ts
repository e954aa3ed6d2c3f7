/**
 * Who may start negotiations, and accounts: only organizers (the operator's ORGANIZERS and the
 * demo's mediator) start one; passwords are hashed with scrypt at N=2^17, r=8, p=1 and older hashes
 * are upgraded at the next sign-in; the password check of an existing account accepting an
 * invitation is throttled and audited like a sign-in.
 */
import { randomUUID, scryptSync } from 'node:crypto'
import type { ApiAuditEntry } from '@onetext/shared/apiTypes'
import { MAX_LOGIN_FAILURES } from '@onetext/shared/limits'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { login, startTestServer, TEST_PASSWORD } from '../helpers/testServer'

type TestServer = Awaited<ReturnType<typeof startTestServer>>

const NEW_NEGOTIATION = {
  title: 'Regional round',
  parties: ['Union Coalition', 'Management'],
  format: 'md',
  content: '# Regional round\n\n## Wages\n\nWages rise.\n',
}

/** A stored hash in the form and with the cost the server used before (N=2^14). */
function olderHash(password: string): string {
  const salt = Buffer.from('0123456789abcdef')
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N: 16384, r: 8, p: 1 })
  return `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`
}

/** Signs in over HTTP (the password check itself is under test here). */
function signIn(url: string, email: string, password: string) {
  return callApi<{ token: string }>(url, 'POST', '/api/login', null, { email, password })
}

describe('organizers', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer({
      env: { ORGANIZERS: 'Organizer@Example.org, second@example.org' },
    })
    await server.directory.createUser({
      id: randomUUID(),
      email: 'organizer@example.org',
      name: 'Operator-named organizer',
      passwordHash: olderHash(TEST_PASSWORD),
    })
  })

  afterAll(async () => {
    await server.close()
  })

  it('refuses every member of the demo but its mediator, an observer included', async () => {
    for (const email of [
      'observer@demo.test',
      'labor.lead@demo.test',
      'mgmt.member@demo.test',
      'drafter@demo.test',
    ]) {
      const token = await login(server.url, email)
      const refused = await callApi<{ error: string }>(
        server.url,
        'POST',
        '/api/negotiations',
        token,
        NEW_NEGOTIATION,
      )
      expect(refused.status, email).toBe(403)
      expect(refused.body.error).toBe('forbidden')
      const list = await callApi<unknown[]>(server.url, 'GET', '/api/negotiations', token)
      expect(list.body).toHaveLength(1)
    }
    const mediator = await login(server.url, 'mediator@demo.test')
    const audit = await callApi<ApiAuditEntry[]>(
      server.url,
      'GET',
      '/api/negotiations/lmp-1997/audit?limit=500',
      mediator,
    )
    const refusals = audit.body.filter(
      (entry) => entry.action === 'request-refused' && entry.email === 'observer@demo.test',
    )
    expect(refusals.some((entry) => entry.detail.command === 'start-negotiation')).toBe(true)
  })

  it('lets the demo’s mediator and an operator-named organizer start one', async () => {
    const mediator = await login(server.url, 'mediator@demo.test')
    expect(
      (await callApi(server.url, 'POST', '/api/negotiations', mediator, NEW_NEGOTIATION)).status,
    ).toBe(201)
    const signedIn = await signIn(server.url, 'ORGANIZER@example.org', TEST_PASSWORD)
    expect(signedIn.status).toBe(200)
    const created = await callApi<{ id: string }>(
      server.url,
      'POST',
      '/api/negotiations',
      signedIn.body.token,
      NEW_NEGOTIATION,
    )
    expect(created.status).toBe(201)
    const detail = await callApi<{ me: { role: string } }>(
      server.url,
      'GET',
      `/api/negotiations/${created.body.id}`,
      signedIn.body.token,
    )
    expect(detail.body.me.role).toBe('mediator')
  })
})

describe('passwords', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer()
  })

  afterAll(async () => {
    await server.close()
  })

  it('hashes new passwords with scrypt at N=2^17, r=8, p=1', async () => {
    const mediator = await server.directory.findUserByEmail('mediator@demo.test')
    expect(mediator?.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/)
  })

  it('upgrades an older hash at the next sign-in, and the password still works', async () => {
    const id = randomUUID()
    await server.directory.createUser({
      id,
      email: 'older@example.org',
      name: 'Older account',
      passwordHash: olderHash('an older password'),
    })
    expect((await signIn(server.url, 'older@example.org', 'wrong password')).status).toBe(401)
    expect((await server.directory.findUserById(id))?.passwordHash).toMatch(/^scrypt\$16384\$/)
    expect((await signIn(server.url, 'older@example.org', 'an older password')).status).toBe(200)
    const upgraded = (await server.directory.findUserById(id))?.passwordHash ?? ''
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/)
    expect((await signIn(server.url, 'older@example.org', 'an older password')).status).toBe(200)
    expect((await server.directory.findUserById(id))?.passwordHash).toBe(upgraded)
  })

  it('throttles and audits the password check of an existing account accepting an invitation', async () => {
    const mediator = await login(server.url, 'mediator@demo.test')
    const invite = await callApi<{ token: string }>(
      server.url,
      'POST',
      '/api/negotiations/lmp-1997/invites',
      mediator,
      { email: 'invited@example.org', role: 'observer' },
    )
    expect(invite.status).toBe(201)
    await server.directory.createUser({
      id: randomUUID(),
      email: 'invited@example.org',
      name: 'Invited',
      passwordHash: olderHash('the right password'),
    })
    const accept = (password: string) =>
      callApi(server.url, 'POST', `/api/invites/${invite.body.token}/accept`, null, { password })
    for (let attempt = 0; attempt < MAX_LOGIN_FAILURES; attempt++) {
      expect((await accept('a guess')).status).toBe(401)
    }
    const throttled = await accept('the right password')
    expect(throttled.status).toBe(429)
    // Signing in to that account from the same address is throttled too: one budget per account.
    expect((await signIn(server.url, 'invited@example.org', 'the right password')).status).toBe(429)
    const audit = await callApi<ApiAuditEntry[]>(
      server.url,
      'GET',
      '/api/negotiations/lmp-1997/audit?limit=500',
      mediator,
    )
    const failures = audit.body.filter(
      (entry) => entry.action === 'login-failed' && entry.email === 'invited@example.org',
    )
    expect(failures.length).toBeGreaterThanOrEqual(MAX_LOGIN_FAILURES)
    expect(failures.some((entry) => entry.detail.via === 'invite')).toBe(true)
    expect(failures.some((entry) => entry.detail.reason === 'throttled')).toBe(true)
  })
})

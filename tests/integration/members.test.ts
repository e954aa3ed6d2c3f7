/**
 * Member management: invitations by one-time link, role changes and removals that close the
 * member's connections at once, mediator-only endpoints, and the audit log that records it all.
 */

import type {
  ApiAuditEntry,
  CreateInviteResponse,
  InviteInfo,
  MembersResponse,
  NegotiationDetail,
} from '@onetext/shared/apiTypes'
import { AccessChanged, Forbidden } from '@onetext/shared/closeCodes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, startTestServer, TEST_PASSWORD } from '../helpers/testServer'
import { connectClient, type TestClient, whenClosed, whenSynced } from '../helpers/yClient'

const NEGOTIATION = 'lmp-1997'

describe('members and invitations', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let mediator: string
  const clients: TestClient[] = []

  beforeAll(async () => {
    server = await startTestServer()
    mediator = await login(server.url, 'mediator@demo.test')
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  function api(method: string, path: string, token: string | null, body?: unknown) {
    return fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    })
  }

  async function invite(
    email: string,
    role: string,
    partyId: string | null,
  ): Promise<CreateInviteResponse> {
    const response = await api('POST', `/api/negotiations/${NEGOTIATION}/invites`, mediator, {
      email,
      role,
      partyId,
    })
    expect(response.status).toBe(201)
    return (await response.json()) as CreateInviteResponse
  }

  it('invites a new person by one-time link; they join with the role and party given', async () => {
    const created = await invite('new.member@demo.test', 'party-member', 'mgmt')
    expect(created.path).toBe(`/invite/${created.token}`)

    const info = (await (
      await api('GET', `/api/invites/${created.token}`, null)
    ).json()) as InviteInfo
    expect(info).toMatchObject({
      email: 'new.member@demo.test',
      role: 'party-member',
      partyName: 'Management',
      accountExists: false,
    })

    expect(
      (
        await api('POST', `/api/invites/${created.token}/accept`, null, {
          name: 'Nia',
          password: 'short',
        })
      ).status,
    ).toBe(400)
    const accepted = await api('POST', `/api/invites/${created.token}/accept`, null, {
      name: 'Nia Brooks',
      password: 'a long password',
    })
    expect(accepted.status).toBe(200)
    const { token } = (await accepted.json()) as { token: string }
    const detail = (await (
      await api('GET', `/api/negotiations/${NEGOTIATION}`, token)
    ).json()) as NegotiationDetail
    expect(detail.me).toMatchObject({ role: 'party-member', partyId: 'mgmt' })
    expect(detail.documents.map((document) => document.name)).toEqual([
      'lmp-1997.layer.mgmt',
      'lmp-1997.caucus.mgmt',
      'lmp-1997.table',
      'lmp-1997.status',
    ])
    // The link works once.
    expect((await api('GET', `/api/invites/${created.token}`, null)).status).toBe(404)
    expect(
      (
        await api('POST', `/api/invites/${created.token}/accept`, null, {
          name: 'X',
          password: 'another password',
        })
      ).status,
    ).toBe(404)
    expect(await login(server.url, 'new.member@demo.test', 'a long password')).toBeTruthy()
  })

  it('asks an existing account for its password when it accepts', async () => {
    await server.directory.createNegotiation({ id: 'second', title: 'Second round' }, [
      { id: 'a', name: 'A', color: '#111111' },
      { id: 'b', name: 'B', color: '#222222' },
    ])
    const mediatorUser = await server.directory.findUserByEmail('mediator@demo.test')
    await server.directory.putMember({
      negotiationId: 'second',
      userId: mediatorUser?.id ?? '',
      role: 'mediator',
      partyId: null,
    })
    const response = await api('POST', '/api/negotiations/second/invites', mediator, {
      email: 'labor.lead@demo.test',
      role: 'party-lead',
      partyId: 'a',
    })
    const created = (await response.json()) as CreateInviteResponse
    const info = (await (
      await api('GET', `/api/invites/${created.token}`, null)
    ).json()) as InviteInfo
    expect(info.accountExists).toBe(true)
    expect(
      (await api('POST', `/api/invites/${created.token}/accept`, null, { password: 'wrong' }))
        .status,
    ).toBe(401)
    expect(
      (await api('POST', `/api/invites/${created.token}/accept`, null, { password: TEST_PASSWORD }))
        .status,
    ).toBe(200)
    const token = await login(server.url, 'labor.lead@demo.test')
    const list = (await (await api('GET', '/api/negotiations', token)).json()) as Array<{
      id: string
      role: string
    }>
    expect(list.map((entry) => [entry.id, entry.role])).toEqual([
      ['lmp-1997', 'party-lead'],
      ['second', 'party-lead'],
    ])
  })

  it('refuses invalid assignments and non-mediators', async () => {
    const bad = [
      { email: 'x@demo.test', role: 'party-lead', partyId: null },
      { email: 'x@demo.test', role: 'party-lead', partyId: 'nope' },
      { email: 'x@demo.test', role: 'mediator', partyId: 'labor' },
      { email: 'x@demo.test', role: 'king', partyId: null },
      { email: 'not-an-email', role: 'observer', partyId: null },
    ]
    for (const body of bad) {
      expect(
        (await api('POST', `/api/negotiations/${NEGOTIATION}/invites`, mediator, body)).status,
      ).toBe(400)
    }
    expect(
      (
        await api('POST', `/api/negotiations/${NEGOTIATION}/invites`, mediator, {
          email: 'drafter@demo.test',
          role: 'observer',
        })
      ).status,
    ).toBe(409)
    const lead = await login(server.url, 'mgmt.lead@demo.test')
    expect((await api('GET', `/api/negotiations/${NEGOTIATION}/members`, lead)).status).toBe(403)
    expect((await api('GET', `/api/negotiations/${NEGOTIATION}/audit`, lead)).status).toBe(403)
    expect(
      (
        await api('POST', `/api/negotiations/${NEGOTIATION}/invites`, lead, {
          email: 'y@demo.test',
          role: 'observer',
        })
      ).status,
    ).toBe(403)
  })

  it('closes a member’s connections at once when their role changes or they are removed', async () => {
    const members = (await (
      await api('GET', `/api/negotiations/${NEGOTIATION}/members`, mediator)
    ).json()) as MembersResponse
    const drafter = members.members.find((member) => member.email === 'drafter@demo.test')
    if (!drafter) throw new Error('drafter missing')
    const token = await login(server.url, 'drafter@demo.test')

    const draft = connectClient(server.url, 'lmp-1997.draft', token)
    const caucus = connectClient(server.url, 'lmp-1997.caucus.labor', token)
    clients.push(draft, caucus)
    await Promise.all([whenSynced(draft), whenSynced(caucus)])
    const closedDraft = whenClosed(draft)
    const closedCaucus = whenClosed(caucus)
    const changed = await api(
      'PATCH',
      `/api/negotiations/${NEGOTIATION}/members/${drafter.userId}`,
      mediator,
      {
        role: 'party-member',
        partyId: 'labor',
      },
    )
    expect(changed.status).toBe(200)
    expect((await closedDraft).code).toBe(AccessChanged.code)
    expect((await closedCaucus).code).toBe(AccessChanged.code)
    expect(server.connections.size).toBe(0)

    // Reconnecting gets the new access: no working draft (drafting is not open), the caucus still
    // writable.
    const detail = (await (
      await api('GET', `/api/negotiations/${NEGOTIATION}`, token)
    ).json()) as NegotiationDetail
    expect(detail.documents.find((document) => document.kind === 'draft')).toBeUndefined()

    const again = connectClient(server.url, 'lmp-1997.caucus.labor', token)
    clients.push(again)
    await whenSynced(again)
    const closedAgain = whenClosed(again)
    expect(
      (await api('DELETE', `/api/negotiations/${NEGOTIATION}/members/${drafter.userId}`, mediator))
        .status,
    ).toBe(200)
    expect((await closedAgain).code).toBe(AccessChanged.code)
    const refused = connectClient(server.url, 'lmp-1997.caucus.labor', token)
    clients.push(refused)
    expect((await whenClosed(refused)).code).toBe(Forbidden.code)
    expect((await api('GET', `/api/negotiations/${NEGOTIATION}`, token)).status).toBe(404)
  })

  it('keeps at least one mediator', async () => {
    const members = (await (
      await api('GET', `/api/negotiations/${NEGOTIATION}/members`, mediator)
    ).json()) as MembersResponse
    const self = members.members.find((member) => member.role === 'mediator')
    expect(
      (await api('DELETE', `/api/negotiations/${NEGOTIATION}/members/${self?.userId}`, mediator))
        .status,
    ).toBe(409)
    expect(
      (
        await api('PATCH', `/api/negotiations/${NEGOTIATION}/members/${self?.userId}`, mediator, {
          role: 'observer',
        })
      ).status,
    ).toBe(409)
  })

  it('records sign-ins, failures, opens, refusals and membership changes in the audit log', async () => {
    await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'mgmt.member@demo.test', password: 'wrong' }),
    })
    const entries = (await (
      await api('GET', `/api/negotiations/${NEGOTIATION}/audit?limit=500`, mediator)
    ).json()) as ApiAuditEntry[]
    const actions = new Set(entries.map((entry) => entry.action))
    for (const action of [
      'login',
      'login-failed',
      'document-open',
      'document-refused',
      'request-refused',
      'member-invited',
      'member-joined',
      'member-changed',
      'member-removed',
    ]) {
      expect(actions.has(action), action).toBe(true)
    }
    for (const entry of entries) {
      expect(entry.at).toBeGreaterThan(0)
      expect(entry.address).toBeTruthy()
    }
    // Newest first.
    expect(entries[0]?.id).toBeGreaterThan(
      entries[entries.length - 1]?.id ?? Number.POSITIVE_INFINITY,
    )
  })
})

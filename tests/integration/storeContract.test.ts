/**
 * The store contract, accounts and what surrounds the text: the same assertions against the SQLite
 * store set and the PostgreSQL one, so that STORE=postgres behaves as STORE=sqlite does (ordering,
 * nulls, "false when already used"). Documents and the cycle's records: documentStoreContract.
 */
import type { Role } from '@onetext/shared/apiTypes'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { StoreSet } from '../../server/src/storage/StoreSet'
import { postgresBackend, seedNegotiation, sqliteBackend } from '../helpers/storeBackends'

describe.each([sqliteBackend(), postgresBackend()])('the $name store set', (backend) => {
  let stores: StoreSet
  beforeAll(() => backend.setUp())
  afterAll(() => backend.tearDown())
  afterEach(() => stores.close())

  async function openWithNegotiation(): Promise<StoreSet> {
    stores = await backend.open()
    await seedNegotiation(stores)
    return stores
  }

  it('keeps users, found by id or by email in any case, one account per email', async () => {
    stores = await backend.open()
    const { directory } = stores
    expect(await directory.isEmpty()).toBe(true)
    await directory.createUser({
      id: 'u1',
      email: 'ana@example.org',
      name: 'Ana',
      passwordHash: 'h1',
    })
    expect(await directory.findUserByEmail('ANA@Example.org')).toEqual({
      id: 'u1',
      email: 'ana@example.org',
      name: 'Ana',
      passwordHash: 'h1',
    })
    expect(await directory.findUserById('u1')).toMatchObject({ email: 'ana@example.org' })
    expect(await directory.findUserById('nobody')).toBeNull()
    expect(await directory.findUserByEmail('nobody@example.org')).toBeNull()
    await expect(
      directory.createUser({
        id: 'u2',
        email: 'Ana@EXAMPLE.org',
        name: 'Other',
        passwordHash: 'h',
      }),
    ).rejects.toThrow()
    expect(await directory.findUserById('u2')).toBeNull()
    await directory.setPasswordHash('u1', 'h2')
    expect((await directory.findUserById('u1'))?.passwordHash).toBe('h2')
  })

  it('finds a session’s user only before it expires, and not after it is deleted', async () => {
    const { directory } = await openWithNegotiation()
    await directory.createSession('t1', 'u1', 2_000)
    expect((await directory.findSessionUser('t1', 1_999))?.id).toBe('u1')
    expect(await directory.findSessionUser('t1', 2_000)).toBeNull()
    expect(await directory.findSessionUser('t2', 0)).toBeNull()
    await directory.deleteSession('t1')
    expect(await directory.findSessionUser('t1', 0)).toBeNull()
  })

  it('keeps negotiations with their parties in seating order and their open-drafting switch', async () => {
    const { directory } = await openWithNegotiation()
    expect(await directory.isEmpty()).toBe(false)
    expect(await directory.findNegotiation('n1')).toEqual({
      id: 'n1',
      title: 'Round one',
      openDrafting: false,
    })
    expect(await directory.findNegotiation('n2')).toBeNull()
    expect((await directory.listParties('n1')).map((party) => party.id)).toEqual([
      'p-c',
      'p-a',
      'p-b',
    ])
    expect(await directory.listParties('n2')).toEqual([])
    await directory.setOpenDrafting('n1', true)
    expect((await directory.findNegotiation('n1'))?.openDrafting).toBe(true)
    await directory.setOpenDrafting('n1', false)
    expect((await directory.findNegotiation('n1'))?.openDrafting).toBe(false)
    await expect(directory.createNegotiation({ id: 'n1', title: 'Again' }, [])).rejects.toThrow()
  })

  it('keeps members: replaced, listed by role then name (byte order), removed once', async () => {
    const { directory } = await openWithNegotiation()
    await directory.createNegotiation({ id: 'n2', title: 'Round two' }, [])
    const people: Array<[string, string, Role, string | null]> = [
      ['u2', 'bob', 'party-member', 'p-a'],
      ['u3', 'Zoe', 'party-member', 'p-b'],
      ['u4', 'Ben', 'mediator', null],
      ['u5', 'Åsa', 'party-lead', 'p-c'],
    ]
    for (const [id, name] of people)
      await directory.createUser({ id, email: `${id}@example.org`, name, passwordHash: 'h' })
    for (const [userId, , role, partyId] of people)
      await directory.putMember({ negotiationId: 'n1', userId, role, partyId })
    await directory.putMember({
      negotiationId: 'n1',
      userId: 'u1',
      role: 'observer',
      partyId: null,
    })
    await directory.putMember({
      negotiationId: 'n1',
      userId: 'u1',
      role: 'party-member',
      partyId: 'p-a',
    })
    await directory.putMember({
      negotiationId: 'n2',
      userId: 'u1',
      role: 'mediator',
      partyId: null,
    })

    expect(await directory.findMember('n1', 'u1')).toEqual({
      negotiationId: 'n1',
      userId: 'u1',
      role: 'party-member',
      partyId: 'p-a',
    })
    expect(await directory.findMember('n1', 'nobody')).toBeNull()
    expect((await directory.listMembers('n1')).map((member) => member.name)).toEqual([
      'Ben',
      'Åsa',
      'Ana',
      'Zoe',
      'bob',
    ])
    expect((await directory.listMembers('n1'))[0]).toEqual({
      negotiationId: 'n1',
      userId: 'u4',
      role: 'mediator',
      partyId: null,
      name: 'Ben',
      email: 'u4@example.org',
    })
    expect(await directory.listMemberships('u1')).toEqual([
      {
        negotiationId: 'n1',
        userId: 'u1',
        role: 'party-member',
        partyId: 'p-a',
        title: 'Round one',
      },
      { negotiationId: 'n2', userId: 'u1', role: 'mediator', partyId: null, title: 'Round two' },
    ])
    expect(await directory.removeMember('n1', 'u1')).toBe(true)
    expect(await directory.removeMember('n1', 'u1')).toBe(false)
    expect(await directory.findMember('n1', 'u1')).toBeNull()
  })

  it('uses an invitation once, and lists only the open ones, newest first', async () => {
    const { directory } = await openWithNegotiation()
    const invite = (tokenHash: string, createdAt: number, expiresAt: number) => ({
      tokenHash,
      negotiationId: 'n1',
      email: `${tokenHash}@example.org`,
      role: 'party-member' as const,
      partyId: 'p-a',
      createdBy: 'u1',
      createdAt,
      expiresAt,
      usedAt: null,
    })
    await directory.createInvite(invite('i1', 100, 10_000))
    await directory.createInvite(invite('i2', 200, 10_000))
    await directory.createInvite(invite('i3', 300, 500))
    await directory.createInvite({ ...invite('i4', 400, 10_000), partyId: null, role: 'observer' })
    expect(await directory.findInvite('i1')).toEqual(invite('i1', 100, 10_000))
    expect(await directory.findInvite('nope')).toBeNull()
    expect(await directory.useInvite('i2', 600)).toBe(true)
    expect(await directory.useInvite('i2', 700)).toBe(false)
    expect(await directory.useInvite('nope', 700)).toBe(false)
    expect((await directory.findInvite('i2'))?.usedAt).toBe(600)
    const open = await directory.listOpenInvites('n1', 1_000)
    expect(open.map((entry) => entry.tokenHash)).toEqual(['i4', 'i1'])
    expect(open[0]?.partyId).toBeNull()
  })

  it('keeps the audit log: a negotiation’s entries and its members’ sign-ins, newest first', async () => {
    const { audit, directory } = await openWithNegotiation()
    await directory.createUser({
      id: 'u2',
      email: 'u2@example.org',
      name: 'Out',
      passwordHash: 'h',
    })
    await directory.putMember({
      negotiationId: 'n1',
      userId: 'u1',
      role: 'mediator',
      partyId: null,
    })
    audit.record({ action: 'login', userId: 'u1', email: 'ana@example.org', address: '10.0.0.1' })
    audit.record({ action: 'login', userId: 'u2', email: 'u2@example.org' })
    audit.record({
      action: 'document-open',
      negotiationId: 'n1',
      userId: 'u1',
      detail: { doc: 'n1.draft', n: 1 },
    })
    audit.record({ action: 'member-changed', negotiationId: 'n1', detail: { from: 'a', to: null } })
    audit.record({ action: 'document-open', negotiationId: 'n2' })
    const all = await audit.listForNegotiation('n1', 10)
    expect(all.map((entry) => entry.action)).toEqual(['member-changed', 'document-open', 'login'])
    expect(all[1]).toMatchObject({
      negotiationId: 'n1',
      userId: 'u1',
      email: null,
      address: null,
      detail: { doc: 'n1.draft', n: 1 },
    })
    expect(all[2]).toMatchObject({ negotiationId: null, address: '10.0.0.1', detail: {} })
    expect(all[0]?.id).toBeGreaterThan(all[1]?.id ?? Number.POSITIVE_INFINITY)
    expect(typeof all[0]?.at).toBe('number')
    expect((await audit.listForNegotiation('n1', 1)).map((entry) => entry.id)).toEqual([all[0]?.id])
    expect(
      (await audit.listForNegotiation('n1', 10, all[0]?.id)).map((entry) => entry.action),
    ).toEqual(['document-open', 'login'])
    await audit.flush()
  })

  it('keeps local supplements, oldest first', async () => {
    const { supplements } = await openWithNegotiation()
    const record = (id: string, createdAt: number) => ({
      negotiationId: 'n1',
      id,
      ownerUserId: 'u1',
      title: `Local ${id}`,
      baseIteration: 2,
      createdAt,
    })
    await supplements.create(record('s2', 200))
    await supplements.create(record('s1', 100))
    await expect(supplements.create(record('s1', 300))).rejects.toThrow()
    expect(await supplements.find('n1', 's1')).toEqual(record('s1', 100))
    expect(await supplements.find('n1', 's9')).toBeNull()
    expect(await supplements.list('n1')).toEqual([record('s1', 100), record('s2', 200)])
    expect(await supplements.list('n2')).toEqual([])
  })

  it('keeps each member’s reading of the feed: seen moves forward only, mail choices replaced', async () => {
    const { readers, directory } = await openWithNegotiation()
    await directory.createUser({ id: 'u2', email: 'u2@example.org', name: 'Bo', passwordHash: 'h' })
    expect(await readers.get('n1', 'u1')).toEqual({ seenAt: 0, mailKinds: [] })
    expect(await readers.change('n1', 'u1', {})).toEqual({ seenAt: 0, mailKinds: [] })
    expect(await readers.change('n1', 'u1', { seenAt: 500 })).toEqual({
      seenAt: 500,
      mailKinds: [],
    })
    expect(
      await readers.change('n1', 'u1', { seenAt: 400, mailKinds: ['iteration', 'published'] }),
    ).toEqual({
      seenAt: 500,
      mailKinds: ['iteration', 'published'],
    })
    await readers.change('n1', 'u2', { mailKinds: ['published'] })
    expect(await readers.mailedAbout('n1', 'published')).toEqual(['u1', 'u2'])
    expect(await readers.mailedAbout('n1', 'iteration')).toEqual(['u1'])
    expect(await readers.mailedAbout('n1', 'vote-opened')).toEqual([])
    await readers.change('n1', 'u1', { mailKinds: [] })
    expect(await readers.mailedAbout('n1', 'iteration')).toEqual([])
    expect(await readers.get('n1', 'u1')).toEqual({ seenAt: 500, mailKinds: [] })
  })
})

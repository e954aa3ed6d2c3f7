/**
 * The store contract: the same assertions against the SQLite store set and the PostgreSQL one, so
 * that STORE=postgres behaves as STORE=sqlite does (ordering, nulls, "false when already used",
 * compaction never moving a snapshot backwards, entries set aside, commits that write all or
 * nothing).
 */
import type { Role } from '@onetext/shared/apiTypes'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { IterationRecord, SignoffRecord } from '../../server/src/storage/IterationStore'
import type { StoreSet } from '../../server/src/storage/StoreSet'
import { postgresBackend, sqliteBackend } from '../helpers/storeBackends'

const bytes = (...values: number[]) => new Uint8Array(values)

function iteration(number: number, negotiationId = 'n1'): IterationRecord {
  return {
    negotiationId,
    number,
    createdAt: 1_700_000_000_000 + number,
    createdBy: 'u1',
    note: `note ${number}`,
    publishedNote: `record ${number}`,
    published: false,
    snapshot: bytes(number, 2, 3),
    doc: { type: 'doc', content: [{ type: 'paragraph' }] },
    clauses: [],
    html: `<p>Café – § ${number}</p>`,
    markdown: `Café – § ${number}`,
  }
}

function signoff(clauseId: string, partyId: string, initials: string): SignoffRecord {
  return {
    negotiationId: 'n1',
    clauseId,
    partyId,
    userId: `lead-${partyId}`,
    name: `Lead ${partyId}`,
    initials,
    at: 1_700_000_000_500,
    iteration: 1,
  }
}

describe.each([sqliteBackend(), postgresBackend()])('the $name store set', (backend) => {
  let stores: StoreSet
  beforeAll(() => backend.setUp())
  afterAll(() => backend.tearDown())
  afterEach(() => stores.close())

  async function openWithNegotiation(): Promise<StoreSet> {
    stores = await backend.open()
    await stores.directory.createUser({
      id: 'u1',
      email: 'ana@example.org',
      name: 'Ana',
      passwordHash: 'h1',
    })
    await stores.directory.createNegotiation({ id: 'n1', title: 'Round one' }, [
      { id: 'p-c', name: 'Third', color: '#333333' },
      { id: 'p-a', name: 'First', color: '#111111' },
      { id: 'p-b', name: 'Second', color: '#222222' },
    ])
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

  it('appends a batch, loads it in order, and compacts without ever moving a snapshot backwards', async () => {
    stores = await backend.open()
    const { documents } = stores
    expect(await documents.load('d1')).toEqual({
      snapshot: null,
      snapshotSeq: 0,
      snapshotIntact: null,
      updates: [],
      seqs: [],
      lastSeq: 0,
    })
    expect(await documents.exists('d1')).toBe(false)
    expect(await documents.append([])).toEqual(new Map())
    const written = await documents.append([
      { docName: 'd1', update: bytes(1) },
      { docName: 'd2', update: bytes(2) },
      { docName: 'd1', update: bytes(3) },
    ])
    expect([...written.keys()]).toEqual(['d1', 'd2'])
    const first = await documents.load('d1')
    expect(first.updates).toEqual([bytes(1), bytes(3)])
    expect(first.seqs[0]).toBeLessThan(first.seqs[1] ?? 0)
    expect(first.lastSeq).toBe(written.get('d1'))
    expect(await documents.tailLength('d1')).toBe(2)
    expect(await documents.exists('d2')).toBe(true)

    await documents.compact('d1', bytes(9, 9), first.lastSeq)
    const compacted = await documents.load('d1')
    expect(compacted).toMatchObject({
      snapshot: bytes(9, 9),
      snapshotSeq: first.lastSeq,
      snapshotIntact: true,
      updates: [],
      seqs: [],
      lastSeq: first.lastSeq,
    })
    expect(await documents.tailLength('d1')).toBe(0)
    expect(await documents.exists('d1')).toBe(true)

    const later = await documents.append([{ docName: 'd1', update: bytes(4) }])
    const laterSeq = later.get('d1') ?? 0
    expect(laterSeq).toBeGreaterThan(first.lastSeq)
    await documents.compact('d1', bytes(8), laterSeq)
    // A late compaction up to an older entry keeps the newer snapshot's place.
    await documents.compact('d1', bytes(7), first.lastSeq)
    expect(await documents.load('d1')).toMatchObject({ snapshot: bytes(7), snapshotSeq: laterSeq })
    expect((await documents.load('d2')).updates).toEqual([bytes(2)])
  })

  it('tells a snapshot cut after it was written', async () => {
    stores = await backend.open()
    const seq = (await stores.documents.append([{ docName: 'd1', update: bytes(1) }])).get('d1')
    await stores.documents.compact('d1', bytes(1, 2, 3, 4), seq ?? 0)
    await backend.execute("UPDATE doc_snapshots SET data = substr(data, 1, 2) WHERE doc = 'd1'")
    expect(await stores.documents.load('d1')).toMatchObject({
      snapshot: bytes(1, 2),
      snapshotIntact: false,
    })
  })

  it('sets entries aside: moved or copied once, a snapshot only while it is the one read', async () => {
    stores = await backend.open()
    const { documents } = stores
    const written = await documents.append([
      { docName: 'd1', update: bytes(1) },
      { docName: 'd1', update: bytes(2) },
      { docName: 'd1', update: bytes(3) },
    ])
    const [s1, s2] = (await documents.load('d1')).seqs as [number, number, number]
    await documents.setAside('d1', [])
    await documents.setAside('d1', [
      { kind: 'update', seq: s1, reason: 'unreadable', remove: true },
      { kind: 'update', seq: s2, reason: 'builds on a missing entry', remove: false },
    ])
    await documents.setAside('d1', [
      { kind: 'update', seq: s2, reason: 'builds on a missing entry', remove: false },
    ])
    expect((await documents.load('d1')).updates).toEqual([bytes(2), bytes(3)])
    const aside = await documents.listSetAside('d1')
    expect(aside.map(({ kind, seq, data, reason }) => ({ kind, seq, data, reason }))).toEqual([
      { kind: 'update', seq: s1, data: bytes(1), reason: 'unreadable' },
      { kind: 'update', seq: s2, data: bytes(2), reason: 'builds on a missing entry' },
    ])
    expect(aside[0]?.docName).toBe('d1')
    expect(typeof aside[0]?.setAsideAt).toBe('number')
    expect(await documents.countSetAside()).toBe(2)

    await documents.compact('d1', bytes(5, 5), written.get('d1') ?? 0)
    const snapshotSeq = (await documents.load('d1')).snapshotSeq
    await documents.setAside('d1', [
      { kind: 'snapshot', seq: snapshotSeq, reason: 'stale read', remove: true, data: bytes(6) },
    ])
    expect((await documents.load('d1')).snapshot).toEqual(bytes(5, 5))
    await documents.setAside('d1', [
      { kind: 'snapshot', seq: snapshotSeq, reason: 'unreadable', remove: true, data: bytes(5, 5) },
    ])
    expect(await documents.load('d1')).toMatchObject({
      snapshot: null,
      snapshotSeq: 0,
      updates: [],
    })
    expect((await documents.listSetAside('d1')).map((entry) => entry.kind)).toEqual([
      'update',
      'update',
      'snapshot',
    ])
    expect(await documents.listSetAside('d2')).toEqual([])
    expect(await documents.countSetAside()).toBe(3)
  })

  it('commits record changes with the status update, all or nothing', async () => {
    const { iterations, documents } = await openWithNegotiation()
    const projection = (value: number) => ({ docName: 'n1.status', update: bytes(value) })
    expect(await iterations.lastNumber('n1')).toBe(0)
    expect(await iterations.get('n1', 1)).toBeNull()
    const seq = await iterations.commit(
      [{ kind: 'iteration-insert', record: iteration(1) }],
      projection(1),
    )
    expect((await documents.load('n1.status')).seqs).toEqual([seq])
    expect(await iterations.get('n1', 1)).toEqual(iteration(1))
    expect(await iterations.lastNumber('n1')).toBe(1)

    await expect(
      iterations.commit([{ kind: 'iteration-insert', record: iteration(3) }], projection(2)),
    ).rejects.toBeInstanceOf(RangeError)
    await expect(
      iterations.commit(
        [
          { kind: 'signoff-put', signoff: signoff('c1', 'p-a', 'AA') },
          { kind: 'iteration-publish', negotiationId: 'n1', number: 7, published: true },
        ],
        projection(3),
      ),
    ).rejects.toBeInstanceOf(RangeError)
    expect((await documents.load('n1.status')).updates).toEqual([bytes(1)])
    expect(await iterations.signoffs('n1')).toEqual([])
    expect(await iterations.lastNumber('n1')).toBe(1)

    await iterations.commit(
      [
        { kind: 'iteration-insert', record: { ...iteration(2), published: true } },
        { kind: 'iteration-publish', negotiationId: 'n1', number: 1, published: true },
      ],
      projection(4),
    )
    await iterations.commit(
      [{ kind: 'iteration-publish', negotiationId: 'n1', number: 2, published: false }],
      projection(5),
    )
    expect(await iterations.list('n1')).toEqual([
      {
        number: 1,
        createdAt: 1_700_000_000_001,
        note: 'note 1',
        publishedNote: 'record 1',
        published: true,
        createdBy: 'u1',
      },
      {
        number: 2,
        createdAt: 1_700_000_000_002,
        note: 'note 2',
        publishedNote: 'record 2',
        published: false,
        createdBy: 'u1',
      },
    ])
    expect(await iterations.list('n2')).toEqual([])
    expect((await documents.load('n1.status')).updates).toEqual([bytes(1), bytes(4), bytes(5)])
  })

  it('keeps sign-offs: put, replaced, cleared per clause, listed by clause then party', async () => {
    const { iterations } = await openWithNegotiation()
    const projection = { docName: 'n1.status', update: bytes(1) }
    await iterations.commit(
      [
        { kind: 'signoff-put', signoff: signoff('c2', 'p-b', 'BB') },
        { kind: 'signoff-put', signoff: signoff('c1', 'p-b', 'B1') },
        { kind: 'signoff-put', signoff: signoff('c1', 'p-a', 'A1') },
        { kind: 'signoff-put', signoff: signoff('C3', 'p-a', 'A3') },
      ],
      projection,
    )
    await iterations.commit(
      [{ kind: 'signoff-put', signoff: { ...signoff('c1', 'p-a', 'AX'), iteration: 2 } }],
      projection,
    )
    const listed = await iterations.signoffs('n1')
    expect(listed.map((entry) => `${entry.clauseId}/${entry.partyId}/${entry.initials}`)).toEqual([
      'C3/p-a/A3',
      'c1/p-a/AX',
      'c1/p-b/B1',
      'c2/p-b/BB',
    ])
    expect(listed[1]).toEqual({ ...signoff('c1', 'p-a', 'AX'), iteration: 2 })
    await iterations.commit(
      [{ kind: 'signoffs-clear', negotiationId: 'n1', clauseIds: ['c1', 'C3'] }],
      projection,
    )
    expect((await iterations.signoffs('n1')).map((entry) => entry.clauseId)).toEqual(['c2'])
  })

  it('imports sign-offs kept by an earlier version once', async () => {
    const { iterations } = await openWithNegotiation()
    expect(await iterations.signoffsImported('n1')).toBe(true)
    await iterations.importSignoffs('n1', [signoff('c1', 'p-a', 'AA')])
    expect(await iterations.signoffs('n1')).toEqual([])
    await backend.execute('DELETE FROM signoff_imports')
    expect(await iterations.signoffsImported('n1')).toBe(false)
    await iterations.importSignoffs('n1', [signoff('c1', 'p-a', 'AA')])
    await iterations.importSignoffs('n1', [signoff('c2', 'p-a', 'AA')])
    expect(await iterations.signoffsImported('n1')).toBe(true)
    expect((await iterations.signoffs('n1')).map((entry) => entry.clauseId)).toEqual(['c1'])
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

/**
 * The store contract, documents and the cycle's records: the same assertions against the SQLite
 * store set and the PostgreSQL one (append, load, compaction never moving a snapshot backwards,
 * checksums, entries set aside, commits of record changes with the status update, all or nothing).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { IterationRecord, SignoffRecord } from '../../server/src/storage/IterationStore'
import type { StoreSet } from '../../server/src/storage/StoreSet'
import { postgresBackend, seedNegotiation, sqliteBackend } from '../helpers/storeBackends'

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
    await seedNegotiation(stores)
    return stores
  }

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
    // A late compaction of an older state (written on another connection after the newer one)
    // leaves the newer snapshot: its bytes would lack the entries the newer one covers.
    await documents.compact('d1', bytes(7), first.lastSeq)
    expect(await documents.load('d1')).toMatchObject({ snapshot: bytes(8), snapshotSeq: laterSeq })
    expect((await documents.load('d2')).updates).toEqual([bytes(2)])
  })

  it('lists every document written, in its log or its snapshot, and records the document format', async () => {
    stores = await backend.open()
    const { documents } = stores
    expect(await documents.documentNames()).toEqual([])
    expect(await documents.documentFormat()).toBe(0)
    const seq = (
      await documents.append([
        { docName: 'd1', update: bytes(1) },
        { docName: 'd2', update: bytes(2) },
        { docName: 'd1', update: bytes(3) },
      ])
    ).get('d2')
    await documents.compact('d2', bytes(2), seq ?? 0)
    expect((await documents.documentNames()).sort()).toEqual(['d1', 'd2'])
    await documents.setDocumentFormat(2)
    await documents.setDocumentFormat(3)
    expect(await documents.documentFormat()).toBe(3)
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
})

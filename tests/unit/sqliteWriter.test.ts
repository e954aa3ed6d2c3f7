import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE, openSqliteDatabase } from '../../server/src/storage/SqliteDatabase'
import { SqliteDirectory } from '../../server/src/storage/SqliteDirectory'
import { SqliteDocumentStore } from '../../server/src/storage/SqliteDocumentStore'
import { SqliteIterationStore } from '../../server/src/storage/SqliteIterationStore'
import { SqliteSupplementStore } from '../../server/src/storage/SqliteSupplementStore'
import { SqliteWriter, WriterError } from '../../server/src/storage/SqliteWriter'
import { SIMULATED_FAILURE, StorageFaults } from '../../server/src/storage/StorageFaults'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('SqliteWriter (documents written on their own thread)', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  function open(faults: StorageFaults | null = null) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-writer-'))
    const db = openSqliteDatabase(dir)
    const writer = new SqliteWriter(path.join(dir, DATABASE_FILE), faults)
    const store = new SqliteDocumentStore(db, writer)
    cleanups.push(async () => {
      await writer.close()
      db.close()
      fs.rmSync(dir, { recursive: true, force: true })
    })
    return { db, writer, store }
  }

  /** A negotiation with two parties and one user, written through `directory`. */
  async function seedNegotiation(directory: SqliteDirectory) {
    await directory.createUser({ id: 'u1', email: 'a@x.test', name: 'A', passwordHash: 'h' })
    await directory.createNegotiation({ id: 'n1', title: 'N' }, [
      { id: 'p', name: 'P', color: '#000000' },
      { id: 'q', name: 'Q', color: '#ffffff' },
    ])
  }

  it('appends a batch for several documents in order and the main connection reads it back', async () => {
    const { store } = open()
    // Views into one larger buffer: only each view's bytes may be stored.
    const shared = bytes(9, 1, 2, 3, 9, 4, 5, 9)
    const seqs = await store.append([
      { docName: 'a', update: shared.subarray(1, 4) },
      { docName: 'b', update: shared.subarray(5, 7) },
      { docName: 'a', update: bytes(6) },
    ])
    expect(seqs.get('a')).toBeGreaterThan(seqs.get('b') ?? Number.POSITIVE_INFINITY)
    const a = await store.load('a')
    expect(a.updates).toEqual([bytes(1, 2, 3), bytes(6)])
    expect(a.lastSeq).toBe(seqs.get('a'))
    expect((await store.load('b')).updates).toEqual([bytes(4, 5)])
  })

  it('compacts on the writer thread, never moving a snapshot backwards', async () => {
    const { store } = open()
    const first = await store.append([{ docName: 'a', update: bytes(1) }])
    const second = await store.append([{ docName: 'a', update: bytes(2) }])
    await store.compact('a', bytes(1, 2), second.get('a') ?? 0)
    // A late compaction of an older state leaves the newer snapshot (the older one lacks entries
    // the newer one covers) and brings back nothing.
    await store.compact('a', bytes(1), first.get('a') ?? 0)
    const loaded = await store.load('a')
    expect(loaded.snapshot).toEqual(bytes(1, 2))
    expect(loaded.updates).toEqual([])
    expect(await store.tailLength('a')).toBe(0)
  })

  it('writes a checksum with each snapshot and reports whether the bytes read still match it', async () => {
    const { db, store } = open()
    expect((await store.load('a')).snapshotIntact).toBeNull()
    await store.compact('a', bytes(1, 2, 3), 0)
    expect((await store.load('a')).snapshotIntact).toBe(true)
    db.prepare("UPDATE doc_snapshots SET data = X'010203ff' WHERE doc = 'a'").run()
    expect((await store.load('a')).snapshotIntact).toBe(false)
    db.prepare("UPDATE doc_snapshots SET checksum = NULL WHERE doc = 'a'").run()
    expect((await store.load('a')).snapshotIntact).toBeNull()
  })

  it('rejects what was in flight when its thread fails, and starts a new thread for the next write', async () => {
    const { db, store, writer } = open()
    await store.append([{ docName: 'a', update: bytes(1) }])
    const failed = (writer as unknown as { worker: Worker }).worker
    // Hold the write lock on the main connection so that the next append is surely in flight
    // (the thread waits for the lock) when the thread is reported failed.
    db.exec('BEGIN IMMEDIATE')
    const inFlight = store.append([{ docName: 'a', update: bytes(2) }])
    const failedThreadAnswered = new Promise((resolve) => failed.once('message', resolve))
    failed.emit('error', new Error('writer thread failed (simulated)'))
    await expect(inFlight).rejects.toThrow(/simulated/)
    // A write sent now goes to a new thread, which waits for the lock like the old one.
    const next = store.append([{ docName: 'a', update: bytes(3) }])
    db.exec('ROLLBACK')
    await next
    // The failed thread's late answer changes nothing; once idle it can be stopped safely (a thread
    // terminated inside a statement would abort the process).
    await failedThreadAnswered
    await failed.terminate()
    await store.append([{ docName: 'a', update: bytes(4) }])
    const updates = (await store.load('a')).updates
    // The failed thread's write (2) may land before or after the new thread's (3).
    expect(updates[0]).toEqual(bytes(1))
    expect(updates).toContainEqual(bytes(3))
    expect(updates.at(-1)).toEqual(bytes(4))
  })

  it('refuses writes after it is closed', async () => {
    const { writer, store } = open()
    await store.append([{ docName: 'a', update: bytes(1) }])
    await writer.close()
    await expect(store.append([{ docName: 'a', update: bytes(2) }])).rejects.toThrow(/closed/)
  })

  it('writes accounts, negotiations, members and invitations on the thread; the main connection reads them at once', async () => {
    const { db, writer } = open()
    const directory = new SqliteDirectory(db, writer)
    await seedNegotiation(directory)
    expect(await directory.listParties('n1')).toEqual([
      { id: 'p', name: 'P', color: '#000000' },
      { id: 'q', name: 'Q', color: '#ffffff' },
    ])
    await directory.putMember({
      negotiationId: 'n1',
      userId: 'u1',
      role: 'party-lead',
      partyId: 'p',
    })
    await directory.putMember({
      negotiationId: 'n1',
      userId: 'u1',
      role: 'observer',
      partyId: null,
    })
    expect(await directory.findMember('n1', 'u1')).toMatchObject({
      role: 'observer',
      partyId: null,
    })
    const invite = {
      tokenHash: 't1',
      negotiationId: 'n1',
      email: 'b@x.test',
      role: 'party-member' as const,
      partyId: 'q',
      createdBy: 'u1',
      createdAt: 1,
      expiresAt: Date.now() + 60_000,
      usedAt: null,
    }
    await directory.createInvite(invite)
    expect(await directory.useInvite('t1', 5)).toBe(true)
    expect(await directory.useInvite('t1', 6)).toBe(false)
    expect((await directory.findInvite('t1'))?.usedAt).toBe(5)
    expect(await directory.removeMember('n1', 'u1')).toBe(true)
    expect(await directory.removeMember('n1', 'u1')).toBe(false)
    // A constraint the database enforces still fails the write, with SQLite's code.
    const duplicate = directory.createUser({
      id: 'u2',
      email: 'A@x.test',
      name: 'B',
      passwordHash: 'h',
    })
    await expect(duplicate).rejects.toBeInstanceOf(WriterError)
    await expect(duplicate).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' })
  })

  it('creates a negotiation and its parties in one transaction', async () => {
    const { db, writer } = open()
    const directory = new SqliteDirectory(db, writer)
    // The second party repeats the first's id: nothing of the negotiation may be stored.
    await expect(
      directory.createNegotiation({ id: 'n2', title: 'Broken' }, [
        { id: 'p', name: 'P', color: '#000000' },
        { id: 'p', name: 'P again', color: '#000000' },
      ]),
    ).rejects.toThrow(/UNIQUE/)
    expect(await directory.findNegotiation('n2')).toBeNull()
    expect(await directory.listParties('n2')).toEqual([])
  })

  it('commits iterations only in sequence (RangeError otherwise) with their projection, or nothing of either', async () => {
    const { db, writer, store } = open()
    const directory = new SqliteDirectory(db, writer)
    await seedNegotiation(directory)
    const iterations = new SqliteIterationStore(db, writer)
    const record = (number: number) => ({
      negotiationId: 'n1',
      number,
      createdAt: number,
      createdBy: 'u1',
      note: `note ${number}`,
      publishedNote: `for the record ${number}`,
      published: false,
      snapshot: bytes(1, 2, number),
      doc: { type: 'doc', content: [] },
      clauses: [],
      html: `<p>Café – § ${number}</p>`,
      markdown: `Café – § ${number}`,
    })
    const projection = (marker: number) => ({ docName: 'n1.status', update: bytes(9, marker) })
    const insert = (number: number) =>
      iterations.commit([{ kind: 'iteration-insert', record: record(number) }], projection(number))
    const seq = await insert(1)
    await expect(insert(3)).rejects.toBeInstanceOf(RangeError)
    await expect(insert(1)).rejects.toThrow(/does not follow/)
    await insert(2)
    expect(await iterations.lastNumber('n1')).toBe(2)
    const publish = (number: number) =>
      iterations.commit(
        [{ kind: 'iteration-publish', negotiationId: 'n1', number, published: true }],
        projection(100 + number),
      )
    await publish(2)
    await expect(publish(9)).rejects.toThrow(/no iteration 9/)
    // Only the projections of the commits that succeeded are in the log, the first at `seq`.
    const log = await store.load('n1.status')
    expect(log.updates).toEqual([bytes(9, 1), bytes(9, 2), bytes(9, 102)])
    expect(log.seqs[0]).toBe(seq)
    const second = await iterations.get('n1', 2)
    // The large texts travel as UTF-8 bytes and are stored as text.
    expect(second).toMatchObject({
      note: 'note 2',
      publishedNote: 'for the record 2',
      published: true,
      doc: { type: 'doc' },
      clauses: [],
      html: '<p>Café – § 2</p>',
      markdown: 'Café – § 2',
    })
    expect(second?.snapshot).toEqual(bytes(1, 2, 2))

    const supplements = new SqliteSupplementStore(db, writer)
    await supplements.create({
      negotiationId: 'n1',
      id: 's1',
      ownerUserId: 'u1',
      title: 'Local',
      baseIteration: 2,
      createdAt: 3,
    })
    expect(await supplements.find('n1', 's1')).toMatchObject({ title: 'Local', baseIteration: 2 })
  })

  it('keeps sign-offs: put, replaced, cleared per clause, imported once', async () => {
    const { db, writer } = open()
    const directory = new SqliteDirectory(db, writer)
    await seedNegotiation(directory)
    const iterations = new SqliteIterationStore(db, writer)
    const signoff = (clauseId: string, partyId: string, initials: string) => ({
      negotiationId: 'n1',
      clauseId,
      partyId,
      userId: 'u1',
      name: 'Ann',
      initials,
      at: 5,
      iteration: 1,
    })
    // A negotiation created by this version keeps its sign-offs in SQL from the start.
    expect(await iterations.signoffsImported('n1')).toBe(true)
    await iterations.importSignoffs('n1', [signoff('c9', 'p', 'XX')])
    expect(await iterations.signoffs('n1')).toEqual([])
    const put = (row: ReturnType<typeof signoff>) =>
      iterations.commit([{ kind: 'signoff-put', signoff: row }], {
        docName: 'n1.status',
        update: bytes(1),
      })
    await put(signoff('c1', 'p', 'AA'))
    await put(signoff('c1', 'p', 'AB'))
    await put(signoff('c2', 'p', 'AC'))
    expect((await iterations.signoffs('n1')).map((row) => row.initials)).toEqual(['AB', 'AC'])
    await iterations.commit([{ kind: 'signoffs-clear', negotiationId: 'n1', clauseIds: ['c1'] }], {
      docName: 'n1.status',
      update: bytes(2),
    })
    expect(await iterations.signoffs('n1')).toEqual([signoff('c2', 'p', 'AC')])
    // A negotiation from before the table: imported once, and never again.
    db.prepare('DELETE FROM signoff_imports').run()
    expect(await iterations.signoffsImported('n1')).toBe(false)
    await iterations.importSignoffs('n1', [signoff('c5', 'p', 'OLD')])
    await iterations.importSignoffs('n1', [signoff('c6', 'p', 'AGAIN')])
    expect((await iterations.signoffs('n1')).map((row) => row.clauseId)).toEqual(['c2', 'c5'])
  })

  it('fails the commits a test chooses, writing nothing of them, and then writes again', async () => {
    const faults = new StorageFaults()
    const { store } = open(faults)
    faults.failNext(2, ['append'])
    await expect(store.append([{ docName: 'a', update: bytes(1) }])).rejects.toThrow(
      SIMULATED_FAILURE,
    )
    // Another operation is not counted against the append failures.
    await store.compact('b', bytes(9), 0)
    await expect(store.append([{ docName: 'a', update: bytes(2) }])).rejects.toThrow(
      SIMULATED_FAILURE,
    )
    await store.append([{ docName: 'a', update: bytes(3) }])
    expect((await store.load('a')).updates).toEqual([bytes(3)])
    faults.breakDisk()
    await expect(store.compact('b', bytes(8), 0)).rejects.toThrow(SIMULATED_FAILURE)
    expect((await store.load('b')).snapshot).toEqual(bytes(9))
    faults.repair()
    await store.compact('b', bytes(8), 0)
    expect((await store.load('b')).snapshot).toEqual(bytes(8))
    expect(faults.failed).toBe(3)
  })
})

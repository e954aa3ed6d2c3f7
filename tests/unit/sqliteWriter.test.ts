import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE, openSqliteDatabase } from '../../server/src/storage/SqliteDatabase'
import { SqliteDocumentStore } from '../../server/src/storage/SqliteDocumentStore'
import { SqliteWriter } from '../../server/src/storage/SqliteWriter'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('SqliteWriter (documents written on their own thread)', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  function open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-writer-'))
    const db = openSqliteDatabase(dir)
    const writer = new SqliteWriter(path.join(dir, DATABASE_FILE))
    const store = new SqliteDocumentStore(db, writer)
    cleanups.push(async () => {
      await writer.close()
      db.close()
      fs.rmSync(dir, { recursive: true, force: true })
    })
    return { db, writer, store }
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
    // A late compaction up to an older entry must not bring back or hide anything.
    await store.compact('a', bytes(1), first.get('a') ?? 0)
    const loaded = await store.load('a')
    expect(loaded.snapshot).toEqual(bytes(1))
    expect(loaded.updates).toEqual([])
    expect(await store.tailLength('a')).toBe(0)
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
    const { writer } = open()
    await writer.append([{ docName: 'a', update: bytes(1) }])
    await writer.close()
    await expect(writer.append([{ docName: 'a', update: bytes(2) }])).rejects.toThrow(/closed/)
  })
})

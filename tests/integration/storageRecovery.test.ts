/**
 * Storage that survives a bad entry and a failing disk: a stored log entry or snapshot that cannot
 * be read is set aside (kept with the reason, counted, logged) and the document loads from the rest;
 * a truncated log tail is cut with a warning; while the disk refuses writes, edits stay in memory,
 * their writers are told their edits are not saved, and nothing is lost once it recovers.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openSqliteDatabase } from '../../server/src/storage/SqliteDatabase'
import { StorageFaults } from '../../server/src/storage/StorageFaults'
import { storageMetrics } from '../../server/src/storage/storageMetrics'
import {
  loadStoredDoc,
  login,
  makeDataDir,
  startTestServer,
  TEST_PASSWORD,
} from '../helpers/testServer'
import {
  appendParagraph,
  connectClient,
  plainText,
  type TestClient,
  whenSynced,
} from '../helpers/yClient'

const DRAFT = 'lmp-1997.draft'
/** Bytes that are not an update (a count beyond every safe integer). */
const GARBAGE = new Uint8Array(12).fill(255)

type Server = Awaited<ReturnType<typeof startTestServer>>

describe('storage recovery', () => {
  const clients: TestClient[] = []
  const servers: Server[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    for (const server of servers.splice(0)) await server.close()
  })

  async function start(dataDir: string, options: Parameters<typeof startTestServer>[0] = {}) {
    const server = await startTestServer({ ...options, dataDir })
    servers.push(server)
    return server
  }

  async function stop(server: Server): Promise<void> {
    servers.splice(servers.indexOf(server), 1)
    await server.close()
  }

  async function connectAs(server: Server, email: string): Promise<TestClient> {
    const client = connectClient(server.url, DRAFT, await login(server.url, email, TEST_PASSWORD))
    clients.push(client)
    await whenSynced(client)
    return client
  }

  /** Writes `paragraph` through a server on `dataDir`, which compacts the draft when it stops. */
  async function storeDraftWith(dataDir: string, paragraph: string): Promise<void> {
    const server = await start(dataDir)
    const client = await connectAs(server, 'mediator@demo.test')
    appendParagraph(client.doc, paragraph)
    await client.tracker.whenSaved()
    client.destroy()
    await stop(server)
  }

  /** Appends raw log entries to the draft, as a direct write to the database would. */
  function appendRawEntries(dataDir: string, entries: Uint8Array[]): void {
    const db = openSqliteDatabase(dataDir)
    const insert = db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)')
    for (const entry of entries) insert.run(DRAFT, entry)
    db.close()
  }

  /** An update appending `paragraph` to the draft as stored in `dataDir`, made by a new client. */
  function paragraphUpdate(dataDir: string, paragraph: string): Uint8Array {
    const db = openSqliteDatabase(dataDir)
    const rows = db
      .prepare<[string, string], { data: Buffer }>(
        `SELECT data FROM doc_snapshots WHERE doc = ?
         UNION ALL SELECT data FROM (SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq)`,
      )
      .all(DRAFT, DRAFT)
    db.close()
    const doc = new Y.Doc()
    for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row.data))
    const before = Y.encodeStateVector(doc)
    appendParagraph(doc, paragraph)
    return Y.encodeStateAsUpdate(doc, before)
  }

  it('loads a document past an unreadable log entry, keeps the entry aside, counts and logs it', async () => {
    const dataDir = makeDataDir()
    await storeDraftWith(dataDir, 'Written before the bad entry.')
    appendRawEntries(dataDir, [GARBAGE, paragraphUpdate(dataDir, 'Written after the bad entry.')])

    const lines: string[] = []
    const server = await start(dataDir, { log: (line) => lines.push(line) })
    const reader = await connectAs(server, 'drafter@demo.test')
    expect(plainText(reader.doc)).toContain('Written before the bad entry.')
    expect(plainText(reader.doc)).toContain('Written after the bad entry.')

    const kept = await server.store.listSetAside(DRAFT)
    expect(kept).toHaveLength(1)
    expect(kept[0]).toMatchObject({ kind: 'update', data: GARBAGE })
    expect(kept[0]?.reason).toMatch(/could not be read: the number of client sections \d+ is above/)
    expect(lines.some((line) => /lmp-1997\.draft update \d+ set aside/.test(line))).toBe(true)
    expect(await storageMetrics(server.store, server.registry.persistence)).toMatchObject({
      storageSetAside: 1,
    })
    // The document is compacted to what loaded, so the next load has nothing to set aside.
    await expect.poll(() => server.store.tailLength(DRAFT)).toBe(0)
    reader.destroy()
    await stop(server)

    const again = await start(dataDir)
    const second = await connectAs(again, 'drafter@demo.test')
    expect(plainText(second.doc)).toContain('Written after the bad entry.')
    expect(await again.store.countSetAside()).toBe(1)
  })

  it('cuts a truncated log tail with a warning, keeping what came before it', async () => {
    const dataDir = makeDataDir()
    await storeDraftWith(dataDir, 'Stored whole.')
    const whole = paragraphUpdate(dataDir, 'Kept from the log.')
    appendRawEntries(dataDir, [whole])
    const cut = paragraphUpdate(dataDir, 'Cut short by a crash.')
    appendRawEntries(dataDir, [cut.subarray(0, cut.byteLength - 1)])

    const lines: string[] = []
    const server = await start(dataDir, { log: (line) => lines.push(line) })
    const reader = await connectAs(server, 'drafter@demo.test')
    const text = plainText(reader.doc)
    expect(text).toContain('Kept from the log.')
    expect(text).not.toContain('Cut short by a crash.')
    expect(
      lines.some((line) => /warning: the log of lmp-1997\.draft ends in 1 truncated/.test(line)),
    ).toBe(true)
    const kept = await server.store.listSetAside(DRAFT)
    expect(kept.map((entry) => entry.reason)).toEqual([
      'truncated log tail: unexpected end of the update',
    ])
  })

  it.each([
    { written: 'with its checksum', reason: /^snapshot could not be read: its bytes do not match/ },
    {
      written: 'without a checksum',
      reason: /^snapshot could not be read: unexpected end of the update/,
    },
  ])(
    'loads a document whose snapshot (written $written) was cut, keeps the snapshot aside, and goes on saving',
    async ({ written, reason }) => {
      const dataDir = makeDataDir()
      await storeDraftWith(dataDir, 'Lost with the snapshot.')
      const db = openSqliteDatabase(dataDir)
      db.prepare('UPDATE doc_snapshots SET data = substr(data, 1, 20) WHERE doc = ?').run(DRAFT)
      if (written === 'without a checksum')
        db.prepare('UPDATE doc_snapshots SET checksum = NULL WHERE doc = ?').run(DRAFT)
      db.close()

      const server = await start(dataDir)
      // A client with nothing asks for the whole document while it loads: it must not be handed the
      // broken snapshot.
      const writer = await connectAs(server, 'mediator@demo.test')
      expect(plainText(writer.doc)).not.toContain('Lost with the snapshot.')
      appendParagraph(writer.doc, 'Written after the loss.')
      await writer.tracker.whenSaved()
      const kept = await server.store.listSetAside(DRAFT)
      expect(kept).toHaveLength(1)
      expect(kept[0]?.kind).toBe('snapshot')
      expect(kept[0]?.data.byteLength).toBe(20)
      expect(kept[0]?.reason).toMatch(reason)
      writer.destroy()
      await stop(server)

      const again = await start(dataDir)
      const reader = await connectAs(again, 'drafter@demo.test')
      expect(plainText(reader.doc)).toContain('Written after the loss.')
      expect(await again.store.countSetAside()).toBe(1)
    },
  )

  it('holds edits in memory while the disk refuses writes, tells their writers, and loses nothing', async () => {
    const dataDir = makeDataDir()
    const faults = new StorageFaults()
    const server = await start(dataDir, { storageFaults: faults })
    const mediator = await connectAs(server, 'mediator@demo.test')
    const drafter = await connectAs(server, 'drafter@demo.test')
    await mediator.tracker.whenSaved()
    await drafter.tracker.whenSaved()

    faults.breakDisk(['append'])
    appendParagraph(mediator.doc, 'Typed while the disk was failing.')
    appendParagraph(drafter.doc, 'Also typed while it was failing.')
    for (const client of [mediator, drafter])
      await expect.poll(() => client.tracker.snapshot().state).toBe('storage-retrying')
    const failing = await storageMetrics(server.store, server.registry.persistence)
    expect(failing.storageRetrying).toBe(true)
    expect(failing.storagePendingUpdates).toBeGreaterThan(0)
    expect(plainText(await loadStoredDoc(server, DRAFT))).not.toContain('Typed while the disk')

    faults.repair()
    await mediator.tracker.whenSaved()
    await drafter.tracker.whenSaved()
    const recovered = await storageMetrics(server.store, server.registry.persistence)
    expect(recovered).toMatchObject({ storageRetrying: false, storagePendingUpdates: 0 })
    expect(recovered.storageFailedWrites).toBeGreaterThan(0)
    mediator.destroy()
    drafter.destroy()
    await stop(server)

    const again = await start(dataDir)
    const reader = await connectAs(again, 'drafter@demo.test')
    expect(plainText(reader.doc)).toContain('Typed while the disk was failing.')
    expect(plainText(reader.doc)).toContain('Also typed while it was failing.')
  })
})

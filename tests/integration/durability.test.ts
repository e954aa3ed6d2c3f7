/**
 * Nothing acknowledged is ever lost: restarts, kill -9 right after an acknowledgement, SIGTERM with
 * edits in flight, idle unloading with compaction.
 */

import { spawnServer as spawnBenchServer } from '@onetext/bench/serverProcess'
import { afterEach, describe, expect, it, vi } from 'vitest'
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
  waitForDoc,
  whenSynced,
} from '../helpers/yClient'

const DRAFT = 'lmp-1997.draft'

const spawnServer = (dataDir: string) => spawnBenchServer(dataDir, TEST_PASSWORD)

describe('durability', () => {
  const clients: TestClient[] = []
  const cleanups: Array<() => Promise<unknown> | unknown> = []

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  async function connectAs(url: string, email: string): Promise<TestClient> {
    const client = connectClient(url, DRAFT, await login(url, email))
    clients.push(client)
    await whenSynced(client)
    return client
  }

  it('keeps content across a clean restart', async () => {
    const dataDir = makeDataDir()
    const first = await startTestServer({ dataDir })
    const client = await connectAs(first.url, 'mediator@demo.test')
    appendParagraph(client.doc, 'Survives a restart.')
    await client.tracker.whenSaved()
    client.destroy()
    await first.close()

    const second = await startTestServer({ dataDir })
    cleanups.push(() => second.close())
    expect(second.seeded).toBe(false)
    const again = await connectAs(second.url, 'drafter@demo.test')
    expect(plainText(again.doc)).toContain('Survives a restart.')
  })

  it('keeps every acknowledged edit when the server is killed with SIGKILL right after acknowledging', async () => {
    const dataDir = makeDataDir()
    const server = await spawnServer(dataDir)
    cleanups.push(() => server.child.kill('SIGKILL'))
    const client = await connectAs(server.url, 'mediator@demo.test')
    const lines: string[] = []
    for (let index = 0; index < 50; index++) {
      const line = `Acknowledged edit ${index}.`
      lines.push(line)
      appendParagraph(client.doc, line)
    }
    await client.tracker.whenSaved()
    server.child.kill('SIGKILL')
    expect(await server.exited).toBe('SIGKILL')
    client.destroy()

    const restarted = await spawnServer(dataDir)
    cleanups.push(() => restarted.child.kill('SIGKILL'))
    const reader = await connectAs(restarted.url, 'drafter@demo.test')
    const text = plainText(reader.doc)
    for (const line of lines) expect(text).toContain(line)
  })

  it('writes edits it has received before exiting on SIGTERM', async () => {
    const dataDir = makeDataDir()
    const server = await spawnServer(dataDir)
    cleanups.push(() => server.child.kill('SIGKILL'))
    const writer = await connectAs(server.url, 'mediator@demo.test')
    const witness = await connectAs(server.url, 'drafter@demo.test')
    appendParagraph(writer.doc, 'In flight at SIGTERM.')
    // The witness sees it once the server has received it (broadcast precedes the disk write).
    await waitForDoc(witness.doc, (doc) => plainText(doc).includes('In flight at SIGTERM.'))
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    writer.destroy()
    witness.destroy()

    const restarted = await spawnServer(dataDir)
    cleanups.push(() => restarted.child.kill('SIGKILL'))
    const reader = await connectAs(restarted.url, 'drafter@demo.test')
    expect(plainText(reader.doc)).toContain('In flight at SIGTERM.')
  })

  it('unloads idle documents after compacting their log into a snapshot', async () => {
    const server = await startTestServer({ idleUnloadMs: 20 })
    cleanups.push(() => server.close())
    const client = await connectAs(server.url, 'mediator@demo.test')
    for (let index = 0; index < 20; index++) appendParagraph(client.doc, `Line ${index}.`)
    await client.tracker.whenSaved()
    expect(await server.store.tailLength(DRAFT)).toBeGreaterThan(0)
    const expected = plainText(client.doc)
    client.destroy()
    await vi.waitFor(() => expect(server.registry.peek(DRAFT)).toBeUndefined(), {
      timeout: 5000,
      interval: 20,
    })
    expect(await server.store.tailLength(DRAFT)).toBe(0)
    const again = await connectAs(server.url, 'drafter@demo.test')
    expect(plainText(again.doc)).toBe(expected)
  })

  it('serves a freshly loaded document from its snapshot until the first change, then its current state', async () => {
    const server = await startTestServer({ idleUnloadMs: 20 })
    cleanups.push(() => server.close())
    const writer = await connectAs(server.url, 'mediator@demo.test')
    appendParagraph(writer.doc, 'Written before the unload.')
    await writer.tracker.whenSaved()
    writer.destroy()
    await vi.waitFor(() => expect(server.registry.peek(DRAFT)).toBeUndefined(), {
      timeout: 5000,
      interval: 20,
    })
    // Loaded again from its snapshot alone: the first client is sent the snapshot.
    const first = await connectAs(server.url, 'drafter@demo.test')
    expect(plainText(first.doc)).toContain('Written before the unload.')
    appendParagraph(first.doc, 'Written after the reload.')
    await first.tracker.whenSaved()
    // After a change the snapshot is stale: a new client must get the change too.
    const second = await connectAs(server.url, 'mediator@demo.test')
    expect(plainText(second.doc)).toContain('Written before the unload.')
    expect(plainText(second.doc)).toContain('Written after the reload.')
    expect(plainText(second.doc)).toBe(plainText(first.doc))
  })

  it('never acknowledges an edit that arrived while an earlier batch was being written', async () => {
    const server = await startTestServer()
    cleanups.push(() => server.close())
    const writer = await connectAs(server.url, 'mediator@demo.test')
    const witness = await connectAs(server.url, 'drafter@demo.test')
    await writer.tracker.whenSaved()
    const ackedBefore = writer.tracker.snapshot().acked
    // Hold each write until the test releases it.
    const store = server.store as { append: typeof server.store.append }
    const realAppend = store.append.bind(server.store)
    const held: Array<() => void> = []
    let writeStarted: () => void = () => {}
    // Runs before the server is closed, so that a failing run cannot leave a write held.
    cleanups.unshift(() => {
      store.append = realAppend
      for (const release of held.splice(0)) release()
    })
    store.append = async (batch) => {
      await new Promise<void>((release) => {
        held.push(release)
        writeStarted()
      })
      return realAppend(batch)
    }
    const started = () =>
      new Promise<void>((resolve) => {
        writeStarted = resolve
      })

    let firstWrite = started()
    appendParagraph(writer.doc, 'First batch.')
    await firstWrite
    // A second edit reaches the server (the witness has it) while the first write is in flight.
    appendParagraph(writer.doc, 'Second batch.')
    await waitForDoc(witness.doc, (doc) => plainText(doc).includes('Second batch.'))
    firstWrite = started()
    held.shift()?.()
    await firstWrite
    // The first batch is on disk and acknowledged; the second is not written yet.
    await vi.waitFor(() => expect(writer.tracker.snapshot().acked).toBeGreaterThan(ackedBefore), {
      timeout: 5000,
      interval: 10,
    })
    expect(writer.tracker.snapshot().state).toBe('saving')
    expect(writer.tracker.snapshot().acked).toBeLessThan(writer.tracker.snapshot().sent)
    held.shift()?.()
    await writer.tracker.whenSaved()
    expect(plainText(await loadStoredDoc(server, DRAFT))).toContain('Second batch.')
  })

  it('holds edits in memory and retries while the disk write fails, acknowledging only after it succeeds', async () => {
    const server = await startTestServer()
    cleanups.push(() => server.close())
    const client = await connectAs(server.url, 'mediator@demo.test')
    await client.tracker.whenSaved()
    const store = server.store as { append: typeof server.store.append }
    const realAppend = store.append.bind(server.store)
    let failures = 0
    let releaseFailure: () => void = () => {}
    const failing = new Promise<void>((resolve) => {
      releaseFailure = resolve
    })
    store.append = async (batch) => {
      if (batch.length > 0 && failures < 3) {
        failures++
        if (failures === 3) releaseFailure()
        throw new Error('disk full (simulated)')
      }
      return realAppend(batch)
    }
    appendParagraph(client.doc, 'Written after the disk recovers.')
    await failing
    expect(client.tracker.snapshot().state).not.toBe('saved')
    await client.tracker.whenSaved()
    expect(failures).toBe(3)
    expect(plainText(await loadStoredDoc(server, DRAFT))).toContain(
      'Written after the disk recovers.',
    )
  })
})

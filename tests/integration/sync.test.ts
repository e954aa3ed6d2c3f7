/**
 * Live co-editing through the real server: convergence, late joiners, refused upgrades.
 */

import { ClientOutdated, Forbidden } from '@onetext/shared/closeCodes'
import {
  messagePersisted,
  PROTOCOL_VERSION,
  PROTOCOL_VERSION_PARAM,
  readPersisted,
} from '@onetext/shared/protocol'
import * as decoding from 'lib0/decoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import {
  isSyncUpdate,
  openRawSocket,
  sendInOneWrite,
  syncPayload,
  updateFrame,
} from '../helpers/rawSocket'
import { login, startTestServer } from '../helpers/testServer'
import {
  appendParagraph,
  connectClient,
  plainText,
  type TestClient,
  waitForDoc,
  whenClosed,
  whenSynced,
} from '../helpers/yClient'

const DRAFT = 'lmp-1997.draft'

/** The "Run line" strings a stored update inserts. */
function runLinesIn(update: Uint8Array): string[] {
  return Y.decodeUpdate(update)
    .structs.flatMap((struct) =>
      struct instanceof Y.Item && struct.content instanceof Y.ContentString
        ? [struct.content.str]
        : [],
    )
    .filter((text) => text.startsWith('Run line'))
}

/** A turn budget no run of these tests spends, however the machine stalls the server. */
const RUN_TURN_BUDGET_MS = 60_000

describe('live sync', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const clients: TestClient[] = []
  let mediatorToken: string
  let drafterToken: string

  beforeAll(async () => {
    // These tests count frames, stored updates and acknowledgements of a run of updates: a busy
    // machine that stalls the server mid-run must not spend the turn budget and split it (the
    // budget has tests of its own: tests/unit/incomingUpdates.test.ts, singleText.test.ts).
    server = await startTestServer({ updateTurnBudgetMs: RUN_TURN_BUDGET_MS })
    mediatorToken = await login(server.url, 'mediator@demo.test')
    drafterToken = await login(server.url, 'drafter@demo.test')
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  function connect(docName: string, token: string | null): TestClient {
    const client = connectClient(server.url, docName, token)
    clients.push(client)
    return client
  }

  it('two clients converge and a late joiner receives the full text', async () => {
    const a = connect(DRAFT, mediatorToken)
    const b = connect(DRAFT, drafterToken)
    await Promise.all([whenSynced(a), whenSynced(b)])
    expect(plainText(a.doc)).toContain('National Labor-Management Partnership Agreement')
    expect(plainText(b.doc)).toBe(plainText(a.doc))

    appendParagraph(a.doc, 'Clause from the mediator.')
    appendParagraph(b.doc, 'Clause from the drafting team.')
    await Promise.all([
      waitForDoc(a.doc, (doc) => plainText(doc).includes('Clause from the drafting team.')),
      waitForDoc(b.doc, (doc) => plainText(doc).includes('Clause from the mediator.')),
    ])
    expect(plainText(a.doc)).toBe(plainText(b.doc))

    const c = connect(DRAFT, drafterToken)
    await whenSynced(c)
    expect(plainText(c.doc)).toBe(plainText(a.doc))
    expect(plainText(c.doc)).toContain('Clause from the mediator.')
  })

  it('acknowledges edits only once they are persisted', async () => {
    const a = connect(DRAFT, mediatorToken)
    await whenSynced(a)
    await a.tracker.whenSaved()
    appendParagraph(a.doc, 'Persist me.')
    expect(a.tracker.snapshot().state).toBe('saving')
    await a.tracker.whenSaved()
    const snapshot = a.tracker.snapshot()
    expect(snapshot.acked).toBe(snapshot.sent)
    const stored = await server.store.load(DRAFT)
    expect(stored.updates.length + (stored.snapshot ? 1 : 0)).toBeGreaterThan(0)
  })

  it('keeps edits made while disconnected and merges them on reconnect', async () => {
    const a = connect(DRAFT, mediatorToken)
    const b = connect(DRAFT, drafterToken)
    await Promise.all([whenSynced(a), whenSynced(b)])
    a.provider.disconnect()
    expect(a.tracker.snapshot().state).toBe('offline')
    appendParagraph(a.doc, 'Written offline.')
    expect(a.tracker.snapshot().state).toBe('offline-unsaved')
    appendParagraph(b.doc, 'Written online meanwhile.')
    await b.tracker.whenSaved()
    a.provider.connect()
    await a.tracker.whenSaved()
    await waitForDoc(b.doc, (doc) => plainText(doc).includes('Written offline.'))
    await waitForDoc(a.doc, (doc) => plainText(doc).includes('Written online meanwhile.'))
    expect(plainText(a.doc)).toBe(plainText(b.doc))
  })

  it('sends other people’s updates to a connection only once it has asked for the document', async () => {
    const writer = connect(DRAFT, mediatorToken)
    await whenSynced(writer)
    const raw = openRawSocket(server.url, DRAFT, drafterToken)
    await raw.opened
    // The server greets the connection with its own step 1; the client has not asked yet.
    if (raw.frames.length === 0) await raw.nextFrame(() => true)
    appendParagraph(writer.doc, 'Made before the new connection asked for the document.')
    await writer.tracker.whenSaved()

    const step2 = await raw.askForDocument()
    // Nothing before the answer, and the answer holds the edit.
    expect(raw.frames.slice(0, raw.frames.indexOf(step2)).filter(isSyncUpdate)).toEqual([])
    const doc = new Y.Doc()
    Y.applyUpdate(doc, syncPayload(step2))
    expect(plainText(doc)).toContain('Made before the new connection asked for the document.')

    // From then on it gets every update.
    const next = raw.nextFrame(isSyncUpdate)
    appendParagraph(writer.doc, 'Made after it asked.')
    Y.applyUpdate(doc, syncPayload(await next))
    expect(plainText(doc)).toContain('Made after it asked.')
    raw.ws.close()
  })

  it('applies a run of updates read in one go as one change: one frame to peers, one stored update, one acknowledgement', async () => {
    const writer = openRawSocket(server.url, DRAFT, mediatorToken)
    const reader = openRawSocket(server.url, DRAFT, drafterToken)
    await Promise.all([writer.opened, reader.opened])
    const local = new Y.Doc()
    Y.applyUpdate(local, syncPayload(await writer.askForDocument()))
    const readerDoc = new Y.Doc()
    Y.applyUpdate(readerDoc, syncPayload(await reader.askForDocument()))
    const updates: Uint8Array[] = []
    local.on('update', (update: Uint8Array) => updates.push(update))
    const lines = ['Run line 1.', 'Run line 2.', 'Run line 3.', 'Run line 4.', 'Run line 5.']
    for (const line of lines) appendParagraph(local, line)
    expect(updates).toHaveLength(lines.length)

    const relayed = reader.nextFrame(isSyncUpdate)
    const acknowledged = writer.nextFrame((frame) => frame[0] === messagePersisted)
    sendInOneWrite(writer.ws, updates.map(updateFrame))

    // The first update the reader gets carries the whole run.
    Y.applyUpdate(readerDoc, syncPayload(await relayed))
    for (const line of lines) expect(plainText(readerDoc)).toContain(line)
    expect(plainText(readerDoc)).toBe(plainText(local))
    // One acknowledgement covers all five messages, once the run is on disk as one update.
    const ack = decoding.createDecoder(await acknowledged)
    decoding.readVarUint(ack)
    expect(readPersisted(ack)).toBe(lines.length)
    // Exactly one log entry holds the run's lines, and it holds all of them.
    const entries = (await server.store.load(DRAFT)).updates
      .map(runLinesIn)
      .filter((found) => found.length > 0)
    expect(entries).toEqual([lines])
    writer.ws.close()
    reader.ws.close()
  })

  it('refuses an upgrade without a session with 401, before any document is loaded', async () => {
    const before = server.registry.size
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/lmp-1997.table`)
      ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
      ws.on('open', () => reject(new Error('upgrade was accepted')))
      ws.on('error', () => {})
    })
    expect(status).toBe(401)
    expect(server.registry.peek('lmp-1997.table')).toBeUndefined()
    expect(server.registry.size).toBe(before)
  })

  it('refuses an invalid token with 401', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(
        `${server.url.replace('http', 'ws')}/sync/${DRAFT}?token=not-a-session`,
      )
      ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
      ws.on('error', () => {})
    })
    expect(status).toBe(401)
  })

  it('closes with the forbidden code for documents the user may not open, existing or not', async () => {
    const observerToken = await login(server.url, 'observer@demo.test')
    for (const name of [DRAFT, 'lmp-1997.caucus.mgmt', 'no-such-negotiation.draft', 'garbage']) {
      const client = connect(name, observerToken)
      const closed = await whenClosed(client)
      expect(closed.code).toBe(Forbidden.code)
      // The draft is open for other clients; the others must never have been loaded.
      if (name !== DRAFT) expect(server.registry.peek(name)).toBeUndefined()
    }
  })

  it('closes a page of another protocol version (from before an upgrade) asking for rich text', async () => {
    const token = await login(server.url, 'drafter@demo.test')
    const loaded = server.registry.peek(DRAFT)
    for (const version of [null, '1', String(PROTOCOL_VERSION + 1)]) {
      const query = new URLSearchParams({ token })
      if (version !== null) query.set(PROTOCOL_VERSION_PARAM, version)
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${DRAFT}?${query}`)
      const received: Buffer[] = []
      ws.on('message', (data: Buffer) => received.push(data))
      const code = await new Promise<number>((resolve) =>
        ws.on('close', (closeCode) => resolve(closeCode)),
      )
      expect(code).toBe(ClientOutdated.code)
      expect(received).toEqual([])
    }
    // Nothing was loaded for it: the draft is exactly as loaded (or not) as before.
    expect(server.registry.peek(DRAFT)).toBe(loaded)
    // The same page may still open a document without rich text, to save what it kept there.
    const caucus = new WebSocket(
      `${server.url.replace('http', 'ws')}/sync/lmp-1997.caucus.labor?${new URLSearchParams({ token })}`,
    )
    const first = await new Promise<Buffer>((resolve) => caucus.once('message', resolve))
    expect(first.byteLength).toBeGreaterThan(0)
    caucus.close()
  })
})

/**
 * Bad input gets a clear error and loses nothing: malformed frames, text frames, oversized frames,
 * writes from read-only connections and spoofed presence never crash the server or change a document.
 */

import { ProtocolViolation } from '@onetext/shared/closeCodes'
import { MAX_MALFORMED_MESSAGES, MAX_MESSAGE_BYTES } from '@onetext/shared/limits'
import {
  ErrorCode,
  messageAwareness,
  messageError,
  messagePersisted,
  messageSync,
  RefusalReason,
  syncUpdate,
} from '@onetext/shared/protocol'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { MAX_WAITING_UPDATES } from '../../server/src/sync/IncomingUpdates'
import {
  isRefused,
  openRawSocket,
  sendInOneWrite,
  syncPayload,
  updateFrame,
} from '../helpers/rawSocket'
import { loadStoredDoc, login, startTestServer } from '../helpers/testServer'
import {
  appendParagraph,
  connectClient,
  plainText,
  type TestClient,
  waitForDoc,
  whenSynced,
} from '../helpers/yClient'

const DRAFT = 'lmp-1997.draft'

function isError(code: number) {
  return (frame: Uint8Array) => frame[0] === messageError && frame[1] === code
}

describe('protocol robustness', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const clients: TestClient[] = []
  let mediator: string

  beforeAll(async () => {
    server = await startTestServer()
    mediator = await login(server.url, 'mediator@demo.test')
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  async function storedText(): Promise<string> {
    // What the server has applied is on disk once the write queue is empty.
    await server.registry.persistence.drain()
    const doc = await loadStoredDoc(server, DRAFT)
    // Include what is only in memory too: the loaded document must agree with the store.
    const live = server.registry.peek(DRAFT)
    if (live) expect(plainText(live.doc)).toBe(plainText(doc))
    return plainText(doc)
  }

  /** A raw socket on the draft with a copy of it: `updates` collects the copy's updates. */
  async function rawWriter() {
    const socket = openRawSocket(server.url, DRAFT, mediator)
    await socket.opened
    const local = new Y.Doc()
    Y.applyUpdate(local, syncPayload(await socket.askForDocument()))
    const updates: Uint8Array[] = []
    local.on('update', (update: Uint8Array) => updates.push(update))
    return { socket, local, updates }
  }

  it('answers malformed frames with an error, then closes with 4400 after the limit, and keeps serving others', async () => {
    const witness = connectClient(server.url, DRAFT, mediator)
    clients.push(witness)
    await whenSynced(witness)
    const before = await storedText()

    const socket = openRawSocket(server.url, DRAFT, mediator)
    await socket.opened
    const firstError = socket.nextFrame(isError(ErrorCode.malformed))
    socket.ws.send(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))
    await firstError
    socket.ws.send('a text frame')
    socket.ws.send(Buffer.from([messageSync, syncUpdate, 0x05, 1, 2]))
    socket.ws.send(updateFrame(new Uint8Array([9, 9, 9, 9, 9, 9, 9, 9])))
    socket.ws.send(Buffer.from([77]))
    for (let index = 5; index < MAX_MALFORMED_MESSAGES; index++) socket.ws.send(Buffer.from([0x80]))
    const closed = await socket.closed
    expect(closed.code).toBe(ProtocolViolation.code)

    // The server still works and the document is unharmed.
    appendParagraph(witness.doc, 'Still editing after the garbage.')
    await witness.tracker.whenSaved()
    const after = await storedText()
    expect(after).toBe(`${before}Still editing after the garbage.\n`)
  })

  it('completes the close at once when the limit is reached while reading is paused by a flood', async () => {
    const live = server.registry.peek(DRAFT)
    const connectionsBefore = live?.connections.size ?? 0
    const { socket, local, updates } = await rawWriter()
    for (let index = 0; index <= MAX_WAITING_UPDATES; index++)
      appendParagraph(local, `Flood ${index}.`)
    // More updates than may wait for their turn (the server stops reading the socket), then the
    // malformed frames that close it, in one read: the close handshake must not wait for a read
    // that never comes (the test's time bound is well below ws's 30 s close timeout).
    sendInOneWrite(socket.ws, [
      ...updates.map(updateFrame),
      ...Array.from({ length: MAX_MALFORMED_MESSAGES }, () => new Uint8Array([0x80])),
    ])
    expect((await socket.closed).code).toBe(ProtocolViolation.code)
    // The client hears the close before the server has applied what it read and let go of the
    // connection: the next test compares the store with the live document, so wait for that.
    await vi.waitFor(() => expect(live?.connections.size ?? 0).toBe(connectionsBefore))
  }, 10_000)

  it('skips an unreadable update inside a run read in one go and applies the rest of the run', async () => {
    const before = await storedText()
    const { socket, local, updates } = await rawWriter()
    appendParagraph(local, 'Before the garbage.')
    appendParagraph(local, 'After the garbage.')
    const [first, second] = updates
    if (!first || !second) throw new Error('expected two updates')

    const malformed = socket.nextFrame(isRefused(RefusalReason.malformed))
    sendInOneWrite(socket.ws, [
      updateFrame(first),
      updateFrame(new Uint8Array([9, 9, 9, 9, 9, 9, 9, 9])),
      updateFrame(second),
    ])
    await malformed
    await socket.nextFrame((frame) => frame[0] === messagePersisted)
    expect(await storedText()).toBe(`${before}Before the garbage.\nAfter the garbage.\n`)
    socket.ws.close()
  })

  it('closes a connection that sends a frame over MAX_MESSAGE_BYTES with 1009', async () => {
    const socket = openRawSocket(server.url, DRAFT, mediator)
    await socket.opened
    socket.ws.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1))
    expect((await socket.closed).code).toBe(1009)
    const response = await fetch(`${server.url}/healthz`)
    expect(response.status).toBe(200)
  })

  it('drops document changes from a read-only connection: not stored, not forwarded', async () => {
    const writer = connectClient(server.url, DRAFT, mediator)
    clients.push(writer)
    await whenSynced(writer)
    const before = await storedText()

    // With open drafting, a party member may read the working draft but not write it.
    const opened = await fetch(`${server.url}/api/negotiations/lmp-1997/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${mediator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ openDrafting: true }),
    })
    expect(opened.status).toBe(200)
    const readerToken = await login(server.url, 'labor.member@demo.test')
    const reader = connectClient(server.url, DRAFT, readerToken)
    clients.push(reader)
    await whenSynced(reader)
    const readOnlyError = new Promise<void>((resolve) => {
      reader.tracker.subscribe(() => {
        if (reader.tracker.snapshot().lastError?.code === ErrorCode.readOnly) resolve()
      })
    })
    appendParagraph(reader.doc, 'Smuggled into the draft.')
    await readOnlyError
    expect(reader.tracker.snapshot().state).toBe('read-only')

    // A later write from the mediator arrives; the smuggled text never does.
    appendParagraph(writer.doc, 'Mediator text after the attempt.')
    await writer.tracker.whenSaved()
    const observer = connectClient(server.url, DRAFT, mediator)
    clients.push(observer)
    await whenSynced(observer)
    await waitForDoc(observer.doc, (doc) =>
      plainText(doc).includes('Mediator text after the attempt.'),
    )
    expect(plainText(observer.doc)).not.toContain('Smuggled')
    expect(plainText(writer.doc)).not.toContain('Smuggled')
    expect(await storedText()).toBe(`${before}Mediator text after the attempt.\n`)
  })

  it('replaces spoofed presence identity with the server’s', async () => {
    const drafterToken = await login(server.url, 'drafter@demo.test')
    const spoofer = connectClient(server.url, DRAFT, drafterToken)
    const watcher = connectClient(server.url, DRAFT, mediator)
    clients.push(spoofer, watcher)
    await Promise.all([whenSynced(spoofer), whenSynced(watcher)])
    spoofer.provider.awareness.setLocalStateField('user', {
      id: 'someone-else',
      name: 'Morgan Ellis',
      color: '#1d4ed8',
      role: 'party-lead',
      partyId: 'mgmt',
    })
    const spooferId = spoofer.doc.clientID
    const seen = await new Promise<Record<string, unknown>>((resolve) => {
      const check = () => {
        const state = watcher.provider.awareness.getStates().get(spooferId) as
          | { user?: Record<string, unknown> }
          | undefined
        if (state?.user && state.user.role !== undefined) resolve(state.user)
      }
      watcher.provider.awareness.on('change', check)
      check()
    })
    expect(seen).toMatchObject({
      name: 'Jordan Lee',
      role: 'drafting-team',
      partyId: 'labor',
      color: '#b42318',
    })
    expect(seen.id).not.toBe('someone-else')
  })

  it('does not let a connection speak for another connection’s awareness client ID', async () => {
    const victim = connectClient(server.url, DRAFT, mediator)
    clients.push(victim)
    await whenSynced(victim)
    victim.provider.awareness.setLocalStateField('cursor', { anchor: 1 })
    const watcher = connectClient(server.url, DRAFT, mediator)
    clients.push(watcher)
    await whenSynced(watcher)
    await new Promise<void>((resolve) => {
      const check = () => {
        if (watcher.provider.awareness.getStates().has(victim.doc.clientID)) resolve()
      }
      watcher.provider.awareness.on('change', check)
      check()
    })

    // An attacker forges a removal (null state) of the victim's client ID.
    const attackerToken = await login(server.url, 'drafter@demo.test')
    const socket = openRawSocket(server.url, DRAFT, attackerToken)
    await socket.opened
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, messageAwareness)
    const entry = encoding.createEncoder()
    encoding.writeVarUint(entry, 1)
    encoding.writeVarUint(entry, victim.doc.clientID)
    encoding.writeVarUint(entry, 9999)
    encoding.writeVarString(entry, 'null')
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(entry))
    socket.ws.send(encoding.toUint8Array(encoder))
    // The server handles frames in order: its answer to this query-awareness comes after the forgery.
    socket.ws.send(Buffer.from([3]))
    await socket.nextFrame((frame) => frame[0] === messageAwareness)
    expect(server.registry.peek(DRAFT)?.awareness.getStates().has(victim.doc.clientID)).toBe(true)
    socket.ws.close()
  })
})

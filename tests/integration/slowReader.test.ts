/**
 * A client that stops reading (a stalled network, a suspended laptop) must not make the server
 * hold every frame sent to it: past the backlog limit the server drops that connection, keeps
 * serving everyone else, and the client catches up in full when it reconnects.
 */

import type { Socket } from 'node:net'
import { ErrorCode } from '@onetext/shared/protocol'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openRawSocket } from '../helpers/rawSocket'
import { loadStoredDoc, login, startTestServer } from '../helpers/testServer'
import {
  appendUntil,
  connectClient,
  plainText,
  type TestClient,
  waitForDoc,
  whenSynced,
} from '../helpers/yClient'

const DRAFT = 'lmp-1997.draft'
const MAX_FRAMES = 50
/** Big enough that the kernel's socket buffers fill after a few hundred frames. */
const PARAGRAPH = 'The parties agree to meet and confer in good faith. '.repeat(600)

describe('a client that stops reading', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const clients: TestClient[] = []
  let dropped: () => void = () => {}
  const droppedLine = new Promise<void>((resolve) => {
    dropped = resolve
  })

  beforeAll(async () => {
    server = await startTestServer({
      backlogLimits: { maxBytes: 1024 * 1024 * 1024, maxFrames: MAX_FRAMES },
      log: (line) => {
        if (line.includes('fallen behind')) dropped()
      },
    })
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  it('is dropped past MAX_BUFFERED_FRAMES waiting frames, and catches up on reconnect', async () => {
    const token = await login(server.url, 'mediator@demo.test')
    const writer = connectClient(server.url, DRAFT, token)
    clients.push(writer)
    await whenSynced(writer)

    const slow = openRawSocket(server.url, DRAFT, token)
    await slow.opened
    // Like a real client: ask for the document (sync step 1), take the answer, then stop reading.
    await slow.askForDocument()
    const tcp = (slow.ws as unknown as { _socket: Socket })._socket
    tcp.pause()
    const before = server.connections.size

    // Keep typing until the server gives up on the reader (bounded: 64 MB at most).
    const sent = await appendUntil(writer.doc, droppedLine, PARAGRAPH, 2000)
    await droppedLine
    expect(sent).toBeGreaterThan(MAX_FRAMES)
    await vi.waitFor(() => expect(server.connections.size).toBe(before - 1))

    // Everyone else is still served, and every edit is saved.
    await writer.tracker.whenSaved()
    expect(writer.tracker.snapshot().lastError?.code).not.toBe(ErrorCode.storageRetrying)
    const expected = plainText(writer.doc)
    expect(plainText(await loadStoredDoc(server, DRAFT))).toBe(expected)

    // The dropped reader sees its connection end once it reads again, and a new connection gets
    // everything.
    tcp.resume()
    await slow.closed
    const reader = connectClient(server.url, DRAFT, token)
    clients.push(reader)
    await whenSynced(reader)
    await waitForDoc(reader.doc, (doc) => plainText(doc) === expected)
    expect(plainText(reader.doc)).toBe(expected)
  })
})

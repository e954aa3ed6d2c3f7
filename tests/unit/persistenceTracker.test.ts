/**
 * The save state shown from the frames sent and acknowledged: the empty step 2 every connection
 * sends holds no edit (a freshly opened page reads "Connecting...", not "Saving..."); but an empty
 * step 2 sent after a socket closed with an edit unacknowledged stands for that edit (the server
 * may hold it in memory only), so the page reads "Saving..." until that frame's acknowledgement.
 */
import { PersistenceTracker, type ProviderLike } from '@onetext/shared/persistenceTracker'
import { syncStep2, syncUpdate, writePersisted } from '@onetext/shared/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { syncFrame } from '../../server/src/sync/syncFrames'

class FakeSocket {
  send(_data: unknown): void {}
}

function harness() {
  const tracker = new PersistenceTracker()
  const Socket = tracker.socketClass(FakeSocket)
  const handlers: Record<string, Array<(value: never) => void>> = { status: [], sync: [] }
  const provider: ProviderLike = {
    ws: null,
    wsconnected: false,
    synced: false,
    messageHandlers: [],
    on(event: string, handler: (value: never) => void) {
      handlers[event]?.push(handler)
    },
    doc: { on() {} },
  } as ProviderLike
  tracker.attach(provider)
  const emit = (event: string, value: unknown) => {
    for (const handler of handlers[event] ?? []) handler(value as never)
  }
  return {
    state: () => tracker.snapshot().state,
    connect() {
      const socket = new Socket()
      provider.ws = socket
      provider.wsconnected = true
      emit('status', { status: 'connected' })
      return socket
    },
    disconnect() {
      provider.wsconnected = false
      provider.synced = false
      emit('status', { status: 'disconnected' })
    },
    synced() {
      provider.synced = true
      emit('sync', true)
    },
    ack(count: number) {
      const decoder = decoding.createDecoder(writePersisted(count))
      const type = decoding.readVarUint(decoder)
      const handler = provider.messageHandlers[type] as (e: unknown, d: decoding.Decoder) => void
      handler(encoding.createEncoder(), decoder)
    },
  }
}

const EMPTY = Y.encodeStateAsUpdate(new Y.Doc())
const edit = (() => {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, 'words')
  return Y.encodeStateAsUpdate(doc)
})()

describe('the save state', () => {
  it('does not call the empty step 2 of a new connection unsaved', () => {
    expect(EMPTY).toEqual(new Uint8Array([0, 0]))
    const page = harness()
    const socket = page.connect()
    socket.send(syncFrame(syncStep2, EMPTY) as never)
    expect(page.state()).toBe('connecting')
    page.synced()
    expect(page.state()).toBe('saved')
    socket.send(syncFrame(syncUpdate, edit) as never)
    expect(page.state()).toBe('saving')
    page.ack(2)
    expect(page.state()).toBe('saved')
  })

  it('keeps an edit unsaved across a reconnect until the new step 2 is acknowledged', () => {
    const page = harness()
    const first = page.connect()
    first.send(syncFrame(syncStep2, EMPTY) as never)
    page.synced()
    page.ack(1)
    first.send(syncFrame(syncUpdate, edit) as never)
    // The socket closes before the edit's acknowledgement.
    page.disconnect()
    expect(page.state()).toBe('offline-unsaved')
    // The server already holds the edit, so the new step 2 is empty: it still stands for the edit.
    const second = page.connect()
    second.send(syncFrame(syncStep2, EMPTY) as never)
    page.synced()
    expect(page.state()).toBe('saving')
    page.ack(1)
    expect(page.state()).toBe('saved')
  })

  it('needs nothing sent again when only an empty frame was unacknowledged', () => {
    const page = harness()
    const first = page.connect()
    first.send(syncFrame(syncStep2, EMPTY) as never)
    page.disconnect()
    expect(page.state()).toBe('offline')
  })
})

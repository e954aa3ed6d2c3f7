/**
 * A lightweight writer for benchmarks with many typists: a plain websocket to one document and a
 * local Y.Doc that types into one paragraph of it, recording when each keystroke's frame is
 * acknowledged as on disk (`persisted`). It never applies what the others type (forty full clients
 * applying every keystroke of the other thirty-nine would measure this process, not the server);
 * its own paragraph is all it edits, so its updates stay valid for the server.
 */
import { messagePersisted, messageSync, PROTOCOL_PARAMS, syncStep1 } from '@onetext/shared/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { paragraphText } from './paragraphTexts'

/** A connected typist. */
export interface RawTypist {
  /** Types one character at the end of its paragraph; returns the keystroke's number (from 1). */
  type(): number
  /** Keystrokes acknowledged as on disk so far. */
  readonly acked: number
  close(): void
}

/**
 * Connects a typist to `docName` holding `state` (a full encoding of the document as it is on the
 * server, so that the server sends nothing back), typing into the text of the `paragraph`-th
 * paragraph of the rich text. `onAcked(upTo, at)` is called when keystrokes up to `upTo` are on disk
 * (`at` from `performance.now()`). Resolves once the socket is open.
 */
export function connectTypist(
  baseUrl: string,
  token: string,
  docName: string,
  state: Uint8Array,
  paragraph: number,
  onAcked: (upTo: number, at: number) => void,
): Promise<RawTypist> {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  const text = paragraphText(doc, paragraph)
  const query = new URLSearchParams({ ...PROTOCOL_PARAMS, token })
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/sync/${docName}?${query}`)
  socket.binaryType = 'nodebuffer'
  let sent = 0
  let acked = 0
  doc.on('update', (update: Uint8Array) => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, messageSync)
    syncProtocol.writeUpdate(encoder, update)
    socket.send(encoding.toUint8Array(encoder))
  })
  socket.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(
      new Uint8Array(data.buffer, data.byteOffset, data.length),
    )
    if (decoding.readVarUint(decoder) !== messagePersisted) return
    const count = decoding.readVarUint(decoder)
    if (count <= acked) return
    acked = count
    onAcked(count, performance.now())
  })
  const typist: RawTypist = {
    type() {
      text.insert(text.length, 'x')
      return ++sent
    },
    get acked() {
      return acked
    },
    close: () => socket.close(),
  }
  return new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.once('open', () => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, messageSync)
      encoding.writeVarUint(encoder, syncStep1)
      encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc))
      socket.send(encoding.toUint8Array(encoder))
      resolve(typist)
    })
  })
}

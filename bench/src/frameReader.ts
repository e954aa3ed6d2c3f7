/**
 * A lightweight read-only client for the fan-out benchmark: a plain websocket to one document that
 * records when each update frame arrives, without applying it to a Y.Doc. Hundreds of full Yjs
 * clients in the benchmark's one process measure that process (each applies every keystroke to its
 * own copy of a 150-page text); in a real room each reader has its own machine. Delivery to the
 * socket is what the server controls. Like every client it asks for the document (sync step 1)
 * before the server sends it updates: one reader asks for the full state, so that the run can check
 * that the frames everybody received rebuild the writer's text; the others send that state's vector,
 * as a client holding a cached copy would, and get only what it lacks.
 */

import { PROTOCOL_PARAMS } from '@onetext/shared/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'

const MESSAGE_SYNC = 0

/** A connected frame reader. */
export interface FrameReader {
  /** Update frames received since connecting (sync sub-type 2), in order. */
  readonly updates: Uint8Array[]
  /** The server's answer to this reader's sync step 1: all it lacked. */
  state(): Uint8Array | null
  close(): void
}

/**
 * Connects to `docName` on the server at `baseUrl` with a session `token` and asks for what a
 * client holding `stateVector` lacks (everything, when omitted). Resolves once the server has
 * answered. `onUpdate(update, at)` is called as each update frame arrives (`at` in epoch
 * milliseconds).
 */
export function connectFrameReader(
  baseUrl: string,
  token: string,
  docName: string,
  options: { stateVector?: Uint8Array; onUpdate?: (update: Uint8Array, at: number) => void } = {},
): Promise<FrameReader> {
  const query = new URLSearchParams({ ...PROTOCOL_PARAMS, token })
  const url = `${baseUrl.replace(/^http/, 'ws')}/sync/${docName}?${query}`
  const socket = new WebSocket(url)
  socket.binaryType = 'nodebuffer'
  const updates: Uint8Array[] = []
  let state: Uint8Array | null = null
  const reader: FrameReader = {
    updates,
    state: () => state,
    close: () => socket.close(),
  }
  return new Promise((resolve, reject) => {
    socket.on('error', reject)
    socket.on('close', (code) => reject(new Error(`closed with ${code} before it was ready`)))
    socket.on('open', () => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1)
      encoding.writeVarUint8Array(encoder, options.stateVector ?? Y.encodeStateVector(new Y.Doc()))
      socket.send(encoding.toUint8Array(encoder))
    })
    socket.on('message', (data: Buffer) => {
      const at = performance.timeOrigin + performance.now()
      const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      const decoder = decoding.createDecoder(frame)
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return
      const subType = decoding.readVarUint(decoder)
      if (subType === syncProtocol.messageYjsUpdate) {
        const update = decoding.readVarUint8Array(decoder).slice()
        updates.push(update)
        options.onUpdate?.(update, at)
      } else if (subType === syncProtocol.messageYjsSyncStep2) {
        state = decoding.readVarUint8Array(decoder).slice()
        resolve(reader)
      }
    })
  })
}

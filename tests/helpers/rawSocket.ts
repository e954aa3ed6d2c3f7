/**
 * A raw websocket to /sync/<name> that records every frame it receives, for tests that send
 * hand-made or malformed messages and for confidentiality checks on exactly what bytes arrive.
 */
import {
  messageRefused,
  messageSync,
  PROTOCOL_PARAMS,
  type Refusal,
  readRefused,
  syncStep2,
  syncUpdate,
} from '@onetext/shared/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'

/** A raw connection and what it has received. */
export interface RawSocket {
  ws: WebSocket
  frames: Uint8Array[]
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
  /** Resolves with the first received frame (from now on) that satisfies `predicate`. */
  nextFrame(predicate: (frame: Uint8Array) => boolean): Promise<Uint8Array>
  /**
   * Asks for the whole document as a client holding nothing would (a sync step 1 with an empty
   * state vector); resolves with the server's answer (the sync step 2 frame).
   */
  askForDocument(): Promise<Uint8Array>
}

/** True for a sync frame carrying an update to the document (sync update). */
export function isSyncUpdate(frame: Uint8Array): boolean {
  return frame[0] === messageSync && frame[1] === syncUpdate
}

/** The Yjs update a sync step 2 or sync update frame carries. */
export function syncPayload(frame: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(frame)
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
  return decoding.readVarUint8Array(decoder)
}

/** Opens a raw socket with `token` (or none). */
export function openRawSocket(baseUrl: string, docName: string, token: string | null): RawSocket {
  const query = new URLSearchParams({ ...PROTOCOL_PARAMS, ...(token ? { token } : {}) })
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/sync/${docName}?${query}`)
  const frames: Uint8Array[] = []
  const waiters: Array<{
    predicate: (frame: Uint8Array) => boolean
    resolve: (frame: Uint8Array) => void
  }> = []
  ws.on('message', (data: Buffer) => {
    const frame = new Uint8Array(data)
    frames.push(frame)
    for (const waiter of waiters.splice(0)) {
      if (waiter.predicate(frame)) waiter.resolve(frame)
      else waiters.push(waiter)
    }
  })
  ws.on('error', () => {})
  return {
    ws,
    frames,
    opened: new Promise((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`HTTP ${response.statusCode}`)),
      )
    }),
    closed: new Promise((resolve) => {
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
    }),
    nextFrame(predicate) {
      return new Promise((resolve) => waiters.push({ predicate, resolve }))
    },
    askForDocument() {
      const answered = this.nextFrame((frame) => frame[0] === messageSync && frame[1] === syncStep2)
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, messageSync)
      syncProtocol.writeSyncStep1(encoder, new Y.Doc())
      ws.send(encoding.toUint8Array(encoder))
      return answered
    },
  }
}

/**
 * Sends `frames` so that they leave in one TCP write (the socket is corked around them), as a
 * client that sends a run of updates in one synchronous burst does; the server then reads them in
 * one go. `ws` keeps its TCP socket private, hence the cast.
 */
export function sendInOneWrite(ws: WebSocket, frames: readonly Uint8Array[]): void {
  const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket
  socket.cork()
  for (const frame of frames) ws.send(frame)
  socket.uncork()
}

/** Encodes a sync update frame carrying `update`, as a client sends it. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  encoding.writeVarUint(encoder, syncUpdate)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The refusal a `refused` message carries, or null for any other frame. */
export function readRefusal(frame: Uint8Array): Refusal | null {
  const decoder = decoding.createDecoder(frame)
  if (decoding.readVarUint(decoder) !== messageRefused) return null
  return readRefused(decoder)
}

/** A predicate for a `refused` message, for `reason` when given. */
export function isRefused(reason?: number): (frame: Uint8Array) => boolean {
  return (frame) => {
    const refusal = readRefusal(frame)
    return refusal !== null && (reason === undefined || refusal.reason === reason)
  }
}

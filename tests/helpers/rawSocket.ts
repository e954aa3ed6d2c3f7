/**
 * A raw websocket to /sync/<name> that records every frame it receives, for tests that send
 * hand-made or malformed messages and for confidentiality checks on exactly what bytes arrive.
 */
import WebSocket from 'ws'

/** A raw connection and what it has received. */
export interface RawSocket {
  ws: WebSocket
  frames: Uint8Array[]
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
  /** Resolves with the first received frame (from now on) that satisfies `predicate`. */
  nextFrame(predicate: (frame: Uint8Array) => boolean): Promise<Uint8Array>
}

/** Opens a raw socket with `token` (or none). */
export function openRawSocket(baseUrl: string, docName: string, token: string | null): RawSocket {
  const query = token ? `?token=${encodeURIComponent(token)}` : ''
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/sync/${docName}${query}`)
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
  }
}

/**
 * A writer that knows which of its edits the server has acknowledged as on disk: a stock
 * y-websocket client (`disableBc: true`) with the persistence tracker, typing numbered tokens into
 * a paragraph of its own. Every document-changing frame it sends records how many edits had been
 * made when it was sent; when the server acknowledges frames up to n on a socket (`persisted`),
 * every edit made before frame n was sent is on disk: an earlier frame on that socket carried it,
 * or the socket's sync step 2 did (it carries everything the server lacked), and the server writes
 * in order.
 */

import { PersistenceTracker } from '@onetext/shared/persistenceTracker'
import { isDocumentChangingFrame, PROTOCOL_PARAMS } from '@onetext/shared/protocol'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/** A writer typing into one document. */
export interface AckedWriter {
  /** The token of edit `index` (from 1), unique across writers. */
  token(index: number): string
  /** Makes the next edit; returns its number. */
  edit(): number
  /** Edits made so far. */
  readonly edits: number
  /** Edits 1..acked are acknowledged as on disk. */
  readonly acked: number
  /** Calls `listener` whenever `acked` grows; returns a function that stops it. */
  onAcked(listener: () => void): () => void
  /** Resolves once every edit made so far is acknowledged. */
  saved(): Promise<void>
  destroy(): void
}

/**
 * Connects writer `name` (letters and digits) to `docName` at `baseUrl` with session `token`;
 * resolves after its first sync, once it has added its paragraph.
 */
export function connectAckedWriter(
  baseUrl: string,
  token: string,
  docName: string,
  name: string,
): Promise<AckedWriter> {
  const doc = new Y.Doc()
  const tracker = new PersistenceTracker()
  let edits = 0
  let acked = 0
  /** For each socket: the number of edits made when each of its document-changing frames was sent. */
  const editsAtFrame = new WeakMap<object, number[]>()
  const Recording = class RecordingWebSocket extends WebSocket {
    override send(data: unknown, ...rest: unknown[]): void {
      if (data instanceof Uint8Array && isDocumentChangingFrame(data)) {
        const frames = editsAtFrame.get(this) ?? []
        frames.push(edits)
        editsAtFrame.set(this, frames)
      }
      ;(super.send as (...args: unknown[]) => void)(data, ...rest)
    }
  }
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/sync`, docName, doc, {
    WebSocketPolyfill: tracker.socketClass(Recording) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { ...PROTOCOL_PARAMS, token },
    maxBackoffTime: 250,
  })
  tracker.attach(provider)
  const listeners = new Set<() => void>()
  tracker.subscribe(() => {
    const count = tracker.snapshot().acked
    const frames = provider.ws ? editsAtFrame.get(provider.ws) : undefined
    const upTo = count > 0 ? frames?.[count - 1] : undefined
    if (upTo === undefined || upTo <= acked) return
    acked = upTo
    for (const listener of listeners) listener()
  })
  const tokenOf = (index: number) => `[${name}.${index}]`
  let text: Y.XmlText | null = null
  const writer: AckedWriter = {
    token: tokenOf,
    edit() {
      edits++
      text?.insert(text.length, tokenOf(edits))
      return edits
    },
    get edits() {
      return edits
    },
    get acked() {
      return acked
    },
    onAcked(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    saved: () => tracker.whenSaved(),
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
  return new Promise((resolve) => {
    const start = () => {
      const paragraph = new Y.XmlElement('paragraph')
      const own = new Y.XmlText(`Writer ${name}: `)
      paragraph.insert(0, [own])
      const fragment = doc.getXmlFragment('default')
      fragment.insert(fragment.length, [paragraph])
      text = own
      resolve(writer)
    }
    if (provider.synced) start()
    else provider.once('sync', start)
  })
}

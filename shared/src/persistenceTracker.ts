/**
 * The client half of the persisted-acknowledgement protocol (docs/PROTOCOL.md): tells whether every
 * local edit is on the server's disk. Works with the stock y-websocket `WebsocketProvider`:
 *
 * ```ts
 * const tracker = new PersistenceTracker()
 * const provider = new WebsocketProvider(url, name, doc, { WebSocketPolyfill: tracker.socketClass(WebSocket) })
 * tracker.attach(provider)
 * tracker.subscribe(() => render(tracker.snapshot()))
 * ```
 *
 * It counts the document-changing frames (sync step 2, sync update) sent on the current socket and
 * compares them with the count the server acknowledges in `messagePersisted`. Local edits made while
 * no socket is open, and sent edits that were never acknowledged when a socket closed, are "unsent"
 * until the sync step 2 of the next socket carries them.
 */
import * as decoding from 'lib0/decoding'
import {
  isDocumentChangingFrame,
  messageError,
  messagePersisted,
  messageRefused,
  messageSync,
  type Refusal,
  readError,
  readPersisted,
  readRefused,
  syncStep2,
} from './protocol'

/** What the save indicator shows. */
export type SaveState =
  | 'saved'
  /** Connected, not yet in step with the server, with no edit of its own waiting. */
  | 'connecting'
  | 'saving'
  | 'offline'
  | 'offline-unsaved'
  | 'storage-retrying'
  | 'read-only'
  | 'refused'

/** The tracker's state at one moment. */
export interface SaveSnapshot {
  state: SaveState
  /** Document-changing frames sent on the current socket. */
  sent: number
  /** Of those, how many the server has acknowledged as on disk. */
  acked: number
  /** True when local edits exist that no open socket has carried yet. */
  unsent: boolean
  /** The last error the server reported, if any. */
  lastError: { code: number; text: string } | null
  /**
   * Why the first refused change was refused (the `refused` message's text), once one was: the
   * cause of the `refused` state. Later changes build on it and are refused too, with a message
   * saying so.
   */
  refusal: string | null
}

/** A refused change as the tracker reports it: the server's refusal and the update it refused. */
export interface RefusedChange extends Refusal {
  /**
   * The Yjs update the refused frame carried (a sync step 2 or update sent on the current socket),
   * or null when the tracker no longer holds it.
   */
  update: Uint8Array | null
}

/** y-websocket calls handlers as (encoder, decoder, provider, emitSynced, messageType). */
type MessageHandler = (encoder: unknown, decoder: decoding.Decoder) => void

/** The parts of y-websocket's WebsocketProvider the tracker uses. */
export interface ProviderLike {
  ws: unknown
  wsconnected: boolean
  synced: boolean
  /** Indexed by message type; typed loosely because the provider's own handlers take more arguments. */
  messageHandlers: unknown[]
  on(event: 'status', handler: (event: { status: string }) => void): void
  on(event: 'sync', handler: (synced: boolean) => void): void
  doc: { on(event: 'update', handler: (update: Uint8Array, origin: unknown) => void): void }
}

type SocketConstructor = new (...args: never[]) => { send(data: never): void }

function toBytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return null
}

/** Error codes (ErrorCode in protocol.ts) that change the save state. */
const READ_ONLY = 1
const STORAGE_RETRYING = 3

/** The Yjs update a sync step 2 or sync update frame carries. */
function updateOfFrame(frame: Uint8Array): Uint8Array | null {
  const decoder = decoding.createDecoder(frame)
  if (decoding.readVarUint(decoder) !== messageSync) return null
  decoding.readVarUint(decoder)
  return decoding.readVarUint8Array(decoder)
}

/** True when `frame` (a sync step 2 or update) carries an empty Yjs update: nothing to save. */
function carriesNothing(frame: Uint8Array): boolean {
  const update = updateOfFrame(frame)
  return update !== null && update.length === 2 && update[0] === 0 && update[1] === 0
}

export class PersistenceTracker {
  private provider: ProviderLike | null = null
  private socket: unknown = null
  private sent = 0
  private acked = 0
  private unsent = false
  private readOnly = false
  private refusal: string | null = null
  private storageRetrying = false
  private lastError: { code: number; text: string } | null = null
  /** Document-changing frames sent on the current socket and not yet acknowledged, from `acked + 1`. */
  private unacked: Uint8Array[] = []
  /**
   * For each frame of `unacked`: whether it holds an edit to call unsaved. An empty update holds
   * none, unless it is the step 2 that stands for edits an earlier socket left unacknowledged (the
   * server may hold them in memory, not yet on disk: only this frame's acknowledgement, which
   * follows every earlier write, says they are saved).
   */
  private unackedCounts: boolean[] = []
  private readonly listeners = new Set<() => void>()
  private readonly refusalListeners = new Set<(change: RefusedChange) => void>()
  private cached: SaveSnapshot | null = null

  /** A subclass of `Base` (the WebSocket class) whose `send` reports frames to this tracker. */
  socketClass<T extends SocketConstructor>(Base: T): T {
    const tracker = this
    type Mixable = new (
      // biome-ignore lint/suspicious/noExplicitAny: a mixin base constructor must take any[] arguments
      ...args: any[]
    ) => { send(data: unknown): void }
    const Tracked = class extends (Base as unknown as Mixable) {
      override send(data: unknown): void {
        tracker.onSend(this, data)
        super.send(data)
      }
    }
    return Tracked as unknown as T
  }

  /** Connects to a provider: registers the acknowledgement handlers and watches local edits. */
  attach(provider: ProviderLike): void {
    this.provider = provider
    const onPersisted: MessageHandler = (_encoder, decoder) => {
      this.onPersisted(provider.ws, readPersisted(decoder))
    }
    const onError: MessageHandler = (_encoder, decoder) => {
      this.onError(readError(decoder))
    }
    const onRefused: MessageHandler = (_encoder, decoder) => {
      this.handleRefused(provider.ws, readRefused(decoder))
    }
    provider.messageHandlers[messagePersisted] = onPersisted
    provider.messageHandlers[messageError] = onError
    provider.messageHandlers[messageRefused] = onRefused
    provider.on('status', ({ status }) => {
      if (status !== 'connected') this.onSocketGone()
      this.changed()
    })
    provider.on('sync', () => this.changed())
    provider.doc.on('update', (_update, origin) => {
      if (origin === provider) return
      if (!provider.wsconnected) this.unsent = true
      this.changed()
    })
  }

  /**
   * Calls `listener` with every change the server refuses, on the socket it was sent on; returns an
   * unsubscribe function.
   */
  onRefused(listener: (change: RefusedChange) => void): () => void {
    this.refusalListeners.add(listener)
    return () => this.refusalListeners.delete(listener)
  }

  /** Calls `listener` after every change; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The current state; the same object until something changes. */
  snapshot(): SaveSnapshot {
    this.cached ??= {
      state: this.state(),
      sent: this.sent,
      acked: this.acked,
      unsent: this.unsent,
      lastError: this.lastError,
      refusal: this.refusal,
    }
    return this.cached
  }

  /** Resolves once every local edit made so far is acknowledged as on disk. */
  whenSaved(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.state() === 'saved') {
          unsubscribe()
          resolve()
        }
      }
      const unsubscribe = this.subscribe(check)
      check()
    })
  }

  private state(): SaveState {
    const connected = this.provider?.wsconnected === true
    // A frame with an empty update (the step 2 of a copy with nothing the server lacks, on every
    // connect) waits for its acknowledgement like any other, but holds no edit to call unsaved.
    const pending =
      this.unsent || (this.sent > this.acked && this.unackedCounts.some((counts) => counts))
    // The server dropped a local change: this copy has diverged and can never be saved. After a
    // refused change, every later change of this copy builds on it and is refused too.
    if (this.readOnly) return 'read-only'
    if (this.refusal !== null) return 'refused'
    if (!connected) return pending ? 'offline-unsaved' : 'offline'
    if (this.storageRetrying && pending) return 'storage-retrying'
    if (pending) return 'saving'
    if (this.provider?.synced !== true) return 'connecting'
    return 'saved'
  }

  private onSend(socket: unknown, data: unknown): void {
    const frame = toBytes(data)
    if (!frame || !isDocumentChangingFrame(frame)) return
    if (socket !== this.socket) {
      this.socket = socket
      this.sent = 0
      this.acked = 0
      this.unacked = []
      this.unackedCounts = []
    }
    this.sent++
    this.unacked.push(frame)
    const stepTwo = frame[1] === syncStep2
    this.unackedCounts.push(!carriesNothing(frame) || (stepTwo && this.unsent))
    // Sync step 2 carries everything the server lacks, including edits made while offline.
    if (stepTwo) this.unsent = false
    this.changed()
  }

  private onPersisted(socket: unknown, count: number): void {
    if (socket !== this.socket || count <= this.acked) return
    const acked = Math.min(count, this.sent)
    this.unacked.splice(0, acked - this.acked)
    this.unackedCounts.splice(0, acked - this.acked)
    this.acked = acked
    this.storageRetrying = false
    this.changed()
  }

  private onError(error: { code: number; text: string }): void {
    this.lastError = error
    if (error.code === READ_ONLY) this.readOnly = true
    if (error.code === STORAGE_RETRYING) this.storageRetrying = true
    this.changed()
  }

  private handleRefused(socket: unknown, refusal: Refusal): void {
    if (socket !== this.socket) return
    this.refusal ??= refusal.text
    const frame = this.unacked[refusal.frame - this.acked - 1]
    const change: RefusedChange = { ...refusal, update: frame ? updateOfFrame(frame) : null }
    this.changed()
    for (const listener of this.refusalListeners) listener(change)
  }

  private onSocketGone(): void {
    // Unacknowledged frames that held an edit (or stood for one) must be sent again.
    if (this.unackedCounts.some((counts) => counts)) this.unsent = true
    this.socket = null
    this.sent = 0
    this.acked = 0
    this.unacked = []
    this.unackedCounts = []
  }

  private changed(): void {
    this.cached = null
    for (const listener of this.listeners) listener()
  }
}

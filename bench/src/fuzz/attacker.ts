/**
 * One attacking connection: a raw websocket of one user to one document, holding a copy of the
 * document (synced from the server's step 2 and updates) that the fuzzer builds frames on. It
 * counts its document-changing frames as the server does, so that it knows which of its frames a
 * `refused` names, and checks that the server never acknowledges more frames than it sent. After
 * each batch it waits for the server to have read everything (a ping's pong), so that what the
 * server does can be pinned to a batch.
 */
import {
  ErrorCode,
  messageAwareness,
  messageError,
  messagePersisted,
  messageRefused,
  messageSync,
  PROTOCOL_PARAMS,
  syncStep1,
  syncStep2,
  syncUpdate,
} from '@onetext/shared/protocol'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { countsAsChange, type FuzzFrame, syncFrame } from './frames'

/** A signed-in user the fuzzer attacks (or types) as. */
export interface FuzzUser {
  key: string
  token: string
  id: string
  name: string
  partyId: string | null
}

/** How a batch ended: the server read it, closed the socket, or did not answer in time. */
export type BatchEnd = 'read' | 'closed' | 'timeout'

/** Something an attacker saw that must not happen (besides crashes and stalls). */
export interface AttackerAnomaly {
  kind: string
  detail: string
}

/** One user's attacking connection to one document (see the module comment). */
export class Attacker {
  /** The attacker's copy of the document. */
  doc = new Y.Doc()
  /** Frames sent on sockets of this attacker, in all. */
  framesSent = 0
  /** Close codes seen, with counts. */
  readonly closeCodes = new Map<number, number>()
  /** Refusal reasons seen, with counts. */
  readonly refusals = new Map<number, number>()
  readonly anomalies: AttackerAnomaly[] = []
  /** True once the server said this connection may only read. */
  readOnly = false
  private ws: WebSocket | null = null
  private counted = 0
  private acked = 0
  /** Numbers of counted frames built through the copy's Yjs API: a refusal of one spoils the copy. */
  private readonly fromCopy = new Set<number>()
  private copySpoiled = false
  private closed = true

  constructor(
    readonly baseUrl: string,
    readonly user: FuzzUser,
    readonly docName: string,
    /** Called with every well-formed frame the server sends (the corpus grows from it). */
    private readonly onServerFrame: (frame: Uint8Array) => void,
  ) {}

  /** A readable name: user and document. */
  get name(): string {
    return `${this.user.key}@${this.docName}`
  }

  /** Opens a socket if none is open; resolves true once open, false when the server refused it. */
  async connect(timeoutMs: number): Promise<boolean> {
    if (this.ws && !this.closed) return true
    if (this.copySpoiled) {
      this.doc.destroy()
      this.doc = new Y.Doc()
      this.copySpoiled = false
    }
    const query = new URLSearchParams({ ...PROTOCOL_PARAMS, token: this.user.token })
    const ws = new WebSocket(`${this.baseUrl.replace(/^http/, 'ws')}/sync/${this.docName}?${query}`)
    this.ws = ws
    this.closed = false
    this.counted = 0
    this.acked = 0
    this.fromCopy.clear()
    ws.binaryType = 'nodebuffer'
    ws.on('message', (data: Buffer) => this.onMessage(new Uint8Array(data)))
    ws.on('error', () => {})
    ws.on('close', (code) => {
      if (this.ws !== ws) return
      this.closed = true
      this.closeCodes.set(code, (this.closeCodes.get(code) ?? 0) + 1)
    })
    const opened = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs)
      ws.once('open', () => {
        clearTimeout(timer)
        resolve(true)
      })
      ws.once('close', () => {
        clearTimeout(timer)
        resolve(false)
      })
      ws.once('unexpected-response', () => {
        clearTimeout(timer)
        this.closed = true
        resolve(false)
      })
    })
    if (opened) this.askForDocument()
    return opened
  }

  /**
   * Starts the copy over when a refusal showed that it holds what the server does not (a change
   * built on it that was refused): a fresh copy, filled by the server's answer to an empty step 1.
   */
  refreshCopy(): void {
    if (!this.copySpoiled || !this.isOpen) return
    this.doc.destroy()
    this.doc = new Y.Doc()
    this.copySpoiled = false
    this.askForDocument()
  }

  /** Asks the server for what the copy lacks (sync step 1 with the copy's state vector). */
  private askForDocument(): void {
    this.send([{ label: 'step1', data: syncFrame(syncStep1, Y.encodeStateVector(this.doc)) }])
  }

  /** True while the socket is open. */
  get isOpen(): boolean {
    return !this.closed && this.ws?.readyState === WebSocket.OPEN
  }

  /**
   * Sends `frames` (in one TCP write when `corked`); `copyFrames` are the indexes of those built
   * through the copy's Yjs API. Returns how many were handed to the socket.
   */
  send(frames: readonly FuzzFrame[], corked = false, copyFrames: ReadonlySet<number> = new Set()) {
    const ws = this.ws
    if (!ws || !this.isOpen) return 0
    const socket = (ws as unknown as { _socket: import('node:net').Socket | null })._socket
    if (corked) socket?.cork()
    frames.forEach((frame, index) => {
      if (countsAsChange(frame.data)) {
        this.counted++
        if (copyFrames.has(index)) this.fromCopy.add(this.counted)
      }
      const binary = typeof frame.data !== 'string'
      if (!frame.fragments || typeof frame.data === 'string' || frame.data.length < 2) {
        ws.send(frame.data, { binary })
        return
      }
      // One message in several websocket frames (continuation frames), which the server joins.
      const cuts = [
        0,
        ...frame.fragments
          .filter((cut) => cut > 0 && cut < frame.data.length)
          .sort((a, b) => a - b),
        frame.data.length,
      ]
      for (let i = 0; i + 1 < cuts.length; i++)
        ws.send(frame.data.subarray(cuts[i], cuts[i + 1]), { binary, fin: i + 2 === cuts.length })
    })
    if (corked) socket?.uncork()
    this.framesSent += frames.length
    return frames.length
  }

  /**
   * Resolves once the server has read everything sent so far (the pong of a ping sent now: `ws`
   * answers a ping when it reaches it, after handling every frame before it; the updates of that
   * read are applied in the same turn), the socket closed, or `timeoutMs` passed.
   */
  barrier(timeoutMs: number): Promise<BatchEnd> {
    const ws = this.ws
    if (!ws || !this.isOpen) return Promise.resolve('closed')
    return new Promise<BatchEnd>((resolve) => {
      const finish = (end: BatchEnd) => {
        clearTimeout(timer)
        ws.off('pong', onPong)
        ws.off('close', onClose)
        resolve(end)
      }
      const onPong = () => finish('read')
      const onClose = () => finish('closed')
      const timer = setTimeout(() => finish('timeout'), timeoutMs)
      ws.once('pong', onPong)
      ws.once('close', onClose)
      ws.ping()
    })
  }

  /** Closes the socket and waits for it to close. */
  async close(): Promise<void> {
    const ws = this.ws
    if (!ws || this.closed) return
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve())
      ws.close()
    })
  }

  private onMessage(frame: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(frame)
      const type = decoding.readVarUint(decoder)
      if (type === messageSync) this.onSync(decoder, frame)
      else if (type === messagePersisted) this.onPersisted(decoding.readVarUint(decoder))
      else if (type === messageRefused) {
        const frameNumber = decoding.readVarUint(decoder)
        this.onRefused(frameNumber, decoding.readVarUint(decoder))
      } else if (type === messageError && decoding.readVarUint(decoder) === ErrorCode.readOnly) {
        this.readOnly = true
        this.copySpoiled = this.copySpoiled || this.fromCopy.size > 0
      } else if (type === messageAwareness) this.onServerFrame(frame)
    } catch (error) {
      this.anomalies.push({ kind: 'unreadable server frame', detail: String(error) })
    }
  }

  private onSync(decoder: decoding.Decoder, frame: Uint8Array): void {
    const subType = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    if (subType !== syncStep2 && subType !== syncUpdate) return
    this.onServerFrame(frame)
    try {
      Y.applyUpdate(this.doc, payload, 'server')
    } catch (error) {
      this.anomalies.push({
        kind: 'server update Yjs cannot apply',
        detail: `${this.name}: ${String(error)}`,
      })
      this.copySpoiled = true
    }
  }

  private onPersisted(count: number): void {
    if (count > this.counted || count < this.acked)
      this.anomalies.push({
        kind: 'acknowledgement out of step',
        detail: `${this.name}: persisted(${count}) after ${this.acked}, ${this.counted} frames sent`,
      })
    this.acked = Math.max(this.acked, count)
  }

  private onRefused(frame: number, reason: number): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1)
    if (frame > this.counted)
      this.anomalies.push({
        kind: 'refusal of a frame never sent',
        detail: `${this.name}: refused frame ${frame}, ${this.counted} frames sent`,
      })
    if (this.fromCopy.has(frame)) this.copySpoiled = true
  }
}

/**
 * One websocket connection to one document. Message handlers are attached in the constructor,
 * before the document has loaded; messages that arrive meanwhile are queued and handled in order
 * once it has. Every message is checked against the connection's access: a read-only connection's
 * document changes are dropped (never applied, stored or sent on), and its presence identity is
 * always the server's.
 */

import type { Writable } from 'node:stream'
import type { PresenceUser } from '@onetext/shared/apiTypes'
import {
  type CloseEvent,
  LoadFailed,
  OwnedElsewhere,
  ProtocolViolation,
} from '@onetext/shared/closeCodes'
import { MAX_MALFORMED_MESSAGES } from '@onetext/shared/limits'
import {
  ErrorCode,
  messageAuth,
  messageAwareness,
  messageQueryAwareness,
  messageSync,
  RefusalReason,
  syncStep1,
  syncStep2,
  syncUpdate,
  writeError,
  writePersisted,
  writeRefused,
} from '@onetext/shared/protocol'
import * as decoding from 'lib0/decoding'
import type { RawData, WebSocket } from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { MalformedUpdate } from '../gate/SafeDecoder'
import { checkStateVector } from '../gate/updateStructure'
import { LeaseLostError } from '../storage/LeaseLostError'
import { stampAwarenessUpdate } from './awarenessStamp'
import type { IndexedConnection } from './ConnectionIndex'
import type { DocumentRegistry, StoredSnapshotListener } from './DocumentRegistry'
import { type IncomingUpdate, IncomingUpdates } from './IncomingUpdates'
import type { DocumentPeer } from './origins'
import type { PersistenceQueue } from './PersistenceQueue'
import { ReaderUpdates } from './ReaderUpdates'
import { type BacklogLimits, SendBacklog } from './SendBacklog'
import { encodeAwarenessFrame, type SharedDocument } from './SharedDocument'
import {
  encodeSyncStep1Frame,
  encodeSyncStep2Frame,
  encodeUpdateFrame,
  isWholeDocumentRequest,
} from './syncFrames'
import type { TurnCork } from './TurnCork'

/** Interval between keep-alive pings; a connection that misses one pong is closed. */
export const PING_INTERVAL_MS = 30_000

/** Who is connected and what they may do. */
export interface ConnectionContext {
  docName: string
  negotiationId: string
  identity: PresenceUser
  access: 'read' | 'write'
  /** The SHA-256 of the session token the connection was opened with (closed when it ends). */
  sessionHash: string
  registry: DocumentRegistry
  persistence: PersistenceQueue
  /** Coalesces each turn's frames to one socket into one write. */
  cork: TurnCork
  /** How far behind a client may fall before it is dropped (see SendBacklog). */
  backlogLimits: BacklogLimits
  log: (line: string) => void
}

export class ClientConnection implements DocumentPeer, IndexedConnection {
  private document: SharedDocument | null = null
  private readonly queue: Uint8Array[] = []
  /** Document updates received and not applied yet, with their frame numbers (see {@link received}). */
  private readonly incoming = new IncomingUpdates({
    apply: (run, unbounded) => this.applyUpdates(run, unbounded),
    settled: () => this.scheduleAck(),
    reading: (on) => {
      if (this.closed) return
      if (on) this.ws.resume()
      else this.ws.pause()
    },
  })
  private closed = false
  private malformed = 0
  private alive = true
  private readonly pingTimer: NodeJS.Timeout
  private readonly awarenessClients = new Set<number>()
  /** Document-changing messages received (see messagePersisted in docs/PROTOCOL.md). */
  private received = 0
  /** The acknowledgement waiting for the open batch's write, updated until that write starts. */
  private pendingAck: { count: number; batch: number } | null = null
  /** What a read-only connection's document messages get answered with. */
  private readonly reader = new ReaderUpdates({
    send: (frame) => this.send(frame),
    log: (line) => this.context.log(`${line} on ${this.context.docName}`),
    malformed: (detail) => this.reportMalformed(detail),
  })
  private readonly backlog: SendBacklog
  /**
   * True once this connection has been sent a sync step 2. Before that, other people's updates are
   * not sent to it: the step 2 is computed when the client's step 1 arrives and contains them. A
   * client reconnecting during a flood of edits would otherwise receive thousands of updates it
   * cannot integrate yet (their predecessors come with the step 2), and Yjs re-merges its pending
   * updates on every one of them.
   */
  private answeredStep1 = false
  /**
   * The stored snapshot the document is being loaded from, while it loads (see
   * DocumentRegistry.open): a client asking for the whole document meanwhile is answered with it at
   * once, and applies it while the server builds its own copy.
   */
  private loadingSnapshot: Uint8Array | null = null
  /** The snapshot this connection was answered with before the document loaded, if it was. */
  private answeredWith: Uint8Array | null = null
  /** Lets the document's build wait for the snapshot's write (see DocumentRegistry.open). */
  private holdBuild: ((written: Promise<void>) => void) | null = null

  /** `socket` is the connection's TCP socket, the one `ws` writes to (for {@link TurnCork}). */
  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Writable,
    private readonly context: ConnectionContext,
  ) {
    ws.binaryType = 'nodebuffer'
    this.backlog = new SendBacklog(socket, context.backlogLimits)
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary))
    ws.on('close', () => this.onClose())
    ws.on('error', (error) =>
      context.log(`websocket error on ${context.docName}: ${error.message}`),
    )
    ws.on('pong', () => {
      this.alive = true
    })
    this.pingTimer = setInterval(() => {
      if (!this.alive) {
        ws.terminate()
        return
      }
      this.alive = false
      ws.ping()
    }, PING_INTERVAL_MS)
    this.pingTimer.unref()
    context.registry.open(context.docName, this.onStoredSnapshot).then(
      (document) => this.onLoaded(document),
      (error: unknown) => {
        if (error instanceof LeaseLostError) {
          this.close(OwnedElsewhere)
          return
        }
        context.log(`loading ${context.docName} failed: ${String(error)}`)
        this.close(LoadFailed)
      },
    )
  }

  /** The server-stamped identity of this connection. */
  get identity(): PresenceUser {
    return this.context.identity
  }

  /** The negotiation the document belongs to. */
  get negotiationId(): string {
    return this.context.negotiationId
  }

  /** The signed-in user of this connection. */
  get userId(): string {
    return this.context.identity.id
  }

  /** The document this connection has open. */
  get docName(): string {
    return this.context.docName
  }

  /** What this connection may do with its document. */
  get access(): 'read' | 'write' {
    return this.context.access
  }

  /** The SHA-256 of the session token this connection was opened with. */
  get sessionHash(): string {
    return this.context.sessionHash
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return
    if (!this.backlog.admit(this.ws.bufferedAmount)) {
      // A client this far behind gets what it lacks in one sync answer when it reconnects.
      this.context.log(`dropping a connection to ${this.context.docName} that has fallen behind`)
      this.ws.terminate()
      return
    }
    this.context.cork.hold(this.socket)
    this.ws.send(frame, { binary: true })
  }

  sendUpdate(frame: Uint8Array): void {
    if (this.answeredStep1) this.send(frame)
  }

  /**
   * Closes with a named close code. Reading resumes if a flood had paused it: the close handshake
   * needs the client's close frame (what comes before it is ignored), or the client would hear of
   * the close only when `ws` gives up waiting (30 s).
   */
  close(event: CloseEvent): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(event.code, event.reason)
    }
    this.onClose()
    this.ws.resume()
  }

  private onLoaded(document: SharedDocument): void {
    if (this.closed) {
      return
    }
    this.document = document
    this.loadingSnapshot = null
    this.holdBuild = null
    this.context.registry.attach(document, this)
    if (this.answeredWith && !document.isExactly(this.answeredWith)) {
      // A load hook changed the document after this client was sent the snapshot: send the rest.
      this.send(
        encodeUpdateFrame(document.updateFor(Y.encodeStateVectorFromUpdate(this.answeredWith))),
      )
    }
    this.answeredWith = null
    // Sync step 1: ask the client for what the server lacks; the client answers with step 2.
    this.send(encodeSyncStep1Frame(document.doc))
    if (document.awareness.getStates().size > 0) this.send(encodeAwarenessFrame(document.awareness))
    for (const frame of this.queue.splice(0)) this.handle(document, frame)
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed) return
    if (!isBinary || !Buffer.isBuffer(data)) {
      this.reportMalformed('text frames are not part of the protocol')
      return
    }
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    if (this.document) this.handle(this.document, frame)
    else if (!this.answerWhileLoading(frame)) this.queue.push(frame)
  }

  private readonly onStoredSnapshot: StoredSnapshotListener = (snapshot, holdBuild) => {
    if (this.closed || this.document) return
    this.loadingSnapshot = snapshot
    this.holdBuild = holdBuild
    const index = this.queue.findIndex((frame) => this.answerWhileLoading(frame))
    if (index >= 0) this.queue.splice(index, 1)
  }

  /**
   * Answers a sync step 1 that asks for the whole document (an empty state vector) with the stored
   * snapshot while the document is still being built from it; true if `frame` was that and is
   * answered. Anything else waits for the document.
   */
  private answerWhileLoading(frame: Uint8Array): boolean {
    const snapshot = this.loadingSnapshot
    if (!snapshot || this.answeredStep1 || !isWholeDocumentRequest(frame)) return false
    this.answeredStep1 = true
    this.answeredWith = snapshot
    if (this.ws.readyState !== this.ws.OPEN) return true
    // Written at once, not at the end of the turn: the build that follows blocks the event loop,
    // and waits for this write (see DocumentRegistry.open).
    const answer = encodeSyncStep2Frame(snapshot)
    this.holdBuild?.(
      new Promise<void>((resolve) => this.ws.send(answer, { binary: true }, () => resolve())),
    )
    return true
  }

  private handle(document: SharedDocument, frame: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(frame)
      const type = decoding.readVarUint(decoder)
      switch (type) {
        case messageSync:
          this.handleSync(document, decoder)
          break
        case messageAwareness:
          this.handleAwareness(document, decoding.readVarUint8Array(decoder))
          break
        case messageQueryAwareness:
          this.send(encodeAwarenessFrame(document.awareness))
          break
        case messageAuth:
          break
        default:
          this.reportMalformed(`unknown message type ${type}`)
      }
    } catch (error) {
      this.reportMalformed(error instanceof Error ? error.message : String(error))
    }
  }

  private handleSync(document: SharedDocument, decoder: decoding.Decoder): void {
    const subType = decoding.readVarUint(decoder)
    if (subType === syncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder)
      try {
        checkStateVector(stateVector)
      } catch (error) {
        if (!(error instanceof MalformedUpdate)) throw error
        this.reportMalformed(error.message)
        return
      }
      this.answeredStep1 = true
      this.send(encodeSyncStep2Frame(document.updateFor(stateVector)))
      return
    }
    if (subType !== syncStep2 && subType !== syncUpdate) {
      this.reportMalformed(`unknown sync message type ${subType}`)
      return
    }
    const update = decoding.readVarUint8Array(decoder)
    this.received++
    if (this.context.access !== 'write') {
      this.reader.receive(document.doc, subType === syncStep2, update, this.received)
      this.scheduleAck()
      return
    }
    // Applied with the rest of this turn's updates from this client (IncomingUpdates.ts).
    this.incoming.receive({ update, frame: this.received, stepTwo: subType === syncStep2 })
  }

  /**
   * Applies a run of this client's updates (as many as the document's turn budget allows, or all
   * when `unbounded`) and answers each refused one; returns how many were taken.
   */
  private applyUpdates(run: readonly IncomingUpdate[], unbounded: boolean): number {
    const document = this.document
    if (!document) return run.length
    const outcomes = document.applyClientUpdates(
      run,
      this,
      this.context.identity,
      (client) => this.awarenessClients.has(client),
      unbounded,
    )
    outcomes.forEach((outcome, index) => {
      if (outcome === 'applied') return
      const entry = run[index]
      if (
        entry &&
        !entry.stepTwo &&
        outcome.reason === RefusalReason.buildsOnRefused &&
        this.incoming.holdEarly(entry)
      )
        return
      const frame = entry?.frame ?? this.received
      this.context.log(`refused frame ${frame} on ${this.context.docName}: ${outcome.text}`)
      this.send(writeRefused(frame, outcome.reason, outcome.text))
      if (outcome.reason === RefusalReason.malformed) this.countMalformed()
    })
    return outcomes.length
  }

  /**
   * Acknowledges everything received so far once it is on disk. While the batch this connection's
   * pending acknowledgement waits for is still open, the acknowledgement grows to cover the new
   * message; once that batch's write has started, the new message is in the next batch and needs
   * an acknowledgement of its own (else it would be acknowledged before it is written).
   */
  private scheduleAck(): void {
    const batch = this.context.persistence.openBatch
    // Never past an update not in the document yet (held for the step 2, or waiting its turn).
    const unsettled = this.incoming.firstUnsettledFrame
    const count = unsettled === null ? this.received : unsettled - 1
    if (this.pendingAck?.batch === batch) {
      this.pendingAck.count = count
      return
    }
    const ack = { count, batch }
    this.pendingAck = ack
    this.context.persistence.afterDurable(() => {
      if (this.pendingAck === ack) this.pendingAck = null
      this.send(writePersisted(ack.count))
    })
  }

  private handleAwareness(document: SharedDocument, update: Uint8Array): void {
    const { update: stamped, clientIDs } = stampAwarenessUpdate(
      update,
      this.context.identity,
      (clientID) => {
        if (this.awarenessClients.has(clientID)) return true
        for (const peer of document.connections) {
          if (
            peer !== this &&
            peer instanceof ClientConnection &&
            peer.awarenessClients.has(clientID)
          )
            return false
        }
        return true
      },
    )
    for (const clientID of clientIDs) this.awarenessClients.add(clientID)
    awarenessProtocol.applyAwarenessUpdate(document.awareness, stamped, this)
  }

  private reportMalformed(detail: string): void {
    this.context.log(`malformed message on ${this.context.docName}: ${detail}`)
    this.send(writeError(ErrorCode.malformed, 'A message could not be read and was ignored.'))
    this.countMalformed()
  }

  /** Counts a malformed message; the connection closes at {@link MAX_MALFORMED_MESSAGES}. */
  private countMalformed(): void {
    this.malformed++
    if (this.malformed >= MAX_MALFORMED_MESSAGES) this.close(ProtocolViolation)
  }

  private onClose(): void {
    if (this.closed) return
    this.closed = true
    clearInterval(this.pingTimer)
    this.queue.length = 0
    const document = this.document
    if (!document) return
    this.incoming.drain()
    if (this.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(
        document.awareness,
        Array.from(this.awarenessClients),
        this,
      )
    }
    this.context.registry.detach(document, this)
  }
}

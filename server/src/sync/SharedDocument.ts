/**
 * One live document in memory: its Y.Doc, its awareness (presence) and the connections that have it
 * open. Every change is queued for durable storage and sent to every other connection; awareness
 * changes are sent to every other connection.
 */

import type { PresenceUser } from '@onetext/shared/apiTypes'
import { UPDATE_TURN_BUDGET_MS } from '@onetext/shared/limits'
import { messageAwareness, RefusalReason } from '@onetext/shared/protocol'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { ClientOwners } from '../gate/ClientOwners'
import { BUILDS_ON_REFUSED, type GateRefusal } from '../gate/GateRule'
import type { UpdateGate } from '../gate/UpdateGate'
import type { BuiltDocument } from '../storage/buildStoredDocument'
import { dropPending } from './dropPending'
import { COMMITTED_ORIGIN, type DocumentPeer, LOAD_ORIGIN } from './origins'
import type { PersistenceQueue } from './PersistenceQueue'
import { encodeUpdateFrame } from './syncFrames'

/** Encodes an awareness frame for `clients` (all known states when omitted). */
export function encodeAwarenessFrame(
  awareness: awarenessProtocol.Awareness,
  clients?: number[],
): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageAwareness)
  const ids = clients ?? Array.from(awareness.getStates().keys())
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, ids))
  return encoding.toUint8Array(encoder)
}

/**
 * What became of one client update: applied, or refused by the gate (or, should Yjs have held part
 * of it back after the gate let it through, refused as building on something the document lacks).
 */
export type UpdateOutcome = 'applied' | GateRefusal

/** An update a client sent: a live update, or its sync step 2 (what its copy holds beyond the server's). */
export interface ClientUpdate {
  update: Uint8Array
  stepTwo: boolean
}

export class SharedDocument {
  readonly doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  readonly connections = new Set<DocumentPeer>()
  /** Bytes of updates appended to the log since the last snapshot. */
  tailBytes = 0
  /** Size of the last snapshot, to decide when compaction pays. */
  snapshotBytes = 0
  /**
   * Checks every client update before it is applied, and the record of who owns which client ID
   * (both set by the registry's load hooks; a document without a gate takes no client updates).
   */
  gate: UpdateGate | null = null
  owners: ClientOwners | null = null
  /**
   * The stored snapshot while the document is exactly it (loaded with no log tail, unchanged
   * since): a full encoding of the state, sent as is to a client that has nothing yet instead of
   * encoding the whole document again. Dropped at the first change.
   */
  private unchangedSnapshot: Uint8Array | null
  /** Time client updates of this document took in the current turn, in milliseconds. */
  private turnSpentMs = 0
  private turnResetScheduled = false

  /** `loaded` is the document as built from storage (`buildStoredDocument`); it takes over its Y.Doc. */
  constructor(
    readonly name: string,
    loaded: BuiltDocument,
    private readonly persistence: PersistenceQueue,
    /** Most time client updates take of one turn ({@link UPDATE_TURN_BUDGET_MS} by default). */
    private readonly turnBudgetMs = UPDATE_TURN_BUDGET_MS,
  ) {
    this.doc = loaded.doc
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    // The server has no presence of its own.
    this.awareness.setLocalState(null)
    this.unchangedSnapshot = loaded.exactSnapshot
    this.snapshotBytes = loaded.snapshotBytes
    this.tailBytes = loaded.tailBytes
    persistence.noteLoaded(name, loaded.lastSeq)
    this.doc.on('update', this.onUpdate)
    this.awareness.on('update', this.onAwarenessUpdate)
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOAD_ORIGIN) return
    this.unchangedSnapshot = null
    if (origin !== COMMITTED_ORIGIN) this.persistence.enqueue(this.name, update)
    this.tailBytes += update.byteLength
    const frame = encodeUpdateFrame(update)
    for (const peer of this.connections) if (peer !== origin) peer.sendUpdate(frame)
  }

  /**
   * Applies a server change that is already on disk as log entry `seq` (written with the records it
   * projects): it is broadcast like any change and not written again.
   */
  applyCommitted(update: Uint8Array, seq: number): void {
    Y.applyUpdate(this.doc, update, COMMITTED_ORIGIN)
    this.persistence.noteLoaded(this.name, seq)
  }

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = change.added.concat(change.updated, change.removed)
    if (changed.length === 0) return
    const frame = encodeAwarenessFrame(this.awareness, changed)
    for (const peer of this.connections) if (peer !== origin) peer.send(frame)
  }

  /**
   * Applies the updates one client (`author`, its server-stamped identity) sent in one turn, in
   * order, as one Yjs transaction: one `update` event, so one stored update and one frame to each
   * other connection for the whole run instead of one per message. Each update passes the gate
   * first (in order, after the ones before it have been applied); a refused update is skipped and
   * changes nothing. The client IDs an accepted live update introduces become `author`'s; those a
   * sync step 2 introduces only when `ownClient` says they are the connection's own (a step 2 also
   * relays other people's changes the server lost in a crash, under their IDs).
   *
   * Client updates of one document take at most its turn budget of an event-loop turn
   * ({@link UPDATE_TURN_BUDGET_MS} unless the server was configured otherwise), unless
   * `unbounded`: once the budget is spent, the updates not yet begun are left for the caller to
   * offer again in a later turn. At least one update is always taken. Returns the
   * outcome of each update taken, in order (a prefix of `updates`).
   */
  applyClientUpdates(
    updates: readonly ClientUpdate[],
    origin: DocumentPeer,
    author: PresenceUser,
    ownClient: (client: number) => boolean,
    unbounded = false,
  ): UpdateOutcome[] {
    const gate = this.gate
    if (!gate) throw new Error(`${this.name} has no update gate`)
    const outcomes: UpdateOutcome[] = []
    this.doc.transact(() => {
      for (const { update, stepTwo } of updates) {
        if (outcomes.length > 0 && !unbounded && this.turnSpentMs >= this.turnBudgetMs) break
        const started = performance.now()
        const outcome = this.applyOne(gate, update, stepTwo, origin, author, ownClient)
        this.spend(performance.now() - started)
        outcomes.push(outcome)
      }
    }, origin)
    return outcomes
  }

  private spend(ms: number): void {
    this.turnSpentMs += ms
    if (this.turnResetScheduled) return
    this.turnResetScheduled = true
    setImmediate(() => {
      this.turnSpentMs = 0
      this.turnResetScheduled = false
    })
  }

  /** Passes one update through the gate and applies it if the gate accepts it. */
  private applyOne(
    gate: UpdateGate,
    update: Uint8Array,
    stepTwo: boolean,
    origin: DocumentPeer,
    author: PresenceUser,
    ownClient: (client: number) => boolean,
  ): UpdateOutcome {
    const verdict = gate.check(update, author, origin)
    if (verdict.refused) return verdict.refused
    try {
      Y.applyUpdate(this.doc, verdict.accepted, origin)
    } catch (error) {
      // The gate's copy took it; the document did not: the copy has diverged.
      gate.diverged()
      return {
        reason: RefusalReason.malformed,
        text: `Your change could not be applied (${String(error)}) and was refused.`,
      }
    }
    if (dropPending(this.doc)) {
      gate.diverged()
      return BUILDS_ON_REFUSED
    }
    gate.applied(author, stepTwo ? ownClient : undefined)
    return 'applied'
  }

  /** True while the document is exactly `snapshot`, the stored state it was loaded from, unchanged since. */
  isExactly(snapshot: Uint8Array): boolean {
    return this.unchangedSnapshot === snapshot
  }

  /**
   * Everything the holder of `stateVector` lacks, as one update (the sync step 2 answer). A client
   * with nothing (an empty state vector) gets the stored snapshot when the document is unchanged
   * since it was loaded.
   */
  updateFor(stateVector: Uint8Array): Uint8Array {
    const empty = stateVector.byteLength === 1 && stateVector[0] === 0
    if (empty && this.unchangedSnapshot) return this.unchangedSnapshot
    return Y.encodeStateAsUpdate(this.doc, stateVector)
  }

  /** True when the log has grown enough that a snapshot should replace it. */
  needsCompaction(): boolean {
    return this.tailBytes > Math.max(256 * 1024, this.snapshotBytes)
  }

  /** Full state for a snapshot; resets the tail counters. */
  takeSnapshot(): Uint8Array {
    const snapshot = Y.encodeStateAsUpdate(this.doc)
    this.snapshotBytes = snapshot.byteLength
    this.tailBytes = 0
    return snapshot
  }

  /** Frees the Y.Doc, awareness, gate and ownership record. */
  destroy(): void {
    this.gate?.destroy()
    this.owners?.destroy()
    this.doc.off('update', this.onUpdate)
    this.awareness.off('update', this.onAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
  }
}

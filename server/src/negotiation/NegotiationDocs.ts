/**
 * Server-side access to a negotiation's live documents: read them, and change them on the server's
 * own authority (SERVER_ORIGIN), resolving only once the change is on disk. Every change to the
 * status document refreshes the clause locks the working draft's guard enforces.
 */
import { formatDocumentName } from '@onetext/shared/documentNames'
import {
  type ActivityEntry,
  currentIteration,
  lockedClauseIds,
  type NegotiationStatus,
  readStatus,
  STATUS_ROOTS,
} from '@onetext/shared/statusDoc'
import * as Y from 'yjs'
import type { IterationRecord, IterationStore, RecordChange } from '../storage/IterationStore'
import { LeaseLostError, negotiationOfDocument } from '../storage/LeaseLostError'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import { SERVER_ORIGIN } from '../sync/origins'
import type { PersistenceQueue } from '../sync/PersistenceQueue'
import type { SharedDocument } from '../sync/SharedDocument'
import { untilSynced } from './clientState'

export class NegotiationDocs {
  private readonly locks = new Map<string, ReadonlySet<string>>()
  private readonly latest = new Map<string, number>()

  constructor(
    readonly registry: DocumentRegistry,
    private readonly persistence: PersistenceQueue,
    private readonly records: IterationStore,
  ) {}

  statusName(negotiationId: string): string {
    return formatDocumentName({ negotiationId, kind: 'status' })
  }

  draftName(negotiationId: string): string {
    return formatDocumentName({ negotiationId, kind: 'draft' })
  }

  layerName(negotiationId: string, partyId: string): string {
    return formatDocumentName({ negotiationId, kind: 'layer', partyId })
  }

  /** The caucus document of party `partyId` (its members alone read it; it holds their ballots). */
  caucusName(negotiationId: string, partyId: string): string {
    return formatDocumentName({ negotiationId, kind: 'caucus', partyId })
  }

  /** The negotiation's status as it is now. */
  status(negotiationId: string): Promise<NegotiationStatus> {
    return this.registry.withDocument(this.statusName(negotiationId), (document) =>
      readStatus(document.doc),
    )
  }

  /**
   * Resolves once document `name` includes the client's state `clientState` (base64 state vector;
   * at once when absent); rejects with `409 not-synced` after CLIENT_STATE_WAIT_MS (clientState.ts).
   */
  untilSynced(name: string, clientState: string | undefined): Promise<void> {
    return untilSynced(this.registry, this.stateWaiters, name, clientState)
  }

  /** Commands waiting on each document's state (see clientState.ts). */
  private readonly stateWaiters = new Map<string, number>()

  /** Resolves once everything queued so far is on disk. */
  durable(): Promise<void> {
    return new Promise((resolve) => this.persistence.afterDurable(resolve))
  }

  /**
   * Runs `change` in one transaction on document `name` as the server, waits until it is on disk
   * (a LeaseLostError when it was dropped unwritten because another process took the negotiation),
   * and returns what `change` returned. `change` runs synchronously, so a read-modify-write inside
   * it cannot interleave with another request's.
   */
  async change<T>(name: string, change: (doc: Y.Doc) => T): Promise<T> {
    let changed: SharedDocument | undefined
    const result = await this.registry.withDocument(name, (document) => {
      changed = document
      let value: T | undefined
      document.doc.transact(() => {
        value = change(document.doc)
      }, SERVER_ORIGIN)
      return value as T
    })
    await this.durable()
    // Dropped unwritten meanwhile: this process lost the negotiation to another.
    const negotiationId = negotiationOfDocument(name)
    if (negotiationId !== null && changed && this.registry.peek(name) !== changed)
      throw new LeaseLostError(negotiationId)
    return result
  }

  /**
   * Changes the status document as the server, together with the cycle's records the change
   * projects: `change` runs synchronously on a copy of the document and pushes the record changes
   * (iterations, publication, sign-offs) it makes onto `records`; the records and the document's
   * update are written in one transaction, and only then is the update applied to the live
   * document and sent to its readers. Nothing of a change that throws, or whose write fails, is
   * written or shown. Changes of one status document run one at a time. Refreshes the clause
   * locks afterwards and returns what `change` returned.
   */
  changeStatus<T>(
    negotiationId: string,
    change: (doc: Y.Doc, status: NegotiationStatus, records: RecordChange[]) => T,
  ): Promise<T> {
    const previous = this.statusTurns.get(negotiationId) ?? Promise.resolve()
    const turn = previous.then(() => this.commitStatus(negotiationId, change))
    const settled = turn.then(
      () => {},
      () => {},
    )
    this.statusTurns.set(negotiationId, settled)
    void settled.then(() => {
      if (this.statusTurns.get(negotiationId) === settled) this.statusTurns.delete(negotiationId)
    })
    return turn
  }

  /**
   * The client ID each loaded status document's committed changes are written under: one per
   * load, never the live document's own (Yjs takes its own ID arriving in an update for another
   * client's and picks a new one).
   */
  private commitClient(doc: Y.Doc): number {
    let client = this.commitClients.get(doc)
    if (client === undefined) {
      client = new Y.Doc().clientID
      this.commitClients.set(doc, client)
    }
    return client
  }

  private readonly commitClients = new WeakMap<Y.Doc, number>()

  /**
   * Calls `listener` with the activity entries each status change adds, once they are on disk and
   * shown (in the order they were added). A listener must not throw.
   */
  onActivity(listener: ActivityListener): void {
    this.activityListeners.push(listener)
  }

  private readonly activityListeners: ActivityListener[] = []

  /** The status documents' changes in progress, one at a time per negotiation. */
  private readonly statusTurns = new Map<string, Promise<void>>()

  private async commitStatus<T>(
    negotiationId: string,
    change: (doc: Y.Doc, status: NegotiationStatus, records: RecordChange[]) => T,
  ): Promise<T> {
    const name = this.statusName(negotiationId)
    try {
      // One action from copy to apply: the document stays loaded throughout.
      return await this.registry.withDocument(name, async (document) => {
        // What the document holds that is not on disk yet (a load's own changes) goes first:
        // the commit's update builds on it and must never be on disk without it.
        if (this.persistence.hasPending(name)) await this.durable()
        const doc = document.doc
        const prepared = prepareChange(doc, this.commitClient(doc), change)
        const { update } = prepared
        if (update) {
          let seq: number
          try {
            seq = await this.records.commit(prepared.records, { docName: name, update })
          } catch (error) {
            // Whether it reached the disk is unknown when the thread failed: never write under
            // these clocks again.
            if (!(error instanceof RangeError)) this.commitClients.delete(doc)
            throw error
          }
          if (Y.getState(doc.store, prepared.client) !== prepared.startClock)
            throw new Error(`${name} changed under a status commit`)
          document.applyCommitted(update, seq)
          if (prepared.activity.length > 0)
            for (const listener of this.activityListeners)
              listener(negotiationId, prepared.activity)
        }
        return prepared.value
      })
    } finally {
      await this.refreshLocks(negotiationId)
    }
  }

  /** Re-reads which clauses are locked (and which iteration is the latest). */
  async refreshLocks(negotiationId: string): Promise<ReadonlySet<string>> {
    const status = await this.status(negotiationId)
    const locked = lockedClauseIds(status)
    this.locks.set(negotiationId, locked)
    this.latest.set(negotiationId, currentIteration(status)?.number ?? 0)
    return locked
  }

  /**
   * The number of the latest circulated iteration as last read with the locks (0 until read, or
   * before the first circulation).
   */
  latestIteration(negotiationId: string): number {
    return this.latest.get(negotiationId) ?? 0
  }

  /** Suggestion copy `<negotiationId>.suggest.<partyId>.<iteration>`. */
  copyName(negotiationId: string, partyId: string, iteration: number): string {
    return formatDocumentName({ negotiationId, kind: 'suggest', partyId, iteration })
  }

  /** The stored iteration `number` of a negotiation, or null when there is none. */
  iteration(negotiationId: string, number: number): Promise<IterationRecord | null> {
    return this.records.get(negotiationId, number)
  }

  /** The highest circulated iteration number on disk, or 0. */
  lastIterationNumber(negotiationId: string): Promise<number> {
    return this.records.lastNumber(negotiationId)
  }

  /** The locked clauses as last read (empty until read). */
  lockedClauses(negotiationId: string): ReadonlySet<string> {
    return this.locks.get(negotiationId) ?? new Set()
  }
}

/** Told of the activity entries a status change added. */
export type ActivityListener = (negotiationId: string, entries: readonly ActivityEntry[]) => void

/** A status change made on a copy of the live document: its update, records and result. */
interface PreparedChange<T> {
  value: T
  /** The activity entries the change added. */
  activity: ActivityEntry[]
  /** The change's update (null when it changed nothing in the document). */
  update: Uint8Array | null
  records: RecordChange[]
  /** The client ID the copy wrote under, and the live document's clock of it before the change. */
  client: number
  startClock: number
}

/**
 * Runs `change` on a copy of `live` that writes under `client`, so that its update applies to the
 * live document as the next change under that ID. Changes under one ID must not overlap: the
 * caller runs them one at a time.
 */
function prepareChange<T>(
  live: Y.Doc,
  client: number,
  change: (doc: Y.Doc, status: NegotiationStatus, records: RecordChange[]) => T,
): PreparedChange<T> {
  const copy = new Y.Doc({ gc: live.gc })
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(live), SERVER_ORIGIN)
  // Set after the copy is built, so that Yjs does not take `client` in the state for another's.
  copy.clientID = client
  const startClock = Y.getState(live.store, client)
  const updates: Uint8Array[] = []
  copy.on('update', (update: Uint8Array) => updates.push(update))
  const records: RecordChange[] = []
  const feed = copy.getArray<ActivityEntry>(STATUS_ROOTS.activity)
  const feedLength = feed.length
  let value: T | undefined
  copy.transact(() => {
    value = change(copy, readStatus(copy), records)
  }, SERVER_ORIGIN)
  const update =
    updates.length === 0
      ? null
      : updates.length === 1
        ? (updates[0] ?? null)
        : Y.mergeUpdates(updates)
  if (!update && records.length > 0)
    throw new Error('a record change must show in the status document')
  const activity = feed.toArray().slice(feedLength)
  copy.destroy()
  return { value: value as T, activity, update, records, client, startClock }
}

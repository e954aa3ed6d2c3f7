/**
 * An update gate on a plain Y.Doc, for unit tests of the gate and its rules: the ownership record is
 * kept in a store in memory, and an accepted update is applied to the document as the server does.
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import * as Y from 'yjs'
import { ClientOwners } from '../../server/src/gate/ClientOwners'
import type { GateRefusal } from '../../server/src/gate/GateRule'
import { type DocumentProfile, UpdateGate } from '../../server/src/gate/UpdateGate'
import type {
  DocumentStore,
  PendingUpdate,
  SetAsideEntry,
  SetAsideRecord,
  StoredDocument,
} from '../../server/src/storage/DocumentStore'
import { PersistenceQueue } from '../../server/src/sync/PersistenceQueue'

/** A DocumentStore in memory (no disk): enough for the ownership record of a gate under test. */
export class MemoryDocumentStore implements DocumentStore {
  private readonly logs = new Map<string, { seq: number; update: Uint8Array }[]>()
  private readonly snapshots = new Map<string, { data: Uint8Array; upto: number }>()
  private readonly aside: SetAsideRecord[] = []
  private seq = 0

  async load(docName: string): Promise<StoredDocument> {
    const snapshot = this.snapshots.get(docName)
    const after = snapshot?.upto ?? 0
    const rows = (this.logs.get(docName) ?? []).filter((row) => row.seq > after)
    return {
      snapshot: snapshot?.data ?? null,
      snapshotSeq: after,
      snapshotIntact: null,
      updates: rows.map((row) => row.update),
      seqs: rows.map((row) => row.seq),
      lastSeq: rows.at(-1)?.seq ?? after,
    }
  }

  async append(batch: readonly PendingUpdate[]): Promise<Map<string, number>> {
    const seqs = new Map<string, number>()
    for (const { docName, update } of batch) {
      const log = this.logs.get(docName) ?? []
      log.push({ seq: ++this.seq, update })
      this.logs.set(docName, log)
      seqs.set(docName, this.seq)
    }
    return seqs
  }

  async compact(docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    this.snapshots.set(docName, { data: snapshot, upto: uptoSeq })
  }

  async setAside(docName: string, entries: readonly SetAsideEntry[]): Promise<void> {
    const removed = new Set(entries.filter((entry) => entry.remove).map((entry) => entry.seq))
    const log = this.logs.get(docName) ?? []
    for (const entry of entries) {
      const data =
        entry.data ?? log.find((row) => row.seq === entry.seq)?.update ?? new Uint8Array()
      this.aside.push({
        docName,
        kind: entry.kind,
        seq: entry.seq,
        data,
        reason: entry.reason,
        setAsideAt: Date.now(),
      })
    }
    this.logs.set(
      docName,
      log.filter((row) => !removed.has(row.seq)),
    )
  }

  async listSetAside(docName: string): Promise<SetAsideRecord[]> {
    return this.aside.filter((record) => record.docName === docName)
  }

  async countSetAside(): Promise<number> {
    return this.aside.length
  }

  async tailLength(docName: string): Promise<number> {
    return (await this.load(docName)).updates.length
  }

  async exists(docName: string): Promise<boolean> {
    return this.logs.has(docName) || this.snapshots.has(docName)
  }
}

/** A gate on `doc` with `profile`, and `offer` to send it an update as `author`. */
export async function gateOn(doc: Y.Doc, profile: DocumentProfile, docName = 'test.draft') {
  const store = new MemoryDocumentStore()
  const persistence = new PersistenceQueue(store)
  const owners = await ClientOwners.load(docName, store, persistence)
  const gate = new UpdateGate(doc, owners, profile)
  const origins = new Map<string, object>()
  /**
   * Offers `update` from `author` (over one connection per author); applies it to `doc` when the
   * gate accepts it, as SharedDocument does. Returns the refusal, or null when it was applied.
   */
  const offer = (author: PresenceUser, update: Uint8Array): GateRefusal | null => {
    let origin = origins.get(author.id)
    if (!origin) {
      origin = { author: author.id }
      origins.set(author.id, origin)
    }
    const refusal = gate.check(update, author, origin)
    if (refusal) return refusal
    Y.applyUpdate(doc, update, origin)
    gate.applied(author)
    return null
  }
  return { gate, owners, offer, store, persistence }
}

/**
 * The update `change` makes to a client that has just synced `server`'s state (a client whose change
 * was refused has diverged, so each change starts from a fresh one), written under `clientID` if
 * given (set after the sync, as a forger would: Yjs picks a new ID when it syncs its own).
 */
export function changeFrom(
  server: Y.Doc,
  change: (doc: Y.Doc) => void,
  clientID?: number,
): Uint8Array {
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  if (clientID !== undefined) client.clientID = clientID
  const before = Y.encodeStateVector(client)
  change(client)
  return Y.encodeStateAsUpdate(client, before)
}

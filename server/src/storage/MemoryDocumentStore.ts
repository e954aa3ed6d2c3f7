/**
 * A {@link DocumentStore} in memory (no disk, nothing durable): for unit tests and benchmarks of the
 * parts above storage (the update gate and its client-ID owner record). Entries set aside are kept
 * in a list; a snapshot set aside stays readable.
 */
import type {
  DocumentStore,
  PendingUpdate,
  SetAsideEntry,
  SetAsideRecord,
  StoredDocument,
} from './DocumentStore'

export class MemoryDocumentStore implements DocumentStore {
  private format = 0
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

  async documentNames(): Promise<string[]> {
    return [...new Set([...this.logs.keys(), ...this.snapshots.keys()])]
  }

  async documentFormat(): Promise<number> {
    return this.format
  }

  async setDocumentFormat(format: number): Promise<void> {
    this.format = format
  }
}

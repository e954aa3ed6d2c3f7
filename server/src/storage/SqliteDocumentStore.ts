/**
 * {@link DocumentStore} on the embedded SQLite database. Synchronous underneath (better-sqlite3);
 * each `append` is one transaction, committed with a WAL fsync before its promise resolves.
 */
import type Database from 'better-sqlite3'
import type { DocumentStore, PendingUpdate, StoredDocument } from './DocumentStore'

export class SqliteDocumentStore implements DocumentStore {
  private readonly insertUpdate: Database.Statement<[string, Uint8Array]>
  private readonly selectSnapshot: Database.Statement<[string], { data: Buffer; upto_seq: number }>
  private readonly selectUpdates: Database.Statement<
    [string, number],
    { seq: number; data: Buffer }
  >
  private readonly upsertSnapshot: Database.Statement<[string, Uint8Array, number, number]>
  private readonly deleteUpdates: Database.Statement<[string, number]>
  private readonly countTail: Database.Statement<[string, number], { n: number }>
  private readonly selectAnyUpdate: Database.Statement<[string], { seq: number }>
  private readonly appendBatch: (batch: readonly PendingUpdate[]) => Map<string, number>
  private readonly compactTx: (docName: string, snapshot: Uint8Array, uptoSeq: number) => void

  constructor(db: Database.Database) {
    this.insertUpdate = db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)')
    this.selectSnapshot = db.prepare('SELECT data, upto_seq FROM doc_snapshots WHERE doc = ?')
    this.selectUpdates = db.prepare(
      'SELECT seq, data FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq',
    )
    this.upsertSnapshot = db.prepare(
      `INSERT INTO doc_snapshots (doc, data, upto_seq, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq,
       updated_at = excluded.updated_at`,
    )
    this.deleteUpdates = db.prepare('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?')
    this.countTail = db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ? AND seq > ?')
    this.selectAnyUpdate = db.prepare('SELECT seq FROM doc_updates WHERE doc = ? LIMIT 1')
    this.appendBatch = db.transaction((batch: readonly PendingUpdate[]) => {
      const lastSeq = new Map<string, number>()
      for (const { docName, update } of batch) {
        const result = this.insertUpdate.run(docName, update)
        lastSeq.set(docName, Number(result.lastInsertRowid))
      }
      return lastSeq
    })
    this.compactTx = db.transaction((docName: string, snapshot: Uint8Array, uptoSeq: number) => {
      const previous = this.selectSnapshot.get(docName)
      // Never move a snapshot backwards: a late compaction must not hide newer entries.
      const upto = Math.max(uptoSeq, previous?.upto_seq ?? 0)
      this.upsertSnapshot.run(docName, snapshot, upto, Date.now())
      this.deleteUpdates.run(docName, upto)
    })
  }

  async load(docName: string): Promise<StoredDocument> {
    const snapshot = this.selectSnapshot.get(docName)
    const after = snapshot?.upto_seq ?? 0
    const rows = this.selectUpdates.all(docName, after)
    return {
      snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
      updates: rows.map((row) => new Uint8Array(row.data)),
      lastSeq: rows.length > 0 ? (rows[rows.length - 1]?.seq ?? after) : after,
    }
  }

  async append(batch: readonly PendingUpdate[]): Promise<Map<string, number>> {
    if (batch.length === 0) return new Map()
    return this.appendBatch(batch)
  }

  async compact(docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    this.compactTx(docName, snapshot, uptoSeq)
  }

  async tailLength(docName: string): Promise<number> {
    const after = this.selectSnapshot.get(docName)?.upto_seq ?? 0
    return this.countTail.get(docName, after)?.n ?? 0
  }

  async exists(docName: string): Promise<boolean> {
    if (this.selectSnapshot.get(docName)) return true
    return this.selectAnyUpdate.get(docName) !== undefined
  }
}

/**
 * {@link DocumentStore} on the embedded SQLite database. Reads run on the main connection
 * (better-sqlite3, synchronous and fast); appends and compactions run on the writer thread
 * ({@link SqliteWriter}), each one transaction committed with a WAL fsync before its promise
 * resolves, without blocking the event loop while the disk syncs.
 */
import type Database from 'better-sqlite3'
import type { DocumentStore, PendingUpdate, StoredDocument } from './DocumentStore'
import type { SqliteWriter } from './SqliteWriter'

export class SqliteDocumentStore implements DocumentStore {
  private readonly selectSnapshot: Database.Statement<[string], { data: Buffer; upto_seq: number }>
  private readonly selectUpdates: Database.Statement<
    [string, number],
    { seq: number; data: Buffer }
  >
  private readonly countTail: Database.Statement<[string, number], { n: number }>
  private readonly selectAnyUpdate: Database.Statement<[string], { seq: number }>

  /** `db` is the main (reading) connection; `writer` owns every write to the document tables. */
  constructor(
    db: Database.Database,
    private readonly writer: SqliteWriter,
  ) {
    this.selectSnapshot = db.prepare('SELECT data, upto_seq FROM doc_snapshots WHERE doc = ?')
    this.selectUpdates = db.prepare(
      'SELECT seq, data FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq',
    )
    this.countTail = db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ? AND seq > ?')
    this.selectAnyUpdate = db.prepare('SELECT seq FROM doc_updates WHERE doc = ? LIMIT 1')
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
    return this.writer.append(batch)
  }

  async compact(docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    await this.writer.compact(docName, snapshot, uptoSeq)
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

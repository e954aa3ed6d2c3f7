/**
 * {@link DocumentStore} on the embedded SQLite database. Reads run on the main connection
 * (better-sqlite3, synchronous and fast); appends, compactions and setting entries aside run on the
 * writer thread ({@link SqliteWriter}), each one transaction committed with a WAL fsync before its
 * promise resolves, without blocking the event loop while the disk syncs.
 */
import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import type {
  DocumentStore,
  PendingUpdate,
  SetAsideEntry,
  SetAsideRecord,
  StoredDocument,
} from './DocumentStore'
import { type QuarantineRow, toSetAsideRecord } from './quarantineRows'
import type { SqliteWriter } from './SqliteWriter'

export class SqliteDocumentStore implements DocumentStore {
  private readonly selectSnapshot: Database.Statement<
    [string],
    { data: Buffer; upto_seq: number; checksum: string | null }
  >
  private readonly selectSnapshotSeq: Database.Statement<[string], { upto_seq: number }>
  private readonly selectUpdates: Database.Statement<
    [string, number],
    { seq: number; data: Buffer }
  >
  private readonly countTail: Database.Statement<[string, number], { n: number }>
  private readonly selectAnyUpdate: Database.Statement<[string], { seq: number }>
  private readonly selectQuarantine: Database.Statement<[string], QuarantineRow>
  private readonly countQuarantine: Database.Statement<[], { n: number }>

  /** `db` is the main (reading) connection; `writer` owns every write to the document tables. */
  constructor(
    private readonly db: Database.Database,
    private readonly writer: SqliteWriter,
  ) {
    this.selectSnapshot = db.prepare(
      'SELECT data, upto_seq, checksum FROM doc_snapshots WHERE doc = ?',
    )
    this.selectSnapshotSeq = db.prepare('SELECT upto_seq FROM doc_snapshots WHERE doc = ?')
    this.selectUpdates = db.prepare(
      'SELECT seq, data FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq',
    )
    this.countTail = db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ? AND seq > ?')
    this.selectAnyUpdate = db.prepare('SELECT seq FROM doc_updates WHERE doc = ? LIMIT 1')
    this.selectQuarantine = db.prepare('SELECT * FROM doc_quarantine WHERE doc = ? ORDER BY id')
    this.countQuarantine = db.prepare('SELECT COUNT(*) AS n FROM doc_quarantine')
  }

  async load(docName: string): Promise<StoredDocument> {
    const snapshot = this.selectSnapshot.get(docName)
    const after = snapshot?.upto_seq ?? 0
    const rows = this.selectUpdates.all(docName, after)
    const checksum = snapshot?.checksum ?? null
    return {
      snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
      snapshotSeq: after,
      snapshotIntact:
        snapshot && checksum !== null
          ? createHash('sha256').update(snapshot.data).digest('hex') === checksum
          : null,
      updates: rows.map((row) => new Uint8Array(row.data)),
      seqs: rows.map((row) => row.seq),
      lastSeq: rows.length > 0 ? (rows[rows.length - 1]?.seq ?? after) : after,
    }
  }

  async append(batch: readonly PendingUpdate[]): Promise<Map<string, number>> {
    if (batch.length === 0) return new Map()
    // One contiguous buffer, moved (not copied) to the thread: cloning many small views costs more.
    let total = 0
    for (const { update } of batch) total += update.byteLength
    const data = new Uint8Array(total)
    const docNames: string[] = []
    const lengths: number[] = []
    let offset = 0
    for (const { docName, update } of batch) {
      data.set(update, offset)
      offset += update.byteLength
      docNames.push(docName)
      lengths.push(update.byteLength)
    }
    const result = await this.writer.run('append', { docNames, lengths, data }, [data.buffer])
    return new Map(result)
  }

  async compact(docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    await this.writer.run('compact', { docName, snapshot, uptoSeq })
  }

  async setAside(docName: string, entries: readonly SetAsideEntry[]): Promise<void> {
    if (entries.length === 0) return
    await this.writer.run('quarantine', { docName, entries: [...entries] })
  }

  async listSetAside(docName: string): Promise<SetAsideRecord[]> {
    return this.selectQuarantine.all(docName).map(toSetAsideRecord)
  }

  async countSetAside(): Promise<number> {
    return this.countQuarantine.get()?.n ?? 0
  }

  async tailLength(docName: string): Promise<number> {
    const after = this.selectSnapshotSeq.get(docName)?.upto_seq ?? 0
    return this.countTail.get(docName, after)?.n ?? 0
  }

  async exists(docName: string): Promise<boolean> {
    if (this.selectSnapshotSeq.get(docName)) return true
    return this.selectAnyUpdate.get(docName) !== undefined
  }

  async documentNames(): Promise<string[]> {
    return this.db
      .prepare<[], { doc: string }>(
        'SELECT doc FROM doc_snapshots UNION SELECT DISTINCT doc FROM doc_updates',
      )
      .all()
      .map((row) => row.doc)
  }

  async documentFormat(): Promise<number> {
    const row = this.db
      .prepare<[], { value: string }>(
        "SELECT value FROM store_settings WHERE key = 'document_format'",
      )
      .get()
    return row ? Number(row.value) : 0
  }

  /** Written on the main connection: a once-per-upgrade write made at start, before any other. */
  async setDocumentFormat(format: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO store_settings (key, value) VALUES ('document_format', ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(String(format))
  }
}

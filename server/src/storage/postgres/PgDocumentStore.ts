/**
 * {@link DocumentStore} on PostgreSQL. A load is one statement (one consistent view of snapshot and
 * log); appends, compactions and setting entries aside are each one transaction holding the write
 * locks of the documents they touch (see `lockNames`), committed before their promise resolves.
 * With leases, each of those writes is fenced: it checks, in its transaction, that this process
 * still owns the negotiations of the documents it writes, and else throws a LeaseLostError having
 * written nothing (a document whose name names no negotiation is not fenced).
 */
import { createHash } from 'node:crypto'
import type {
  DocumentStore,
  PendingUpdate,
  SetAsideEntry,
  SetAsideRecord,
  StoredDocument,
} from '../DocumentStore'
import { negotiationOfDocument } from '../LeaseLostError'
import { type QuarantineRow, toSetAsideRecord } from '../quarantineRows'
import type { NegotiationLeases } from './NegotiationLeases'
import { lockNames, type PgClient, type PgDatabase } from './PgDatabase'

interface EntryRow {
  snapshot: boolean
  seq: number
  data: Buffer
  checksum: string | null
}

/** The rows of a batch, in order: one document name and one update each. */
const INSERT_BATCH = `INSERT INTO doc_updates (doc, data)
  SELECT doc, data FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS batch(doc, data, n)
  ORDER BY n RETURNING doc, seq`

/**
 * Takes the write locks of `names` (see `lockNames`) and, with `leases`, checks that this process
 * owns the negotiations of the documents among them and `negotiationIds` (see
 * `NegotiationLeases.fence`).
 */
export async function lockAndFence(
  client: PgClient,
  names: readonly string[],
  leases: NegotiationLeases | null,
  negotiationIds: readonly string[] = [],
): Promise<void> {
  await lockNames(client, names)
  if (!leases) return
  const negotiations = [...negotiationIds]
  for (const name of names) {
    const id = negotiationOfDocument(name)
    if (id !== null) negotiations.push(id)
  }
  await leases.fence(client, negotiations)
}

/** Documents' logs and snapshots in PostgreSQL. */
export class PgDocumentStore implements DocumentStore {
  /** Reads and writes on `db`'s pool; with `leases` (default none), writes are fenced. */
  constructor(
    private readonly db: PgDatabase,
    private readonly leases: NegotiationLeases | null = null,
  ) {}

  async load(docName: string): Promise<StoredDocument> {
    const rows = await this.db.rows<EntryRow>(
      `WITH snapshot AS (SELECT data, upto_seq, checksum FROM doc_snapshots WHERE doc = $1)
       SELECT TRUE AS snapshot, upto_seq AS seq, data, checksum FROM snapshot
       UNION ALL
       SELECT FALSE, seq, data, NULL FROM doc_updates
       WHERE doc = $1 AND seq > COALESCE((SELECT upto_seq FROM snapshot), 0)
       ORDER BY snapshot DESC, seq`,
      [docName],
    )
    const snapshot = rows[0]?.snapshot ? rows[0] : null
    const updates = snapshot ? rows.slice(1) : rows
    const after = snapshot?.seq ?? 0
    return {
      snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
      snapshotSeq: after,
      snapshotIntact:
        snapshot && snapshot.checksum !== null
          ? createHash('sha256').update(snapshot.data).digest('hex') === snapshot.checksum
          : null,
      updates: updates.map((row) => new Uint8Array(row.data)),
      seqs: updates.map((row) => row.seq),
      lastSeq: updates.length > 0 ? (updates[updates.length - 1]?.seq ?? after) : after,
    }
  }

  async append(batch: readonly PendingUpdate[]): Promise<Map<string, number>> {
    if (batch.length === 0) return new Map()
    const docNames = batch.map((entry) => entry.docName)
    const rows = await this.db.transaction('append', async (client) => {
      await lockAndFence(client, docNames, this.leases)
      return (
        await client.query<{ doc: string; seq: number }>(INSERT_BATCH, [
          docNames,
          batch.map((entry) => entry.update),
        ])
      ).rows
    })
    const lastSeq = new Map<string, number>()
    for (const { doc, seq } of rows) lastSeq.set(doc, Math.max(seq, lastSeq.get(doc) ?? 0))
    // In the batch's order of first appearance, as the SQLite store answers.
    return new Map(
      [...new Set(docNames)].map((name) => [name, lastSeq.get(name) ?? 0] as [string, number]),
    )
  }

  async compact(docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    const checksum = createHash('sha256').update(snapshot).digest('hex')
    await this.db.transaction('compact', async (client) => {
      await lockAndFence(client, [docName], this.leases)
      const previous = await client.query<{ upto_seq: number }>(
        'SELECT upto_seq FROM doc_snapshots WHERE doc = $1',
        [docName],
      )
      // Never move a snapshot backwards: a compaction that arrives after a newer one (written on
      // another connection) is an older state, and must not replace the newer snapshot.
      if (uptoSeq < (previous.rows[0]?.upto_seq ?? 0)) return
      const upto = uptoSeq
      await client.query(
        `INSERT INTO doc_snapshots (doc, data, upto_seq, updated_at, checksum) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq,
         updated_at = excluded.updated_at, checksum = excluded.checksum`,
        [docName, snapshot, upto, Date.now(), checksum],
      )
      await client.query('DELETE FROM doc_updates WHERE doc = $1 AND seq <= $2', [docName, upto])
    })
  }

  async setAside(docName: string, entries: readonly SetAsideEntry[]): Promise<void> {
    if (entries.length === 0) return
    await this.db.transaction('quarantine', async (client) => {
      await lockAndFence(client, [docName], this.leases)
      const at = Date.now()
      for (const { kind, seq, reason, remove, data } of entries) {
        if (kind === 'snapshot') {
          // Only the snapshot that was read: one a compaction has written since is left alone.
          const bytes = data ?? new Uint8Array()
          await client.query(
            `INSERT INTO doc_quarantine (doc, kind, seq, data, reason, set_aside_at)
             SELECT doc, 'snapshot', upto_seq, data, $1, $2 FROM doc_snapshots
             WHERE doc = $3 AND upto_seq = $4 AND data = $5`,
            [reason, at, docName, seq, bytes],
          )
          if (remove)
            await client.query(
              'DELETE FROM doc_snapshots WHERE doc = $1 AND upto_seq = $2 AND data = $3',
              [docName, seq, bytes],
            )
        } else {
          await client.query(
            `INSERT INTO doc_quarantine (doc, kind, seq, data, reason, set_aside_at)
             SELECT doc, 'update', seq, data, $1, $2 FROM doc_updates WHERE doc = $3 AND seq = $4
               AND NOT EXISTS (SELECT 1 FROM doc_quarantine WHERE doc = $3 AND kind = 'update' AND seq = $4)`,
            [reason, at, docName, seq],
          )
          if (remove)
            await client.query('DELETE FROM doc_updates WHERE doc = $1 AND seq = $2', [
              docName,
              seq,
            ])
        }
      }
    })
  }

  async listSetAside(docName: string): Promise<SetAsideRecord[]> {
    const rows = await this.db.rows<QuarantineRow>(
      'SELECT doc, kind, seq, data, reason, set_aside_at FROM doc_quarantine WHERE doc = $1 ORDER BY id',
      [docName],
    )
    return rows.map(toSetAsideRecord)
  }

  async countSetAside(): Promise<number> {
    const [row] = await this.db.rows<{ n: number }>('SELECT COUNT(*) AS n FROM doc_quarantine')
    return row?.n ?? 0
  }

  async tailLength(docName: string): Promise<number> {
    const [row] = await this.db.rows<{ n: number }>(
      `SELECT COUNT(*) AS n FROM doc_updates WHERE doc = $1
       AND seq > COALESCE((SELECT upto_seq FROM doc_snapshots WHERE doc = $1), 0)`,
      [docName],
    )
    return row?.n ?? 0
  }

  async exists(docName: string): Promise<boolean> {
    const [row] = await this.db.rows<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM doc_snapshots WHERE doc = $1)
           OR EXISTS (SELECT 1 FROM doc_updates WHERE doc = $1) AS found`,
      [docName],
    )
    return row?.found ?? false
  }

  async documentNames(): Promise<string[]> {
    const rows = await this.db.rows<{ doc: string }>(
      'SELECT doc FROM doc_snapshots UNION SELECT DISTINCT doc FROM doc_updates',
    )
    return rows.map((row) => row.doc)
  }

  async documentFormat(): Promise<number> {
    const [row] = await this.db.rows<{ value: string }>(
      "SELECT value FROM store_settings WHERE key = 'document_format'",
    )
    return row ? Number(row.value) : 0
  }

  async setDocumentFormat(format: number): Promise<void> {
    await this.db.rows(
      `INSERT INTO store_settings (key, value) VALUES ('document_format', $1)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [String(format)],
    )
  }
}

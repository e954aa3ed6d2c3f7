/**
 * {@link IterationStore} on PostgreSQL. A commit is one transaction holding the write locks of the
 * status document it appends to and of each negotiation whose records it changes, so that
 * iteration numbers are checked and taken one commit at a time. With leases, a commit and an
 * import of sign-offs are fenced: they write nothing and throw a LeaseLostError unless this process
 * owns the negotiations they write for.
 */
import type { PendingUpdate } from '../DocumentStore'
import type {
  IterationRecord,
  IterationStore,
  IterationSummary,
  RecordChange,
  SignoffRecord,
} from '../IterationStore'
import { readIterationClauses, readIterationDoc } from '../iterationRows'
import type { NegotiationLeases } from './NegotiationLeases'
import type { PgClient, PgDatabase } from './PgDatabase'
import { lockAndFence } from './PgDocumentStore'

interface IterationRow {
  negotiation_id: string
  number: number
  created_at: number
  created_by: string
  note: string
  published_note: string
  published: boolean
  snapshot: Buffer
  doc_json: string
  clauses: string
  html: string
  markdown: string
}

interface SignoffDbRow {
  clause_id: string
  party_id: string
  user_id: string
  name: string
  initials: string
  at: number
  iteration: number
}

/** The write lock name of a negotiation's records. */
function recordsLock(negotiationId: string): string {
  return `records:${negotiationId}`
}

function negotiationOf(change: RecordChange): string {
  switch (change.kind) {
    case 'iteration-insert':
      return change.record.negotiationId
    case 'signoff-put':
      return change.signoff.negotiationId
    default:
      return change.negotiationId
  }
}

async function putSignoff(client: PgClient, row: SignoffRecord): Promise<void> {
  await client.query(
    `INSERT INTO signoffs (negotiation_id, clause_id, party_id, user_id, name, initials, at, iteration)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (negotiation_id, clause_id, party_id) DO UPDATE SET user_id = excluded.user_id,
     name = excluded.name, initials = excluded.initials, at = excluded.at, iteration = excluded.iteration`,
    [
      row.negotiationId,
      row.clauseId,
      row.partyId,
      row.userId,
      row.name,
      row.initials,
      row.at,
      row.iteration,
    ],
  )
}

/** Applies one record change inside a commit's transaction; RangeError when it breaks a rule. */
async function applyChange(client: PgClient, change: RecordChange): Promise<void> {
  switch (change.kind) {
    case 'iteration-insert': {
      const record = change.record
      const [row] = (
        await client.query<{ last: number | null }>(
          'SELECT MAX(number) AS last FROM iterations WHERE negotiation_id = $1',
          [record.negotiationId],
        )
      ).rows
      const last = row?.last ?? 0
      if (record.number !== last + 1)
        throw new RangeError(`iteration ${record.number} does not follow ${last}`)
      await client.query(
        `INSERT INTO iterations (negotiation_id, number, created_at, created_by, note, published_note,
         published, snapshot, doc_json, clauses, html, markdown)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          record.negotiationId,
          record.number,
          record.createdAt,
          record.createdBy,
          record.note,
          record.publishedNote,
          record.published,
          record.snapshot,
          JSON.stringify(record.doc),
          JSON.stringify(record.clauses),
          record.html,
          record.markdown,
        ],
      )
      return
    }
    case 'iteration-publish': {
      const result = await client.query(
        'UPDATE iterations SET published = $1 WHERE negotiation_id = $2 AND number = $3',
        [change.published, change.negotiationId, change.number],
      )
      if (result.rowCount === 0) throw new RangeError(`there is no iteration ${change.number}`)
      return
    }
    case 'signoff-put':
      await putSignoff(client, change.signoff)
      return
    case 'signoffs-clear':
      await client.query(
        'DELETE FROM signoffs WHERE negotiation_id = $1 AND clause_id = ANY($2::text[])',
        [change.negotiationId, change.clauseIds],
      )
      return
    default: {
      const unknown: { kind?: unknown } = change
      throw new RangeError(`unknown record change: ${String(unknown.kind)}`)
    }
  }
}

/** The cycle's records in PostgreSQL. */
export class PgIterationStore implements IterationStore {
  /** Reads and writes on `db`'s pool; with `leases` (default none), writes are fenced. */
  constructor(
    private readonly db: PgDatabase,
    private readonly leases: NegotiationLeases | null = null,
  ) {}

  async commit(changes: readonly RecordChange[], projection: PendingUpdate): Promise<number> {
    return this.db.transaction('commit', async (client) => {
      await lockAndFence(
        client,
        [projection.docName, ...changes.map((change) => recordsLock(negotiationOf(change)))],
        this.leases,
        changes.map(negotiationOf),
      )
      for (const change of changes) await applyChange(client, change)
      const [row] = (
        await client.query<{ seq: number }>(
          'INSERT INTO doc_updates (doc, data) VALUES ($1, $2) RETURNING seq',
          [projection.docName, projection.update],
        )
      ).rows
      return row?.seq ?? 0
    })
  }

  async lastNumber(negotiationId: string): Promise<number> {
    const [row] = await this.db.rows<{ last: number | null }>(
      'SELECT MAX(number) AS last FROM iterations WHERE negotiation_id = $1',
      [negotiationId],
    )
    return row?.last ?? 0
  }

  /** The whole iteration, read at once (snapshot, document and renderings included). */
  async get(negotiationId: string, number: number): Promise<IterationRecord | null> {
    const [row] = await this.db.rows<IterationRow>(
      `SELECT negotiation_id, number, created_at, created_by, note, published_note, published,
       snapshot, doc_json, clauses, html, markdown FROM iterations WHERE negotiation_id = $1 AND number = $2`,
      [negotiationId, number],
    )
    if (!row) return null
    return {
      negotiationId: row.negotiation_id,
      number: row.number,
      createdAt: row.created_at,
      createdBy: row.created_by,
      note: row.note,
      publishedNote: row.published_note,
      published: row.published,
      snapshot: new Uint8Array(row.snapshot),
      doc: readIterationDoc(row.doc_json),
      clauses: readIterationClauses(row.clauses),
      html: row.html,
      markdown: row.markdown,
    }
  }

  async list(negotiationId: string): Promise<IterationSummary[]> {
    const rows = await this.db.rows<
      Pick<
        IterationRow,
        'number' | 'created_at' | 'note' | 'published_note' | 'published' | 'created_by'
      >
    >(
      `SELECT number, created_at, note, published_note, published, created_by FROM iterations
       WHERE negotiation_id = $1 ORDER BY number`,
      [negotiationId],
    )
    return rows.map((row) => ({
      number: row.number,
      createdAt: row.created_at,
      note: row.note,
      publishedNote: row.published_note,
      published: row.published,
      createdBy: row.created_by,
    }))
  }

  async signoffs(negotiationId: string): Promise<SignoffRecord[]> {
    const rows = await this.db.rows<SignoffDbRow>(
      `SELECT clause_id, party_id, user_id, name, initials, at, iteration FROM signoffs
       WHERE negotiation_id = $1 ORDER BY clause_id COLLATE "C", party_id COLLATE "C"`,
      [negotiationId],
    )
    return rows.map((row) => ({
      negotiationId,
      clauseId: row.clause_id,
      partyId: row.party_id,
      userId: row.user_id,
      name: row.name,
      initials: row.initials,
      at: row.at,
      iteration: row.iteration,
    }))
  }

  async signoffsImported(negotiationId: string): Promise<boolean> {
    const rows = await this.db.rows(
      'SELECT 1 AS done FROM signoff_imports WHERE negotiation_id = $1',
      [negotiationId],
    )
    return rows.length > 0
  }

  async importSignoffs(negotiationId: string, signoffs: readonly SignoffRecord[]): Promise<void> {
    await this.db.transaction('signoffs-import', async (client) => {
      await lockAndFence(client, [recordsLock(negotiationId)], this.leases, [negotiationId])
      const done = await client.query(
        'SELECT 1 AS done FROM signoff_imports WHERE negotiation_id = $1',
        [negotiationId],
      )
      if (done.rows.length > 0) return
      for (const signoff of signoffs) await putSignoff(client, signoff)
      await client.query('INSERT INTO signoff_imports (negotiation_id) VALUES ($1)', [
        negotiationId,
      ])
    })
  }
}

/**
 * {@link IterationStore} on the embedded SQLite database: reads on the main connection, writes
 * (an iteration is several megabytes for a long text) on the writer thread.
 */
import type Database from 'better-sqlite3'
import type { PendingUpdate } from './DocumentStore'
import type {
  IterationRecord,
  IterationStore,
  IterationSummary,
  RecordChange,
  SignoffRecord,
} from './IterationStore'
import { readIterationClauses, readIterationDoc } from './iterationRows'
import type { SqliteWriter } from './SqliteWriter'
import type { IterationInsert, RecordChangeRow } from './writerOperations'

interface IterationRow {
  negotiation_id: string
  number: number
  created_at: number
  created_by: string
  note: string
  published_note: string
  published: number
  snapshot: Buffer
  doc_json: string
  clauses: string
  html: string
  markdown: string
}

/** `texts` as UTF-8, one after the other in one buffer, with each one's byte length. */
function packTexts(texts: [string, string, string, string]): {
  bytes: Uint8Array
  lengths: [number, number, number, number]
} {
  const encoder = new TextEncoder()
  const lengths = texts.map((text) => Buffer.byteLength(text, 'utf8')) as [
    number,
    number,
    number,
    number,
  ]
  const bytes = new Uint8Array(lengths.reduce((sum, length) => sum + length, 0))
  let offset = 0
  texts.forEach((text, index) => {
    encoder.encodeInto(text, bytes.subarray(offset))
    offset += lengths[index] ?? 0
  })
  return { bytes, lengths }
}

/** The writer's form of an iteration: the large texts packed, the snapshot copied (both moved). */
function iterationInsert(record: IterationRecord): IterationInsert {
  const { bytes, lengths } = packTexts([
    JSON.stringify(record.doc),
    JSON.stringify(record.clauses),
    record.html,
    record.markdown,
  ])
  return {
    negotiationId: record.negotiationId,
    number: record.number,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    note: record.note,
    publishedNote: record.publishedNote,
    published: record.published,
    snapshot: record.snapshot.slice(),
    texts: bytes,
    textLengths: lengths,
  }
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

/** An enumerable property whose value `read` computes on first access and keeps. */
function lazy<T>(read: () => T): PropertyDescriptor {
  let cached: { value: T } | undefined
  return {
    enumerable: true,
    get() {
      cached ??= { value: read() }
      return cached.value
    },
  }
}

export class SqliteIterationStore implements IterationStore {
  /** Reads run on `db`, the main connection; writes on the writer thread. */
  constructor(
    private readonly db: Database.Database,
    private readonly writer: SqliteWriter,
  ) {}

  async commit(changes: readonly RecordChange[], projection: PendingUpdate): Promise<number> {
    const transfer: ArrayBuffer[] = []
    const rows = changes.map((change): RecordChangeRow => {
      if (change.kind === 'iteration-insert') {
        const insert = iterationInsert(change.record)
        transfer.push(insert.texts.buffer as ArrayBuffer, insert.snapshot.buffer as ArrayBuffer)
        return { kind: 'iteration-insert', record: insert }
      }
      return change
    })
    const update = projection.update.slice()
    transfer.push(update.buffer as ArrayBuffer)
    // Iteration numbers and existence are checked inside the writer's transaction.
    return this.writer.run(
      'commit',
      { changes: rows, docName: projection.docName, update },
      transfer,
    )
  }

  async lastNumber(negotiationId: string): Promise<number> {
    const row = this.db
      .prepare<[string], { last: number | null }>(
        'SELECT MAX(number) AS last FROM iterations WHERE negotiation_id = ?',
      )
      .get(negotiationId)
    return row?.last ?? 0
  }

  /**
   * The iteration's metadata and clauses are read at once; its snapshot, document, HTML and Markdown
   * (megabytes for a long text) are read and parsed on first use, so that a caller that needs only
   * the clauses (circulating compares against the previous iteration's) does not pay for them.
   */
  async get(negotiationId: string, number: number): Promise<IterationRecord | null> {
    const row = this.db
      .prepare<[string, number], Omit<IterationRow, 'snapshot' | 'doc_json' | 'html' | 'markdown'>>(
        `SELECT negotiation_id, number, created_at, created_by, note, published_note, published, clauses
         FROM iterations WHERE negotiation_id = ? AND number = ?`,
      )
      .get(negotiationId, number)
    if (!row) return null
    const column = <T>(name: 'snapshot' | 'doc_json' | 'html' | 'markdown') =>
      (
        this.db
          .prepare<[string, number], Record<string, T>>(
            `SELECT ${name} AS value FROM iterations WHERE negotiation_id = ? AND number = ?`,
          )
          .get(negotiationId, number) as { value: T }
      ).value
    const record = {
      negotiationId: row.negotiation_id,
      number: row.number,
      createdAt: row.created_at,
      createdBy: row.created_by,
      note: row.note,
      publishedNote: row.published_note,
      published: row.published === 1,
      clauses: readIterationClauses(row.clauses),
    }
    // Iterations never change once stored (only `published`, read above), so a later read is the same.
    return Object.defineProperties(record, {
      snapshot: lazy(() => new Uint8Array(column<Buffer>('snapshot'))),
      doc: lazy(() => readIterationDoc(column<string>('doc_json'))),
      html: lazy(() => column<string>('html')),
      markdown: lazy(() => column<string>('markdown')),
    }) as IterationRecord
  }

  async list(negotiationId: string): Promise<IterationSummary[]> {
    return this.db
      .prepare<
        [string],
        Pick<
          IterationRow,
          'number' | 'created_at' | 'note' | 'published_note' | 'published' | 'created_by'
        >
      >(
        'SELECT number, created_at, note, published_note, published, created_by FROM iterations WHERE negotiation_id = ? ORDER BY number',
      )
      .all(negotiationId)
      .map((row) => ({
        number: row.number,
        createdAt: row.created_at,
        note: row.note,
        publishedNote: row.published_note,
        published: row.published === 1,
        createdBy: row.created_by,
      }))
  }

  async signoffs(negotiationId: string): Promise<SignoffRecord[]> {
    return this.db
      .prepare<[string], SignoffDbRow>(
        `SELECT clause_id, party_id, user_id, name, initials, at, iteration FROM signoffs
         WHERE negotiation_id = ? ORDER BY clause_id, party_id`,
      )
      .all(negotiationId)
      .map((row) => ({
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
    return (
      this.db
        .prepare<[string], { done: number }>(
          'SELECT 1 AS done FROM signoff_imports WHERE negotiation_id = ?',
        )
        .get(negotiationId) !== undefined
    )
  }

  async importSignoffs(negotiationId: string, signoffs: readonly SignoffRecord[]): Promise<void> {
    await this.writer.run('signoffs-import', {
      negotiationId,
      rows: signoffs.map((signoff) => ({ ...signoff })),
    })
  }
}

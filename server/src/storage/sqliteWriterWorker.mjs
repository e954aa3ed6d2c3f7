/**
 * The SQLite writer thread: owns the one connection that writes documents' update logs and
 * snapshots (and audit entries and sessions), so that the fsync of each commit (WAL, `synchronous = FULL`) blocks this thread and
 * never the server's event loop. Plain JavaScript so that it runs under any loader (tsx, vitest,
 * plain node). The protocol with `SqliteWriter.ts` is one request message per operation:
 *
 *   {id, op: 'append', docNames, lengths, data}              -> {id, ok: true, result: [[docName, seq]]}
 *       (update i is the next lengths[i] bytes of data, for document docNames[i])
 *   {id, op: 'compact', docName, snapshot, uptoSeq}           -> {id, ok: true, result: null}
 *   {id, op: 'audit', rows: [[at, negotiationId, userId, email, action, detail, address]]}
 *                                                             -> {id, ok: true, result: null}
 *   {id, op: 'session-create', tokenHash, userId, createdAt, expiresAt} -> {id, ok: true, result: null}
 *   {id, op: 'session-delete', tokenHash}                     -> {id, ok: true, result: null}
 *   {id, op: 'close'}                                         -> {id, ok: true, result: null}, then exits
 *   any failure                                               -> {id, ok: false, message}
 *
 * Requests are handled strictly in the order they arrive, one transaction each.
 */
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const db = new Database(workerData.file)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
db.pragma('busy_timeout = 5000')

const insertUpdate = db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)')
const selectSnapshotSeq = db.prepare('SELECT upto_seq FROM doc_snapshots WHERE doc = ?')
const upsertSnapshot = db.prepare(
  `INSERT INTO doc_snapshots (doc, data, upto_seq, updated_at) VALUES (?, ?, ?, ?)
   ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq,
   updated_at = excluded.updated_at`,
)
const deleteUpdates = db.prepare('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?')
const insertAudit = db.prepare(
  `INSERT INTO audit_log (at, negotiation_id, user_id, email, action, detail, address)
   VALUES (?, ?, ?, ?, ?, ?, ?)`,
)

const append = db.transaction((docNames, lengths, data) => {
  const lastSeq = new Map()
  let offset = 0
  for (let index = 0; index < docNames.length; index++) {
    const update = data.subarray(offset, offset + lengths[index])
    offset += lengths[index]
    const result = insertUpdate.run(docNames[index], update)
    lastSeq.set(docNames[index], Number(result.lastInsertRowid))
  }
  return Array.from(lastSeq)
})

const compact = db.transaction((docName, snapshot, uptoSeq) => {
  const previous = selectSnapshotSeq.get(docName)
  // Never move a snapshot backwards: a late compaction must not hide newer entries.
  const upto = Math.max(uptoSeq, previous?.upto_seq ?? 0)
  upsertSnapshot.run(docName, snapshot, upto, Date.now())
  deleteUpdates.run(docName, upto)
})

const insertSession = db.prepare(
  'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
)
const deleteSession = db.prepare('DELETE FROM sessions WHERE token_hash = ?')

const audit = db.transaction((rows) => {
  for (const row of rows) insertAudit.run(...row)
})

parentPort.on('message', (request) => {
  try {
    switch (request.op) {
      case 'append':
        parentPort.postMessage({
          id: request.id,
          ok: true,
          result: append(request.docNames, request.lengths, request.data),
        })
        break
      case 'compact':
        compact(request.docName, request.snapshot, request.uptoSeq)
        parentPort.postMessage({ id: request.id, ok: true, result: null })
        break
      case 'audit':
        audit(request.rows)
        parentPort.postMessage({ id: request.id, ok: true, result: null })
        break
      case 'session-create':
        insertSession.run(request.tokenHash, request.userId, request.createdAt, request.expiresAt)
        parentPort.postMessage({ id: request.id, ok: true, result: null })
        break
      case 'session-delete':
        deleteSession.run(request.tokenHash)
        parentPort.postMessage({ id: request.id, ok: true, result: null })
        break
      case 'close':
        db.close()
        parentPort.postMessage({ id: request.id, ok: true, result: null })
        parentPort.close()
        break
      default:
        throw new RangeError(`unknown writer operation: ${String(request.op)}`)
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    parentPort.postMessage({ id: request.id, ok: false, message })
  }
})

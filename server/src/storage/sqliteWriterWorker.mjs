/**
 * The SQLite writer thread: owns the one connection that writes to the database after it has been
 * opened and migrated, so that the fsync of each commit (WAL, `synchronous = FULL`) blocks this
 * thread and never the server's event loop. Plain JavaScript so that it runs under any loader (tsx,
 * vitest, plain node).
 *
 * Protocol with `SqliteWriter.ts`: one message per operation, `{id, op, args}`, answered with
 * `{id, ok: true, result}` once committed, or `{id, ok: false, name, message, code}` when nothing of
 * it was written. The operations and their fields are listed (and typed) in `writerOperations.ts`;
 * `{id, op: 'close'}` closes the connection and ends the thread. A request carrying `fail` (a
 * message; tests only, see StorageFaults) runs its statements and then fails, rolling them back, as
 * a commit that the disk refuses would. Requests are handled strictly in the order they arrive,
 * each one transaction.
 */
import { createHash } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const db = new Database(workerData.file)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
db.pragma('foreign_keys = ON')
db.pragma('busy_timeout = 5000')

const statements = {
  insertUpdate: db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)'),
  selectSnapshotSeq: db.prepare('SELECT upto_seq FROM doc_snapshots WHERE doc = ?'),
  upsertSnapshot: db.prepare(
    `INSERT INTO doc_snapshots (doc, data, upto_seq, updated_at, checksum) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq,
     updated_at = excluded.updated_at, checksum = excluded.checksum`,
  ),
  deleteUpdates: db.prepare('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?'),
  quarantineUpdate: db.prepare(
    `INSERT INTO doc_quarantine (doc, kind, seq, data, reason, set_aside_at)
     SELECT doc, 'update', seq, data, ?, ? FROM doc_updates WHERE doc = ? AND seq = ?
       AND NOT EXISTS (SELECT 1 FROM doc_quarantine WHERE doc = ? AND kind = 'update' AND seq = ?)`,
  ),
  deleteUpdate: db.prepare('DELETE FROM doc_updates WHERE doc = ? AND seq = ?'),
  quarantineSnapshot: db.prepare(
    `INSERT INTO doc_quarantine (doc, kind, seq, data, reason, set_aside_at)
     SELECT doc, 'snapshot', upto_seq, data, ?, ? FROM doc_snapshots
     WHERE doc = ? AND upto_seq = ? AND data = ?`,
  ),
  deleteSnapshot: db.prepare(
    'DELETE FROM doc_snapshots WHERE doc = ? AND upto_seq = ? AND data = ?',
  ),
  insertAudit: db.prepare(
    `INSERT INTO audit_log (at, negotiation_id, user_id, email, action, detail, address)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
  insertSession: db.prepare(
    'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  ),
  deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
  insertUser: db.prepare(
    'INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
  ),
  insertNegotiation: db.prepare(
    'INSERT INTO negotiations (id, title, created_at) VALUES (?, ?, ?)',
  ),
  setOpenDrafting: db.prepare('UPDATE negotiations SET open_drafting = ? WHERE id = ?'),
  insertParty: db.prepare(
    'INSERT INTO parties (negotiation_id, id, name, color, position) VALUES (?, ?, ?, ?, ?)',
  ),
  upsertMember: db.prepare(
    `INSERT INTO members (negotiation_id, user_id, role, party_id) VALUES (?, ?, ?, ?)
     ON CONFLICT (negotiation_id, user_id) DO UPDATE SET role = excluded.role, party_id = excluded.party_id`,
  ),
  deleteMember: db.prepare('DELETE FROM members WHERE negotiation_id = ? AND user_id = ?'),
  insertInvite: db.prepare(
    `INSERT INTO invites (token_hash, negotiation_id, email, role, party_id, created_by, created_at,
     expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  useInvite: db.prepare('UPDATE invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL'),
  lastIteration: db.prepare('SELECT MAX(number) AS last FROM iterations WHERE negotiation_id = ?'),
  // The four texts arrive as UTF-8 bytes; CAST stores them as TEXT without decoding them here.
  insertIteration: db.prepare(
    `INSERT INTO iterations (negotiation_id, number, created_at, created_by, note, published_note,
     published, snapshot, doc_json, clauses, html, markdown) VALUES (?, ?, ?, ?, ?, ?, ?, ?,
     CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT))`,
  ),
  publishIteration: db.prepare(
    'UPDATE iterations SET published = ? WHERE negotiation_id = ? AND number = ?',
  ),
  upsertSignoff: db.prepare(
    `INSERT INTO signoffs (negotiation_id, clause_id, party_id, user_id, name, initials, at, iteration)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (negotiation_id, clause_id, party_id) DO UPDATE SET user_id = excluded.user_id,
     name = excluded.name, initials = excluded.initials, at = excluded.at, iteration = excluded.iteration`,
  ),
  deleteSignoffs: db.prepare('DELETE FROM signoffs WHERE negotiation_id = ? AND clause_id = ?'),
  signoffsImported: db.prepare('SELECT 1 AS done FROM signoff_imports WHERE negotiation_id = ?'),
  markSignoffsImported: db.prepare('INSERT INTO signoff_imports (negotiation_id) VALUES (?)'),
  // Merged in the row, so that a "mark read" and a mail choice sent together both hold.
  upsertActivityReader: db.prepare(
    `INSERT INTO activity_readers (negotiation_id, user_id, seen_at, mail_kinds)
     VALUES (@negotiationId, @userId, COALESCE(@seenAt, 0), COALESCE(@mailKinds, '[]'))
     ON CONFLICT (negotiation_id, user_id) DO UPDATE SET
     seen_at = MAX(seen_at, COALESCE(@seenAt, 0)), mail_kinds = COALESCE(@mailKinds, mail_kinds)`,
  ),
  insertSupplement: db.prepare(
    `INSERT INTO supplements (negotiation_id, id, owner_user_id, title, base_iteration, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ),
}

/** The parts of `bytes` (texts packed one after the other as UTF-8), `lengths[i]` bytes each. */
function splitTexts(bytes, lengths) {
  const parts = []
  let offset = 0
  for (const length of lengths) {
    parts.push(bytes.subarray(offset, offset + length))
    offset += length
  }
  return parts
}

function putSignoff(row) {
  statements.upsertSignoff.run(
    row.negotiationId,
    row.clauseId,
    row.partyId,
    row.userId,
    row.name,
    row.initials,
    row.at,
    row.iteration,
  )
}

/** The record changes a commit carries (`RecordChangeRow` in writerOperations.ts). */
const recordChanges = {
  'iteration-insert'({ record }) {
    const last = statements.lastIteration.get(record.negotiationId)?.last ?? 0
    if (record.number !== last + 1)
      throw new RangeError(`iteration ${record.number} does not follow ${last}`)
    const [docJson, clausesJson, html, markdown] = splitTexts(record.texts, record.textLengths)
    statements.insertIteration.run(
      record.negotiationId,
      record.number,
      record.createdAt,
      record.createdBy,
      record.note,
      record.publishedNote,
      record.published ? 1 : 0,
      record.snapshot,
      docJson,
      clausesJson,
      html,
      markdown,
    )
  },
  'iteration-publish'({ negotiationId, number, published }) {
    if (statements.publishIteration.run(published ? 1 : 0, negotiationId, number).changes === 0)
      throw new RangeError(`there is no iteration ${number}`)
  },
  'signoff-put'({ signoff }) {
    putSignoff(signoff)
  },
  'signoffs-clear'({ negotiationId, clauseIds }) {
    for (const clauseId of clauseIds) statements.deleteSignoffs.run(negotiationId, clauseId)
  },
}

/** Each operation: runs its statements (inside the transaction the caller opens) and returns its result. */
const operations = {
  append({ docNames, lengths, data }) {
    const lastSeq = new Map()
    let offset = 0
    for (let index = 0; index < docNames.length; index++) {
      const update = data.subarray(offset, offset + lengths[index])
      offset += lengths[index]
      const result = statements.insertUpdate.run(docNames[index], update)
      lastSeq.set(docNames[index], Number(result.lastInsertRowid))
    }
    return Array.from(lastSeq)
  },
  compact({ docName, snapshot, uptoSeq }) {
    const previous = statements.selectSnapshotSeq.get(docName)
    // Never move a snapshot backwards: a compaction older than the stored snapshot leaves it.
    if (uptoSeq < (previous?.upto_seq ?? 0)) return null
    const upto = uptoSeq
    const checksum = createHash('sha256').update(snapshot).digest('hex')
    statements.upsertSnapshot.run(docName, snapshot, upto, Date.now(), checksum)
    statements.deleteUpdates.run(docName, upto)
    return null
  },
  quarantine({ docName, entries }) {
    const at = Date.now()
    for (const { kind, seq, reason, remove, data } of entries) {
      if (kind === 'snapshot') {
        // Only the snapshot that was read: one a compaction has written since is left alone.
        statements.quarantineSnapshot.run(reason, at, docName, seq, data)
        if (remove) statements.deleteSnapshot.run(docName, seq, data)
      } else {
        statements.quarantineUpdate.run(reason, at, docName, seq, docName, seq)
        if (remove) statements.deleteUpdate.run(docName, seq)
      }
    }
    return null
  },
  audit({ rows }) {
    for (const row of rows) statements.insertAudit.run(...row)
    return null
  },
  'session-create'({ tokenHash, userId, createdAt, expiresAt }) {
    statements.insertSession.run(tokenHash, userId, createdAt, expiresAt)
    return null
  },
  'session-delete'({ tokenHash }) {
    statements.deleteSession.run(tokenHash)
    return null
  },
  'user-create'({ id, email, name, passwordHash, createdAt }) {
    statements.insertUser.run(id, email, name, passwordHash, createdAt)
    return null
  },
  'negotiation-open-drafting'({ negotiationId, openDrafting }) {
    statements.setOpenDrafting.run(openDrafting ? 1 : 0, negotiationId)
    return null
  },
  'negotiation-create'({ id, title, createdAt, parties }) {
    statements.insertNegotiation.run(id, title, createdAt)
    // A new negotiation keeps its sign-offs here from the start: nothing to import.
    statements.markSignoffsImported.run(id)
    parties.forEach((party, position) => {
      statements.insertParty.run(id, party.id, party.name, party.color, position)
    })
    return null
  },
  'member-put'({ negotiationId, userId, role, partyId }) {
    statements.upsertMember.run(negotiationId, userId, role, partyId)
    return null
  },
  'member-remove'({ negotiationId, userId }) {
    return statements.deleteMember.run(negotiationId, userId).changes > 0
  },
  'invite-create'(invite) {
    statements.insertInvite.run(
      invite.tokenHash,
      invite.negotiationId,
      invite.email,
      invite.role,
      invite.partyId,
      invite.createdBy,
      invite.createdAt,
      invite.expiresAt,
      invite.usedAt,
    )
    return null
  },
  'invite-use'({ tokenHash, at }) {
    return statements.useInvite.run(at, tokenHash).changes > 0
  },
  commit({ changes, docName, update }) {
    for (const change of changes) {
      const apply = recordChanges[change.kind]
      if (!apply) throw new RangeError(`unknown record change: ${String(change.kind)}`)
      apply(change)
    }
    return Number(statements.insertUpdate.run(docName, update).lastInsertRowid)
  },
  'signoffs-import'({ negotiationId, rows }) {
    if (statements.signoffsImported.get(negotiationId)) return null
    for (const row of rows) putSignoff(row)
    statements.markSignoffsImported.run(negotiationId)
    return null
  },
  'activity-reader-put'({ negotiationId, userId, seenAt, mailKinds }) {
    statements.upsertActivityReader.run({ negotiationId, userId, seenAt, mailKinds })
    return null
  },
  'supplement-create'(supplement) {
    statements.insertSupplement.run(
      supplement.negotiationId,
      supplement.id,
      supplement.ownerUserId,
      supplement.title,
      supplement.baseIteration,
      supplement.createdAt,
    )
    return null
  },
}

/** Runs one request in one transaction (IMMEDIATE: the write lock is taken before any read). */
const runRequest = db.transaction((request) => {
  const operation = operations[request.op]
  if (!operation) throw new RangeError(`unknown writer operation: ${String(request.op)}`)
  const result = operation(request.args)
  if (typeof request.fail === 'string') throw new Error(request.fail)
  return result
})

parentPort.on('message', (request) => {
  if (request.op === 'close') {
    db.close()
    parentPort.postMessage({ id: request.id, ok: true, result: null })
    parentPort.close()
    return
  }
  try {
    parentPort.postMessage({ id: request.id, ok: true, result: runRequest.immediate(request) })
  } catch (error) {
    parentPort.postMessage({
      id: request.id,
      ok: false,
      name: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
      code: typeof error?.code === 'string' ? error.code : null,
    })
  }
})

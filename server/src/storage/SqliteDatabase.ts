/**
 * Opens the embedded SQLite database (one file, `<DATA_DIR>/onetext.sqlite`) and brings its schema
 * up to date. WAL journal with `synchronous = FULL`, so that a committed transaction survives a
 * crash of the process or the machine: acknowledgements promise exactly that. After start-up this
 * connection only reads: every write goes through the writer thread (SqliteWriter).
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'

/** File name of the database inside DATA_DIR. */
export const DATABASE_FILE = 'onetext.sqlite'

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE doc_updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     doc TEXT NOT NULL,
     data BLOB NOT NULL
   );
   CREATE INDEX doc_updates_doc_seq ON doc_updates (doc, seq);
   CREATE TABLE doc_snapshots (
     doc TEXT PRIMARY KEY,
     data BLOB NOT NULL,
     upto_seq INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE users (
     id TEXT PRIMARY KEY,
     email TEXT NOT NULL UNIQUE COLLATE NOCASE,
     name TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE TABLE negotiations (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE parties (
     negotiation_id TEXT NOT NULL REFERENCES negotiations (id) ON DELETE CASCADE,
     id TEXT NOT NULL,
     name TEXT NOT NULL,
     color TEXT NOT NULL,
     position INTEGER NOT NULL,
     PRIMARY KEY (negotiation_id, id)
   );
   CREATE TABLE members (
     negotiation_id TEXT NOT NULL REFERENCES negotiations (id) ON DELETE CASCADE,
     user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     role TEXT NOT NULL,
     party_id TEXT,
     PRIMARY KEY (negotiation_id, user_id)
   );`,
  `CREATE TABLE invites (
     token_hash TEXT PRIMARY KEY,
     negotiation_id TEXT NOT NULL REFERENCES negotiations (id) ON DELETE CASCADE,
     email TEXT NOT NULL COLLATE NOCASE,
     role TEXT NOT NULL,
     party_id TEXT,
     created_by TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     used_at INTEGER
   );
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     negotiation_id TEXT,
     user_id TEXT,
     email TEXT,
     action TEXT NOT NULL,
     detail TEXT NOT NULL,
     address TEXT
   );
   CREATE INDEX audit_log_negotiation ON audit_log (negotiation_id, id);
   CREATE INDEX audit_log_user ON audit_log (user_id, id);`,
  `CREATE TABLE iterations (
     negotiation_id TEXT NOT NULL REFERENCES negotiations (id) ON DELETE CASCADE,
     number INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     note TEXT NOT NULL,
     published INTEGER NOT NULL DEFAULT 0,
     snapshot BLOB NOT NULL,
     doc_json TEXT NOT NULL,
     clauses TEXT NOT NULL,
     html TEXT NOT NULL,
     markdown TEXT NOT NULL,
     PRIMARY KEY (negotiation_id, number)
   );`,
  `CREATE TABLE supplements (
     negotiation_id TEXT NOT NULL REFERENCES negotiations (id) ON DELETE CASCADE,
     id TEXT NOT NULL,
     owner_user_id TEXT NOT NULL,
     title TEXT NOT NULL,
     base_iteration INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (negotiation_id, id)
   );`,
  // Stored entries of documents that could not be read, kept with the reason (kind: 'update' or
  // 'snapshot'; seq: the log entry's sequence number or the snapshot's upto_seq).
  `CREATE TABLE doc_quarantine (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     doc TEXT NOT NULL,
     kind TEXT NOT NULL,
     seq INTEGER NOT NULL,
     data BLOB NOT NULL,
     reason TEXT NOT NULL,
     set_aside_at INTEGER NOT NULL
   );
   CREATE INDEX doc_quarantine_doc ON doc_quarantine (doc, kind, seq);`,
  // SHA-256 (hex) of a snapshot's bytes, written with it: a snapshot whose bytes no longer match
  // was changed or cut after it was written. Null for snapshots written before this column.
  `ALTER TABLE doc_snapshots ADD COLUMN checksum TEXT;`,
  // "Open drafting": the table reads the working draft live (docs/DOMAIN.md, "Drafting privacy").
  `ALTER TABLE negotiations ADD COLUMN open_drafting INTEGER NOT NULL DEFAULT 0;`,
  // The circulation note for the published record (local tables); `note` is the table's.
  `ALTER TABLE iterations ADD COLUMN published_note TEXT NOT NULL DEFAULT '';`,
  // Sign-offs: each party's initials on a clause, the record the status document projects
  // (docs/DOMAIN.md, "The cycle's records"). `signoff_imports` lists the negotiations whose
  // sign-offs, once kept only in the status document, have been copied here.
  `CREATE TABLE signoffs (
     negotiation_id TEXT NOT NULL REFERENCES negotiations (id) ON DELETE CASCADE,
     clause_id TEXT NOT NULL,
     party_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     name TEXT NOT NULL,
     initials TEXT NOT NULL,
     at INTEGER NOT NULL,
     iteration INTEGER NOT NULL,
     PRIMARY KEY (negotiation_id, clause_id, party_id)
   );
   CREATE TABLE signoff_imports (
     negotiation_id TEXT PRIMARY KEY REFERENCES negotiations (id) ON DELETE CASCADE
   );`,
  // Each member's reading of the activity feed: where they last looked (any browser), which
  // events e-mail them (JSON array of activity kinds).
  `CREATE TABLE activity_readers (
     negotiation_id TEXT NOT NULL REFERENCES negotiations (id) ON DELETE CASCADE,
     user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     seen_at INTEGER NOT NULL DEFAULT 0,
     mail_kinds TEXT NOT NULL DEFAULT '[]',
     PRIMARY KEY (negotiation_id, user_id)
   );`,
  // Party colours handed out before the palette was measured (shared/src/partyPalette.ts): each
  // takes the colour now in its place in the palette, which keeps 4.5:1 as tracked text.
  `UPDATE parties SET color = CASE color
       WHEN '#047857' THEN '#05694c'
       WHEN '#7c3aed' THEN '#7530e4'
       WHEN '#b45309' THEN '#994400'
       WHEN '#0e7490' THEN '#00657e'
       WHEN '#4d7c0f' THEN '#3d6602'
       WHEN '#1e40af' THEN '#741a6a'
       WHEN '#9f1239' THEN '#4e20a4'
       WHEN '#065f46' THEN '#9b29a6'
       WHEN '#6d28d9' THEN '#811b2a'
       ELSE color END;`,
  // Settings of the store as a whole: `document_format`, the format every stored document has been
  // brought to (DOCUMENT_FORMAT in DocumentStore.ts).
  `CREATE TABLE IF NOT EXISTS store_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
]

/** The schema version (`user_version`) at which stored party colours were moved to the measured palette. */
export const PALETTE_MIGRATION_VERSION =
  MIGRATIONS.findIndex((sql) => sql.startsWith('UPDATE parties SET color')) + 1

/** Opens (creating if needed) the database in `dataDir` and migrates it. */
export function openSqliteDatabase(dataDir: string): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true })
  const db = new Database(path.join(dataDir, DATABASE_FILE))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  const version = db.pragma('user_version', { simple: true }) as number
  for (let index = version; index < MIGRATIONS.length; index++) {
    const sql = MIGRATIONS[index]
    if (sql === undefined) continue
    db.transaction(() => {
      db.exec(sql)
      db.pragma(`user_version = ${index + 1}`)
    })()
  }
  return db
}

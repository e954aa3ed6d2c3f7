/**
 * The two store sets a contract test runs against: SQLite in a fresh data directory, PostgreSQL
 * in a database made for the test file (emptied before each test). Each can also run a raw SQL
 * statement written in the SQL both databases read, for what the stores never do (damage a
 * snapshot, forget an import).
 */
import fs from 'node:fs'
import pg from 'pg'
import { openSqliteStores } from '../../server/src/storage/openSqliteStores'
import { openPostgresStores } from '../../server/src/storage/postgres/openPostgresStores'
import { openSqliteDatabase } from '../../server/src/storage/SqliteDatabase'
import type { StoreSet } from '../../server/src/storage/StoreSet'
import { createTestDatabase, type TestDatabase } from './postgresDatabase'
import { makeDataDir } from './testServer'

/** A backend under test. */
export interface StoreBackend {
  readonly name: 'sqlite' | 'postgres'
  /** Called once before the file's tests. */
  setUp(): Promise<void>
  /** Called once after them. */
  tearDown(): Promise<void>
  /** An empty store set; closed by the caller. */
  open(): Promise<StoreSet>
  /** Runs one statement (no parameters) directly on the database the last `open` used. */
  execute(sql: string): Promise<void>
}

/** Every table the stores write, children first. */
const TABLES = [
  'activity_readers',
  'signoff_imports',
  'signoffs',
  'supplements',
  'iterations',
  'audit_log',
  'invites',
  'members',
  'parties',
  'negotiations',
  'sessions',
  'users',
  'doc_quarantine',
  'doc_snapshots',
  'doc_updates',
]

/** The SQLite backend: a fresh data directory for each `open`. */
export function sqliteBackend(): StoreBackend {
  let dataDir: string | null = null
  const dirs: string[] = []
  return {
    name: 'sqlite',
    async setUp() {},
    async tearDown() {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
    },
    async open() {
      dataDir = makeDataDir()
      dirs.push(dataDir)
      return openSqliteStores(dataDir, null, (line) => {
        throw new Error(line)
      })
    },
    async execute(sql) {
      if (dataDir === null) throw new Error('open a store set first')
      const db = openSqliteDatabase(dataDir)
      try {
        db.exec(sql)
      } finally {
        db.close()
      }
    },
  }
}

/** The PostgreSQL backend: one database for the file, every table emptied at each `open`. */
export function postgresBackend(): StoreBackend {
  let database: TestDatabase | null = null
  const url = () => {
    if (database === null) throw new Error('set the backend up first')
    return database.url
  }
  const execute = async (sql: string) => {
    const client = new pg.Client({ connectionString: url() })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  return {
    name: 'postgres',
    async setUp() {
      database = await createTestDatabase()
    },
    async tearDown() {
      await database?.drop()
    },
    async open() {
      const stores = await openPostgresStores(url(), {
        onAuditError: (line) => {
          throw new Error(line)
        },
      })
      await execute(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY`)
      return stores
    },
    execute,
  }
}

/** Adds the account `u1` (ana@example.org) and the negotiation `n1` with parties p-c, p-a, p-b. */
export async function seedNegotiation(stores: StoreSet): Promise<void> {
  await stores.directory.createUser({
    id: 'u1',
    email: 'ana@example.org',
    name: 'Ana',
    passwordHash: 'h1',
  })
  await stores.directory.createNegotiation({ id: 'n1', title: 'Round one' }, [
    { id: 'p-c', name: 'Third', color: '#333333' },
    { id: 'p-a', name: 'First', color: '#111111' },
    { id: 'p-b', name: 'Second', color: '#222222' },
  ])
}

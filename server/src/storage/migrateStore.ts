/**
 * `pnpm migrate-store --from sqlite:DIR --to postgres:URL`: copies every table of a SQLite data
 * directory (its `onetext.sqlite`, brought up to this version's schema first, as a server start
 * would) into a PostgreSQL database (migrated first; it must hold no rows), in one transaction, and
 * prints the rows copied per table. Neither database may be in use by a server meanwhile. Refuses,
 * exiting 1 with the reason and writing nothing, when the source is missing or the target holds
 * data.
 */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type Database from 'better-sqlite3'
import { migratePostgres, PgDatabase } from './postgres/PgDatabase'
import { DATABASE_FILE, openSqliteDatabase } from './SqliteDatabase'

/** Every table, parents before the tables that refer to them. */
export const STORE_TABLES: readonly string[] = [
  'users',
  'negotiations',
  'sessions',
  'parties',
  'members',
  'invites',
  'audit_log',
  'iterations',
  'supplements',
  'signoffs',
  'signoff_imports',
  'activity_readers',
  'doc_updates',
  'doc_snapshots',
  'doc_quarantine',
  'store_settings',
]

/** The identity column of each table that has one (SQLite's AUTOINCREMENT keys). */
const IDENTITY_COLUMNS: Readonly<Record<string, string>> = {
  doc_updates: 'seq',
  audit_log: 'id',
  doc_quarantine: 'id',
}

/** Rows per INSERT statement (each row's values are parameters; PostgreSQL allows 65535). */
const ROWS_PER_INSERT = 200

/** Where to copy from and to, as the command line names them. */
export interface MigrateStoreArgs {
  /** The SQLite data directory. */
  from: string
  /** The PostgreSQL connection string. */
  to: string
}

/** A refusal: the command stops, writing nothing, and says why. */
export class MigrateStoreRefusal extends Error {
  /** `message` is printed as it is. */
  constructor(message: string) {
    super(message)
    this.name = 'MigrateStoreRefusal'
  }
}

const USAGE = 'usage: pnpm migrate-store --from sqlite:DIR --to postgres:URL'

/**
 * Reads `--from sqlite:DIR --to postgres:URL` (also `--from=…`; the URL may be given with or
 * without the `postgres:` prefix). A RangeError with the usage otherwise.
 */
export function parseMigrateStoreArgs(argv: readonly string[]): MigrateStoreArgs {
  const values: Record<string, string> = {}
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? ''
    const match = /^--(from|to)(?:=(.*))?$/.exec(arg)
    if (!match) throw new RangeError(`unknown argument ${JSON.stringify(arg)}; ${USAGE}`)
    const value = match[2] ?? argv[++index]
    if (value === undefined) throw new RangeError(`--${match[1]} needs a value; ${USAGE}`)
    values[match[1] as string] = value
  }
  const from = values.from
  const to = values.to
  if (from === undefined || !from.startsWith('sqlite:') || from.length === 'sqlite:'.length)
    throw new RangeError(`--from must be sqlite:DIR; ${USAGE}`)
  const url = to?.startsWith('postgres:') && !/^postgres:\/\//.test(to) ? to.slice(9) : to
  if (url === undefined || !/^postgres(ql)?:\/\//.test(url))
    throw new RangeError(`--to must be postgres:URL with a postgres:// URL; ${USAGE}`)
  return { from: path.resolve(from.slice('sqlite:'.length)), to: url }
}

/** The rows copied into one table. */
export interface TableCount {
  table: string
  rows: number
}

function sqliteColumns(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((column) => column.name)
}

/** The next value an identity column must hand out: past every value SQLite ever handed out. */
function nextIdentity(db: Database.Database, table: string, column: string): number {
  const used = db
    .prepare<[string], { seq: number }>('SELECT seq FROM sqlite_sequence WHERE name = ?')
    .get(table)
  const max = db
    .prepare<[], { max: number | null }>(`SELECT MAX(${column}) AS max FROM ${table}`)
    .get()
  // A snapshot covers sequence numbers whose log entries are gone: new ones must come after them.
  const covered =
    table === 'doc_updates'
      ? (db
          .prepare<[], { max: number | null }>('SELECT MAX(upto_seq) AS max FROM doc_snapshots')
          .get()?.max ?? 0)
      : 0
  return Math.max(used?.seq ?? 0, max?.max ?? 0, covered) + 1
}

/**
 * Copies every table of the SQLite database in `from` into the PostgreSQL database at `to`, in one
 * transaction, and resolves with the rows copied per table (in {@link STORE_TABLES} order).
 * Rejects with a {@link MigrateStoreRefusal} when `from` holds no OneText database or the target
 * holds rows already; with the database's error when a row cannot be written (nothing is then).
 */
export async function migrateStore({ from, to }: MigrateStoreArgs): Promise<TableCount[]> {
  if (!fs.existsSync(path.join(from, DATABASE_FILE)))
    throw new MigrateStoreRefusal(`no OneText SQLite database in ${from} (no ${DATABASE_FILE})`)
  const source = openSqliteDatabase(from)
  const target = new PgDatabase(to, { max: 1 })
  try {
    await migratePostgres(target.pool)
    return await target.transaction(null, async (client) => {
      // Nobody writes the target between the check that it is empty and the copy's commit (a
      // server started on it, a second copy).
      await client.query(`LOCK TABLE ${STORE_TABLES.join(', ')} IN ACCESS EXCLUSIVE MODE`)
      for (const table of STORE_TABLES) {
        const [held] = (
          await client.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table}) AS found`)
        ).rows
        if (held?.found)
          throw new MigrateStoreRefusal(
            `the target database already holds data (table ${table} has rows); migrate into an empty database`,
          )
      }
      const counts: TableCount[] = []
      for (const table of STORE_TABLES) {
        const types = new Map(
          (
            await client.query<{ column_name: string; data_type: string }>(
              `SELECT column_name, data_type FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = $1`,
              [table],
            )
          ).rows.map((row) => [row.column_name, row.data_type]),
        )
        const columns = sqliteColumns(source, table)
        const missing = columns.filter((column) => !types.has(column))
        if (missing.length > 0 || columns.length !== types.size)
          throw new MigrateStoreRefusal(
            `table ${table} differs between the databases (SQLite: ${columns.join(', ')}; PostgreSQL: ${[...types.keys()].join(', ')})`,
          )
        const convert = columns.map((column) =>
          types.get(column) === 'boolean'
            ? (value: unknown) => (value === null ? null : value !== 0)
            : (value: unknown) => value,
        )
        let rows = 0
        let chunk: unknown[][] = []
        const flush = async () => {
          if (chunk.length === 0) return
          const values = chunk.map(
            (_, row) =>
              `(${columns.map((_, column) => `$${row * columns.length + column + 1}`).join(', ')})`,
          )
          await client.query(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`,
            chunk.flat(),
          )
          rows += chunk.length
          chunk = []
        }
        const select = source.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).raw(true)
        for (const row of select.iterate() as Iterable<unknown[]>) {
          chunk.push(row.map((value, index) => (convert[index] as (v: unknown) => unknown)(value)))
          if (chunk.length === ROWS_PER_INSERT) await flush()
        }
        await flush()
        const identity = IDENTITY_COLUMNS[table]
        if (identity)
          await client.query('SELECT setval(pg_get_serial_sequence($1, $2), $3, false)', [
            table,
            identity,
            nextIdentity(source, table, identity),
          ])
        counts.push({ table, rows })
      }
      return counts
    })
  } finally {
    source.close()
    await target.close()
  }
}

/** Runs the command: `argv` without node and the script; resolves with the exit code. */
export async function runMigrateStore(
  argv: readonly string[],
  out: (line: string) => void,
  error: (line: string) => void,
): Promise<number> {
  let args: MigrateStoreArgs
  try {
    args = parseMigrateStoreArgs(argv)
  } catch (problem) {
    error(problem instanceof Error ? problem.message : String(problem))
    return 2
  }
  try {
    const counts = await migrateStore(args)
    for (const { table, rows } of counts) out(`${table.padEnd(18)} ${rows}`)
    out(`copied ${counts.reduce((sum, count) => sum + count.rows, 0)} rows into PostgreSQL`)
    return 0
  } catch (problem) {
    const message = problem instanceof Error ? problem.message : String(problem)
    error(`migrate-store: nothing was copied: ${message}`)
    return 1
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runMigrateStore(
    process.argv.slice(2),
    (line) => console.log(line),
    (line) => console.error(line),
  ).then((code) => {
    process.exitCode = code
  })
}

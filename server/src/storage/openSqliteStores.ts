/**
 * Opens the embedded SQLite store set: one database file in the data directory, read on the main
 * connection and written on the writer thread.
 */
import path from 'node:path'
import { SqliteActivityReaderStore } from './SqliteActivityReaderStore'
import { SqliteAuditLog } from './SqliteAuditLog'
import { DATABASE_FILE, openSqliteDatabase } from './SqliteDatabase'
import { SqliteDirectory } from './SqliteDirectory'
import { SqliteDocumentStore } from './SqliteDocumentStore'
import { SqliteIterationStore } from './SqliteIterationStore'
import { SqliteSupplementStore } from './SqliteSupplementStore'
import { SqliteWriter } from './SqliteWriter'
import type { StorageFaults } from './StorageFaults'
import type { StoreSet } from './StoreSet'

/**
 * Opens (creating and migrating if needed) `<dataDir>/onetext.sqlite` and builds every store on it.
 * `faults` (tests only; null in production) makes chosen writer commits fail; `onAuditError`
 * receives a line for each audit entry that could not be written.
 */
export function openSqliteStores(
  dataDir: string,
  faults: StorageFaults | null,
  onAuditError: (line: string) => void,
): StoreSet {
  const db = openSqliteDatabase(dataDir)
  const writer = new SqliteWriter(path.join(dataDir, DATABASE_FILE), faults)
  const audit = new SqliteAuditLog(db, writer, onAuditError)
  let closing: Promise<void> | null = null
  return {
    kind: 'sqlite',
    leases: null,
    clusterSecret: null,
    directory: new SqliteDirectory(db, writer),
    documents: new SqliteDocumentStore(db, writer),
    audit,
    iterations: new SqliteIterationStore(db, writer),
    supplements: new SqliteSupplementStore(db, writer),
    readers: new SqliteActivityReaderStore(db, writer),
    close() {
      closing ??= (async () => {
        await audit.flush()
        await writer.close()
        db.close()
      })()
      return closing
    },
  }
}

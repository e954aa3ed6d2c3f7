/** Opens the store set the configuration names: SQLite in DATA_DIR, or PostgreSQL at DATABASE_URL. */
import type { ServerConfig } from '../config'
import { openSqliteStores } from './openSqliteStores'
import { openPostgresStores } from './postgres/openPostgresStores'
import type { StoreSet } from './StoreSet'

/** Where failures the stores cannot throw are reported. */
export interface StoreErrorSinks {
  /** A line for each audit entry that could not be written. */
  onAuditError: (line: string) => void
  /** An error of an idle database connection (PostgreSQL). */
  onConnectionError: (error: Error) => void
}

/**
 * Opens `config.store`'s set: `sqlite` opens (and migrates) the database in `config.dataDir`;
 * `postgres` connects to `config.databaseUrl` and migrates it, and throws a RangeError when no
 * DATABASE_URL is set. `config.storageFaults` (tests) reaches either backend's writes.
 */
export async function openStores(
  config: Pick<ServerConfig, 'store' | 'dataDir' | 'databaseUrl' | 'storageFaults'>,
  sinks: StoreErrorSinks,
): Promise<StoreSet> {
  const faults = config.storageFaults ?? null
  if (config.store === 'sqlite') return openSqliteStores(config.dataDir, faults, sinks.onAuditError)
  if (config.databaseUrl === null)
    throw new RangeError('STORE=postgres needs DATABASE_URL (a postgres:// connection string)')
  return openPostgresStores(config.databaseUrl, {
    faults,
    onAuditError: sinks.onAuditError,
    onIdleError: sinks.onConnectionError,
  })
}

/**
 * Opens the PostgreSQL store set: one connection pool on the database DATABASE_URL names, its
 * schema migrated first.
 */
import type { StorageFaults } from '../StorageFaults'
import type { StoreSet } from '../StoreSet'
import { storedClusterSecret } from './clusterSecret'
import { type NegotiationLeaseOptions, NegotiationLeases } from './NegotiationLeases'
import { PgActivityReaderStore } from './PgActivityReaderStore'
import { PgAuditLog } from './PgAuditLog'
import { migratePostgres, PgDatabase } from './PgDatabase'
import { PgDirectory } from './PgDirectory'
import { PgDocumentStore } from './PgDocumentStore'
import { PgIterationStore } from './PgIterationStore'
import { PgSupplementStore } from './PgSupplementStore'

/** Options of {@link openPostgresStores}; every one may be left out. */
export interface PostgresStoreOptions {
  /** Simulated failures (tests only; none by default). */
  faults?: StorageFaults | null
  /** Receives a line for each audit entry that could not be written; default: dropped. */
  onAuditError?: (line: string) => void
  /** Errors of idle pooled connections; default: ignored (the next query reconnects). */
  onIdleError?: (error: Error) => void
  /** The leases' lifetime and heartbeat (tests); default LEASE_TTL_MS and LEASE_RENEW_MS. */
  leases?: Pick<NegotiationLeaseOptions, 'ttlMs' | 'renewMs'>
}

/**
 * Connects to `url`, applies the schema migrations it lacks (see `migratePostgres`) and builds
 * every store on the one pool, the document and record stores fenced by the process's
 * negotiation leases (see NegotiationLeases), with the database's cluster secret (clusterSecret.ts). Rejects, with the pool closed, when the database cannot be reached
 * or migrated.
 */
export async function openPostgresStores(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<StoreSet> {
  const db = new PgDatabase(url, {
    faults: options.faults ?? null,
    ...(options.onIdleError ? { onIdleError: options.onIdleError } : {}),
  })
  let clusterSecret: string
  try {
    await migratePostgres(db.pool)
    clusterSecret = await storedClusterSecret(db)
  } catch (error) {
    await db.close()
    throw error
  }
  const audit = new PgAuditLog(db, options.onAuditError ?? (() => {}))
  const leases = new NegotiationLeases(db, {
    ...options.leases,
    ...(options.onIdleError ? { onError: options.onIdleError } : {}),
  })
  let closing: Promise<void> | null = null
  return {
    kind: 'postgres',
    directory: new PgDirectory(db),
    documents: new PgDocumentStore(db, leases),
    audit,
    iterations: new PgIterationStore(db, leases),
    supplements: new PgSupplementStore(db),
    readers: new PgActivityReaderStore(db),
    leases,
    clusterSecret,
    close() {
      closing ??= (async () => {
        await audit.flush()
        await leases.close().catch(() => {})
        await db.close()
      })()
      return closing
    },
  }
}

/**
 * The secret the processes sharing one PostgreSQL database sign their forwarded requests with
 * (see `cluster/hopSignature.ts`), when CLUSTER_SECRET does not set one: 32 random bytes, made by
 * the first process to start and kept in `store_settings` under `cluster_secret`, so that every
 * process on the database reads the same one. Whoever can read the database can read it; such a
 * reader holds everything the signature protects already.
 */
import { randomBytes } from 'node:crypto'
import type { PgDatabase } from './PgDatabase'

/** The `store_settings` key of the stored secret. */
export const CLUSTER_SECRET_KEY = 'cluster_secret'

/**
 * The stored secret of `db`, made (random, hex) and stored first when there is none; processes
 * starting at once agree on the first one stored.
 */
export async function storedClusterSecret(db: PgDatabase): Promise<string> {
  await db.rows(
    'INSERT INTO store_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
    [CLUSTER_SECRET_KEY, randomBytes(32).toString('hex')],
  )
  const [row] = await db.rows<{ value: string }>(
    'SELECT value FROM store_settings WHERE key = $1',
    [CLUSTER_SECRET_KEY],
  )
  if (!row) throw new Error('the cluster secret could not be stored')
  return row.value
}

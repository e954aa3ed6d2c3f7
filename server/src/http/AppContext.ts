/**
 * What the HTTP routes share: storage, the audit log, the open connections, the authorization
 * policy, access changes told to every process, the log, and where people reach the server.
 */
import type { AccessPolicy } from '../access/AccessPolicy'
import type { AccessChanges } from '../cluster/AccessChanges'
import type { Logger } from '../logger'
import type { AuditLog } from '../storage/AuditLog'
import type { Directory } from '../storage/Directory'
import type { ConnectionIndex } from '../sync/ConnectionIndex'

export interface AppContext {
  directory: Directory
  audit: AuditLog
  connections: ConnectionIndex
  policy: AccessPolicy
  /** Closes the connections an access change or a sign-out affects, on every process. */
  accessChanges: AccessChanges
  logger: Logger
  /** PUBLIC_URL without a trailing slash, or null (links then use the address a request came to). */
  publicUrl: string | null
}

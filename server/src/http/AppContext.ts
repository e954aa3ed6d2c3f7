/**
 * What the HTTP routes share: storage, the audit log, the open connections, the authorization
 * policy, the log, and where people reach the server.
 */
import type { AccessPolicy } from '../access/AccessPolicy'
import type { Logger } from '../logger'
import type { AuditLog } from '../storage/AuditLog'
import type { Directory } from '../storage/Directory'
import type { ConnectionIndex } from '../sync/ConnectionIndex'

export interface AppContext {
  directory: Directory
  audit: AuditLog
  connections: ConnectionIndex
  policy: AccessPolicy
  logger: Logger
  /** PUBLIC_URL without a trailing slash, or null (links then use the address a request came to). */
  publicUrl: string | null
}

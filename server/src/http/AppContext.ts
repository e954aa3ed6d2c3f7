/**
 * What the HTTP routes share: storage, the audit log, the open connections, the logger.
 */
import type { AuditLog } from '../storage/AuditLog'
import type { Directory } from '../storage/Directory'
import type { ConnectionIndex } from '../sync/ConnectionIndex'

export interface AppContext {
  directory: Directory
  audit: AuditLog
  connections: ConnectionIndex
  log: (line: string) => void
}

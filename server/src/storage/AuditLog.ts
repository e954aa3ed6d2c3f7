/**
 * The append-only audit log: sign-ins and failures, document opens and refusals, membership and
 * role changes, refused requests, each with user, time and address.
 */

/** What happened. */
export type AuditAction =
  | 'login'
  | 'login-failed'
  | 'document-open'
  | 'document-refused'
  | 'request-refused'
  | 'member-invited'
  | 'member-joined'
  | 'member-changed'
  | 'member-removed'
  | 'settings-changed'

/** One entry to append. */
export interface AuditEntryInput {
  action: AuditAction
  negotiationId?: string | null
  userId?: string | null
  email?: string | null
  address?: string | null
  /** Anything else worth keeping (document name, old and new role…); stored as JSON. */
  detail?: Record<string, unknown>
}

/** One stored entry. */
export interface AuditEntry extends Required<Omit<AuditEntryInput, 'detail'>> {
  id: number
  at: number
  detail: Record<string, unknown>
}

/** Append-only audit storage. */
export interface AuditLog {
  /**
   * Appends an entry; never throws (a failed audit write is logged, with the entry, not fatal).
   * The write may complete after the call returns; {@link AuditLog.flush} waits for it.
   */
  record(entry: AuditEntryInput): void
  /** Resolves once every entry recorded so far is stored. */
  flush(): Promise<void>
  /**
   * Entries about a negotiation, and the sign-ins of its members, newest first, at most `limit`
   * (entries older than id `before` when given), including every entry recorded before the call.
   */
  listForNegotiation(negotiationId: string, limit: number, before?: number): Promise<AuditEntry[]>
}

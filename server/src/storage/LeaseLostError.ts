/**
 * The error a negotiation's write or load throws when this process does not own the negotiation
 * (PostgreSQL, several processes on one database: see `postgres/NegotiationLeases.ts`).
 */
import { isValidId } from '@onetext/shared/documentNames'

/**
 * This process does not hold `negotiationId`'s lease (another live process owns it, or took it
 * over after this one stalled): nothing was written, and the caller must not write on its behalf
 * again until it acquires the lease anew. HTTP answers it with 503 and Retry-After; a websocket is
 * closed with `OwnedElsewhere`.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError'

  /** `negotiationId` is the negotiation whose lease this process lacks. */
  constructor(readonly negotiationId: string) {
    super(`negotiation ${negotiationId} is owned by another process`)
  }
}

/**
 * The negotiation a document belongs to: the part of its name before the first `.` (document
 * names start with their negotiation id, and derived names such as `<doc>~owners` keep that
 * prefix), or null for a name that has none.
 */
export function negotiationOfDocument(docName: string): string | null {
  const dot = docName.indexOf('.')
  if (dot <= 0) return null
  const id = docName.slice(0, dot)
  return isValidId(id) ? id : null
}

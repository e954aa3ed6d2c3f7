/**
 * What one server process tells every other through Redis (ClusterBus): the events that close
 * connections wherever they are, and requests to hand a negotiation over. Each names what changed, never what it changed to: a process
 * that hears one re-derives the answer from the store, so an event heard twice, late, or by the
 * process that sent it closes nothing that is still allowed.
 */

/** A member's role, party or membership of a negotiation changed (or they joined it). */
export interface MemberEvent {
  readonly kind: 'member'
  readonly negotiationId: string
  readonly userId: string
}

/** Who may read document `docName` changed (open drafting turned off). */
export interface ReadersEvent {
  readonly kind: 'readers'
  readonly docName: string
}

/** A session ended (signed out): its connections close with 4401. */
export interface SessionEvent {
  readonly kind: 'session'
  readonly userId: string
  /** The SHA-256 of the session's token, as stored (never the token). */
  readonly sessionHash: string
}

/**
 * A process could not tell the others something (Redis was unreachable when it tried): every
 * process re-checks every connection it holds against the store.
 */
export interface RecheckEvent {
  readonly kind: 'recheck'
}

/**
 * A request to the process `owner` to give negotiation `negotiationId` up for the process `to`
 * (owner ids, as the lease rows name them), which forwards clients of it to `owner`. A hint: the
 * owner decides (HandOver.ts), and the lease in PostgreSQL stays the only truth of who owns what.
 */
export interface HandOverEvent {
  readonly kind: 'handover'
  readonly negotiationId: string
  readonly owner: string
  readonly to: string
}

/** Every event of the cluster bus. */
export type ClusterEvent = MemberEvent | ReadersEvent | SessionEvent | RecheckEvent | HandOverEvent

/** Longest string field an event may carry (ids, document names, hashes). */
const MAX_FIELD_LENGTH = 512

function field(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_FIELD_LENGTH
}

/** The event `text` (a message of the bus) holds, or null when it holds none of them. */
export function parseClusterEvent(text: string): ClusterEvent | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const event = value as Record<string, unknown>
  switch (event.kind) {
    case 'member':
      return field(event.negotiationId) && field(event.userId)
        ? { kind: 'member', negotiationId: event.negotiationId, userId: event.userId }
        : null
    case 'readers':
      return field(event.docName) ? { kind: 'readers', docName: event.docName } : null
    case 'session':
      return field(event.userId) && field(event.sessionHash)
        ? { kind: 'session', userId: event.userId, sessionHash: event.sessionHash }
        : null
    case 'recheck':
      return { kind: 'recheck' }
    case 'handover':
      return field(event.negotiationId) && field(event.owner) && field(event.to)
        ? { kind: 'handover', negotiationId: event.negotiationId, owner: event.owner, to: event.to }
        : null
    default:
      return null
  }
}

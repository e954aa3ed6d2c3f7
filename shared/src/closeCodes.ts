/**
 * Websocket close codes the server uses, each with the reason text it sends. Codes 4000-4999 are
 * reserved for applications by RFC 6455. A client must not reconnect after a code whose
 * `retry` is false: those are exactly the codes 4400-4499, which the stock y-websocket provider
 * already treats as final. (A frame over MAX_MESSAGE_BYTES is closed by `ws` itself with 1009.)
 */
export interface CloseEvent {
  readonly code: number
  readonly reason: string
  readonly retry: boolean
}

/** The session is missing, expired or was revoked: sign in again. */
export const Unauthorized: CloseEvent = { code: 4401, reason: 'unauthorized', retry: false }
/**
 * The user may not open this document. Sent whether or not the document exists, so that the
 * response reveals nothing about other parties' documents.
 */
export const Forbidden: CloseEvent = { code: 4403, reason: 'forbidden', retry: false }
/** The user's access to this document changed (role changed or membership removed). */
export const AccessChanged: CloseEvent = { code: 4409, reason: 'access-changed', retry: false }
/** The connection sent too many malformed messages. */
export const ProtocolViolation: CloseEvent = {
  code: 4400,
  reason: 'protocol-violation',
  retry: false,
}
/**
 * The client speaks another protocol version than the server (an open page from before an upgrade)
 * and asked for a rich-text document (a draft or a supplement): reload the page. Checked after
 * access, so it reveals nothing about the document.
 */
export const ClientOutdated: CloseEvent = { code: 4426, reason: 'client-outdated', retry: false }
/** The server is shutting down; reconnect shortly. */
export const ServerShutdown: CloseEvent = { code: 4503, reason: 'server-shutdown', retry: true }
/**
 * Another server process owns the document's negotiation (several processes on one PostgreSQL
 * database), or this one lost it to another after a stall: reconnect; a balancer routing by
 * negotiation lands on the owner, and a free negotiation is taken over.
 */
export const OwnedElsewhere: CloseEvent = { code: 4504, reason: 'owned-elsewhere', retry: true }
/** The document could not be loaded from storage. */
export const LoadFailed: CloseEvent = { code: 4500, reason: 'load-failed', retry: true }

/** Every close code, by numeric code. */
export const closeEventsByCode: ReadonlyMap<number, CloseEvent> = new Map(
  [
    Unauthorized,
    Forbidden,
    AccessChanged,
    ProtocolViolation,
    ClientOutdated,
    ServerShutdown,
    LoadFailed,
    OwnedElsewhere,
  ].map((event) => [event.code, event]),
)

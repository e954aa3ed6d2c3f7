/**
 * Named limits. Every one is documented in docs/PROTOCOL.md or docs/API.md; the server enforces
 * them and answers with a clear error rather than crashing or truncating.
 */

/** Largest websocket frame accepted (a paste of a 300-page agreement is about 2 MB of updates). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024
/** Largest JSON request body accepted by the HTTP API. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024
/** Longest document name in a /sync/<documentName> URL. */
export const MAX_DOCUMENT_NAME_LENGTH = 200
/** Malformed messages tolerated on one connection before it is closed. */
export const MAX_MALFORMED_MESSAGES = 10
/** Failed sign-ins allowed per address and email in LOGIN_WINDOW_MS before 429. */
export const MAX_LOGIN_FAILURES = 10
/** Window for MAX_LOGIN_FAILURES. */
export const LOGIN_WINDOW_MS = 10 * 60 * 1000
/** Lifetime of a session token. */
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000
/** Bytes a client may have unsent in its socket buffer before the server disconnects it. */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024
/**
 * Frames a client may have waiting (sent to it while its socket was backed up, since the socket
 * last drained) before the server disconnects it. Each waiting frame costs the server a few hundred
 * bytes besides its payload, so many tiny updates to a slow reader are bounded by count as well.
 */
export const MAX_BUFFERED_FRAMES = 100_000
/** Lifetime of an invitation link. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000
/** Shortest password a new account may have. */
export const MIN_PASSWORD_LENGTH = 8
/** Most audit entries one request returns. */
export const MAX_AUDIT_PAGE = 500
/** Largest body of `POST /api/negotiations` (an imported .docx travels base64-encoded in it). */
export const MAX_IMPORT_BODY_BYTES = 24 * 1024 * 1024
/** Most parties a negotiation may have. */
export const MAX_PARTIES = 12
/**
 * Password hashes (scrypt, 128 MiB and most of a second of one core each) computed at once; more
 * wait their turn, so sign-in attempts cannot take all of libuv's threads or unbounded memory.
 */
export const MAX_CONCURRENT_PASSWORD_HASHES = 2
/** Requests to sign in or accept an invitation per address per minute (429 beyond). */
export const MAX_SIGN_IN_REQUESTS_PER_MINUTE = 60

/*
 * Limits of one client update (a sync step 2 or sync update), checked before it touches a document
 * (docs/SECURITY.md). An update past any of them is refused as `malformed`.
 */

/** Largest client ID (Yjs picks a random unsigned 32-bit integer). */
export const MAX_CLIENT_ID = 0xffff_ffff
/** Largest clock (a client's count of inserted items) a struct may reach. */
export const MAX_CLOCK = 0x7fff_ffff
/**
 * Most client sections (clients whose structs it carries, or whose items it deletes) in one update.
 * A sync step 2 carries the sender's whole delete set: one section for every editing session whose
 * text was ever deleted, which a months-long negotiation counts in thousands.
 */
export const MAX_UPDATE_CLIENTS = 100_000
/**
 * Most structs (runs of inserted items) in one update: applying one costs the server about 10 us
 * twice (the gate's copy and the document), and the event loop must not stall for 100 ms. A client
 * with more unsaved work (a long offline session) is refused and rebuilds, writing its work again
 * block by block.
 */
export const MAX_UPDATE_STRUCTS = 20_000
/**
 * Most items the gate steps over, in one update, to check that each inserted item lies between its
 * origin (on its left) and its right origin (on its right). Honest items find them next to them or
 * past the few concurrent insertions at the same place; an item whose neighbours are out of order
 * or in another element would make every peer place it differently (originOrder.ts).
 */
export const MAX_ORIGIN_WALK = 100_000
/** Most deleted ranges in one update's delete set. */
export const MAX_UPDATE_DELETE_RANGES = 500_000
/** Longest name of a root, map key, XML attribute, element or mark. */
export const MAX_KEY_LENGTH = 256
/** Deepest nesting of a JSON-like value (lib0 `any`) in an update. */
export const MAX_VALUE_DEPTH = 16
/** Deepest nesting of shared types (elements in elements, maps in maps) in a document. */
export const MAX_TREE_DEPTH = 48
/**
 * Time the client updates of one document may take in one event-loop turn. An update begun is
 * finished; the ones after it wait for the next turn, unacknowledged (docs/PROTOCOL.md), so that a
 * flood of frames in one read, or a run of refused updates that each cost the gate a rebuild of its
 * copy, cannot hold the server's event loop.
 */
export const UPDATE_TURN_BUDGET_MS = 20
/**
 * Longest a command carrying the client's document state (`clientState`) waits for the server's
 * copy to include it before answering `409 not-synced`.
 */
export const CLIENT_STATE_WAIT_MS = 3000
/** Longest `clientState` accepted, in base64 characters (a state vector of thousands of sessions). */
export const MAX_CLIENT_STATE_LENGTH = 256 * 1024

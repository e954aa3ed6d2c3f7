/**
 * Wire protocol constants and the encoders/decoders for OneText's additions to the y-websocket
 * protocol. The full specification is docs/PROTOCOL.md; keep the two in step.
 *
 * Every websocket message is a binary frame that starts with a varUint message type. Types 0-3 are
 * y-websocket's own (sync, awareness, auth, query-awareness); OneText adds types from 100 up so
 * that they can never collide with future y-websocket types.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** y-protocols sync message (step 1, step 2, update). */
export const messageSync = 0
/** y-protocols awareness update. */
export const messageAwareness = 1
/** y-protocols auth message (permission denied); OneText does not send it. */
export const messageAuth = 2
/** Client asks the server for every awareness state it knows. */
export const messageQueryAwareness = 3
/**
 * Server -> client: the number of document-changing messages (sync step 2 and sync update) that the
 * server has received on this connection and has written to disk. Monotonic per connection.
 */
export const messagePersisted = 100
/** Server -> client: an error the client should show, as a varUint code and a varString text. */
export const messageError = 101
/**
 * Server -> client: one document-changing message of this connection was refused (not applied,
 * stored or forwarded): the frame's number (its count, as {@link messagePersisted} counts), a
 * {@link RefusalReason} and words for a person.
 */
export const messageRefused = 102

/** Sub-types of {@link messageSync}, as in y-protocols/sync. */
export const syncStep1 = 0
export const syncStep2 = 1
export const syncUpdate = 2

/**
 * Version of OneText's protocol and document format; bumped on any change an older client would
 * misread. 2: rich-text documents may hold `segment` nodes (an editor without them deletes what it
 * cannot render, so an older client must not open a draft or a supplement). 3: a refused change is
 * named by the {@link messageRefused} message (frame number and reason) instead of error 4, so
 * that the client can rebuild from the server's copy and keep its other edits. 4: rich text is a
 * clause tree (`title`, `clause`, `clauseHeading`; shared/src/clauses.ts) and holds no `heading` or
 * `segment` nodes, so an older editor would delete every clause it cannot render. 5: parties
 * suggest in their own copy of an iteration (document kind `suggest`), and a party's layer no
 * longer takes the whole-clause proposals an older client writes there (`proposals` is refused as
 * `serverOnly`).
 */
export const PROTOCOL_VERSION = 5

/** Query parameter of the websocket URL that carries the client's {@link PROTOCOL_VERSION}. */
export const PROTOCOL_VERSION_PARAM = 'v'

/** The query parameters every client adds to its websocket URL: the protocol version it speaks. */
export const PROTOCOL_PARAMS: Readonly<Record<string, string>> = {
  [PROTOCOL_VERSION_PARAM]: String(PROTOCOL_VERSION),
}

/** Error codes carried by {@link messageError}. */
export const ErrorCode = {
  /** The connection may only read this document; its change was dropped. */
  readOnly: 1,
  /** The message could not be decoded and was ignored. */
  malformed: 2,
  /** The server could not write to disk and is retrying; edits are held in memory. */
  storageRetrying: 3,
  /** Not sent by servers of protocol 3 and later (see {@link messageRefused}). */
  refused: 4,
} as const
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode]

/**
 * Why the server refused a change ({@link messageRefused}). A client rebuilds from the server's copy
 * after any of them except `buildsOnRefused`, which only follows an earlier refusal on the same
 * connection.
 */
export const RefusalReason = {
  /** The update could not be read within the named limits (see docs/SECURITY.md). */
  malformed: 1,
  /** Written under a client ID that another user introduced to this document. */
  foreignClient: 2,
  /** Builds on something the server does not have: a change it refused earlier, or lost. */
  buildsOnRefused: 3,
  /** Content the document's schema does not allow (nodes, marks, attributes, values, depth). */
  schema: 4,
  /** Changed a tentatively agreed clause. */
  locked: 5,
  /** Changed annotations or rationales in a way only their author or the server may. */
  notYours: 6,
  /** Wrote to a part of the document that only the server writes. */
  serverOnly: 7,
  /** Wrote to a party's suggestion copy of an iteration after a newer one was circulated. */
  outdatedCopy: 8,
} as const
export type RefusalReasonValue = (typeof RefusalReason)[keyof typeof RefusalReason]

/** A decoded {@link messageRefused}. */
export interface Refusal {
  /** The refused message's number among this connection's document-changing messages (1-based). */
  frame: number
  reason: number
  text: string
}

/** Encodes a {@link messageRefused} frame. */
export function writeRefused(frame: number, reason: RefusalReasonValue, text: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageRefused)
  encoding.writeVarUint(encoder, frame)
  encoding.writeVarUint(encoder, reason)
  encoding.writeVarString(encoder, text)
  return encoding.toUint8Array(encoder)
}

/** Reads a {@link messageRefused} frame whose type has already been read. */
export function readRefused(decoder: decoding.Decoder): Refusal {
  const frame = decoding.readVarUint(decoder)
  const reason = decoding.readVarUint(decoder)
  const text = decoding.readVarString(decoder)
  return { frame, reason, text }
}

/** Encodes a {@link messagePersisted} frame acknowledging `count` messages. */
export function writePersisted(count: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messagePersisted)
  encoding.writeVarUint(encoder, count)
  return encoding.toUint8Array(encoder)
}

/** Reads the count of a {@link messagePersisted} frame whose type has already been read. */
export function readPersisted(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder)
}

/** Encodes a {@link messageError} frame. */
export function writeError(code: ErrorCodeValue, text: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageError)
  encoding.writeVarUint(encoder, code)
  encoding.writeVarString(encoder, text)
  return encoding.toUint8Array(encoder)
}

/** Reads a {@link messageError} frame whose type has already been read. */
export function readError(decoder: decoding.Decoder): { code: number; text: string } {
  const code = decoding.readVarUint(decoder)
  const text = decoding.readVarString(decoder)
  return { code, text }
}

/**
 * True when `frame` is a sync step 2 or sync update message: the messages that can change a
 * document, which the server counts and acknowledges with {@link messagePersisted}.
 * Both message type and sync sub-type are single-byte varUints, so two bytes decide.
 */
export function isDocumentChangingFrame(frame: Uint8Array): boolean {
  return (
    frame.length >= 2 &&
    frame[0] === messageSync &&
    (frame[1] === syncStep2 || frame[1] === syncUpdate)
  )
}

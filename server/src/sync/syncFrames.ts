/**
 * The sync frames the server writes and the one request it recognises before a document has
 * loaded: small encoders over y-protocols' sync messages, wrapped in the websocket message type.
 */
import { messageSync, syncStep1, syncStep2, syncUpdate } from '@onetext/shared/protocol'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type * as Y from 'yjs'

/** A y-protocols sync frame: message type sync, `subType` (step 1, step 2, update), `payload`. */
export function syncFrame(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  encoding.writeVarUint(encoder, subType)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/** A sync step 1 frame: the server's state vector of `doc`, asking what it lacks. */
export function encodeSyncStep1Frame(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageSync)
  syncProtocol.writeSyncStep1(encoder, doc)
  return encoding.toUint8Array(encoder)
}

/** A sync step 2 frame: the answer to a step 1, carrying `update`. */
export function encodeSyncStep2Frame(update: Uint8Array): Uint8Array {
  return syncFrame(syncStep2, update)
}

/** A sync update frame carrying `update`. */
export function encodeUpdateFrame(update: Uint8Array): Uint8Array {
  return syncFrame(syncUpdate, update)
}

/** True for a sync step 1 with an empty state vector: a client that has nothing of the document. */
export function isWholeDocumentRequest(frame: Uint8Array): boolean {
  // [messageSync][syncStep1][length 1][0 clients]
  return (
    frame.byteLength === 4 &&
    frame[0] === messageSync &&
    frame[1] === syncStep1 &&
    frame[2] === 1 &&
    frame[3] === 0
  )
}

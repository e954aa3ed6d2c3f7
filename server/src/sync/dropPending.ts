/**
 * Yjs holds back an update whose structs or deletions build on something the document lacks
 * ("pending"), and applies it once that arrives. The server never waits for that: see
 * {@link dropPending}.
 */
import type * as Y from 'yjs'

/**
 * Drops what `doc` holds back for lack of the structs or items it builds on (Yjs's pending structs
 * and deletions); true if there was any. Over one connection updates arrive in order, so a client
 * update is held back only when it builds on a change of that client's the server refused: it can
 * never be applied, and kept it would wait in memory for ever.
 */
export function dropPending(doc: Y.Doc): boolean {
  const store = doc.store
  if (store.pendingStructs === null && store.pendingDs === null) return false
  store.pendingStructs = null
  store.pendingDs = null
  return true
}

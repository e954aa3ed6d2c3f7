/**
 * Typed transaction origins. Every change to a server-side Y.Doc carries one, so that update
 * handlers know where it came from: a client connection (an object implementing DocumentPeer), the
 * storage load, or the server itself (seeding, accepting a suggestion).
 */

/** Updates applied while loading a document from storage: not written again, not broadcast. */
export const LOAD_ORIGIN = Symbol('onetext.load')
/** Changes the server makes on its own authority; written and broadcast to every connection. */
export const SERVER_ORIGIN = Symbol('onetext.server')

/**
 * A server change that is on disk already, written in one transaction with the records it projects
 * (`SharedDocument.applyCommitted`): broadcast, not written again.
 */
export const COMMITTED_ORIGIN = Symbol('onetext.committed')

/** A connection a SharedDocument can send frames to. */
export interface DocumentPeer {
  /** Sends one binary frame; never throws. */
  send(frame: Uint8Array): void
  /**
   * Sends a frame carrying a document update made by someone else. A connection the server has
   * not yet answered a sync step 1 skips it: that answer is computed later and contains it.
   */
  sendUpdate(frame: Uint8Array): void
}

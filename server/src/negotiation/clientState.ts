/**
 * Commands that act on what the user saw. A command that depends on a document (circulate, adopt,
 * share, sign off) may carry the client's Yjs state vector of it (`clientState`, base64), taken
 * after the client handed its last edit to the socket. The server acts only once its copy includes
 * that state: it waits for the edits still in flight, at most {@link CLIENT_STATE_WAIT_MS}, and
 * answers `409 not-synced` when they do not arrive (refused, or the client is offline).
 */
import { CLIENT_STATE_WAIT_MS } from '@onetext/shared/limits'
import * as Y from 'yjs'
import { MalformedUpdate } from '../gate/SafeDecoder'
import { checkStateVector } from '../gate/updateStructure'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import { NegotiationError } from './NegotiationError'

/** Commands that may wait on one document's state at once; more are refused with `409 busy`. */
export const MAX_CLIENT_STATE_WAITERS = 64

/**
 * Reads a `clientState` (a base64 state vector: the route's schema checks the alphabet and length);
 * a `400` NegotiationError when the bytes are not a state vector.
 */
export function decodeClientState(base64: string): Map<number, number> {
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'))
  try {
    checkStateVector(bytes)
  } catch (error) {
    if (!(error instanceof MalformedUpdate)) throw error
    throw new NegotiationError(
      'invalid',
      'invalid-body',
      `clientState is not a state vector (${error.message}).`,
    )
  }
  return Y.decodeStateVector(bytes)
}

/** True when `doc` holds everything `state` names. */
export function includesState(doc: Y.Doc, state: ReadonlyMap<number, number>): boolean {
  for (const [client, clock] of state) if (Y.getState(doc.store, client) < clock) return false
  return true
}

/**
 * Resolves once document `name` includes `clientState` (at once when it is absent or already
 * included); rejects with `409 not-synced` after `waitMs`, or `409 busy` when
 * {@link MAX_CLIENT_STATE_WAITERS} commands already wait on the document (`waiters` counts them,
 * per document name; one map per server).
 */
export async function untilSynced(
  registry: DocumentRegistry,
  waiters: Map<string, number>,
  name: string,
  clientState: string | undefined,
  waitMs = CLIENT_STATE_WAIT_MS,
): Promise<void> {
  if (clientState === undefined) return
  const state = decodeClientState(clientState)
  const count = waiters.get(name) ?? 0
  if (count >= MAX_CLIENT_STATE_WAITERS)
    throw new NegotiationError(
      'conflict',
      'busy',
      'Too many commands are waiting for this document; try again in a moment.',
    )
  waiters.set(name, count + 1)
  try {
    await waitFor(registry, name, state, waitMs)
  } finally {
    const left = (waiters.get(name) ?? 1) - 1
    if (left > 0) waiters.set(name, left)
    else waiters.delete(name)
  }
}

function waitFor(
  registry: DocumentRegistry,
  name: string,
  state: ReadonlyMap<number, number>,
  waitMs: number,
): Promise<void> {
  return registry.withDocument(name, (document) => {
    const doc = document.doc
    if (includesState(doc, state)) return
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer)
        doc.off('update', check)
      }
      const check = () => {
        if (!includesState(doc, state)) return
        done()
        resolve()
      }
      const timer = setTimeout(() => {
        done()
        reject(
          new NegotiationError(
            'conflict',
            'not-synced',
            'The server has not received your latest edits yet (are you offline?); nothing was done. Try again once your changes show as saved.',
          ),
        )
      }, waitMs)
      doc.on('update', check)
    })
  })
}

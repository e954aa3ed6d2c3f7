/**
 * The server problems the convergence run has found so far, and how a refusal or error an honest
 * user met is recognised as one of them from what the user can see (its update, the server's
 * copy after the rebuild, the server's state vector). A record with no known cause is a new
 * problem. Each cause is a server behaviour to fix; none is expected of a correct server.
 */
import * as Y from 'yjs'

/** The problems, in words. */
export const KNOWN_CAUSES = {
  updateBeforeStep2:
    'update sent on a new connection before its sync step 2: it builds on edits the step 2 carries (offline, or in flight when the last connection broke) and is refused as buildsOnRefused',
  collectedParent:
    'insertion into an element another user deleted, which the server has garbage-collected (its item holds ContentDeleted): refused as schema, "nests the document deeper than 48 levels"',
  readerDeletions:
    "a reader's sync step 2 carries only the delete set the server already has (Yjs sends the whole delete set), and is answered with error 1 read-only",
  othersLostInKill:
    "a sync step 2 carries another user's change that the server relayed and then lost in a SIGKILL (under that user's client ID): refused as foreignClient",
  ownIdClaimedByOther:
    "a user's first change under a new client ID, relayed to another user and then lost in a SIGKILL before the server wrote it, came back first in that other user's sync step 2: the server recorded the other user as the ID's owner and refuses the author's own later changes under it as foreignClient",
  readerHoldsLost:
    "a reader's sync step 2 carries another user's change that the server relayed and then lost in a SIGKILL: answered with error 1 read-only, and the reader keeps it",
} as const

/** One of {@link KNOWN_CAUSES}' texts. */
export type KnownCause = (typeof KNOWN_CAUSES)[keyof typeof KNOWN_CAUSES]

const FOREIGN_CLIENT = 2
const BUILDS_ON_REFUSED = 3
const SCHEMA = 4

/**
 * True when `update` inserts an item whose parent (named by ID: the item has no neighbours) is, in
 * `server`, an item that was deleted and collected (it no longer holds a type).
 */
function insertsIntoCollected(update: Uint8Array, server: Y.Doc): boolean {
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item) || !(struct.parent instanceof Y.ID)) continue
    const { client, clock } = struct.parent
    if (clock >= Y.getState(server.store, client)) continue
    const parent = Y.getItem(server.store, struct.parent)
    if (parent instanceof Y.Item && parent.deleted && !(parent.content instanceof Y.ContentType))
      return true
  }
  return false
}

/** True when `update` writes structs under a client ID not in `own`. */
function writesOthers(update: Uint8Array, own: ReadonlySet<number>): boolean {
  for (const client of Y.parseUpdateMeta(update).to.keys()) if (!own.has(client)) return true
  return false
}

/** What is known of one refusal, for {@link refusalCause}. */
export interface RefusalFacts {
  reason: number
  /** The refused update, or null when the tracker no longer held it. */
  update: Uint8Array | null
  /** Whether it was sent before its socket's sync step 2 (null: unknown). */
  beforeStep2: boolean | null
  /** The client IDs the refused copy wrote under. */
  own: ReadonlySet<number>
  /** True once the server has been killed in the run. */
  killed: boolean
}

/**
 * The known cause of a refusal, given `server`, a copy synced from the server after it; null when
 * it is none of them.
 */
export function refusalCause(facts: RefusalFacts, server: Y.Doc): KnownCause | null {
  const { reason, update } = facts
  if (reason === BUILDS_ON_REFUSED && facts.beforeStep2 === true)
    return KNOWN_CAUSES.updateBeforeStep2
  if (reason === SCHEMA && update && insertsIntoCollected(update, server))
    return KNOWN_CAUSES.collectedParent
  if (reason === FOREIGN_CLIENT && facts.killed && update)
    return writesOthers(update, facts.own)
      ? KNOWN_CAUSES.othersLostInKill
      : KNOWN_CAUSES.ownIdClaimedByOther
  return null
}

/**
 * The known cause of a read-only error sent to a reader whose last sync step 2 carried
 * `step2Beyond` beyond the server's state (see SocketNotes.step2Beyond), `killed` when the server
 * has been killed in the run.
 */
export function readOnlyCause(
  step2Beyond: readonly string[] | null,
  killed: boolean,
): KnownCause | null {
  if (step2Beyond?.length === 0) return KNOWN_CAUSES.readerDeletions
  return step2Beyond && killed ? KNOWN_CAUSES.readerHoldsLost : null
}

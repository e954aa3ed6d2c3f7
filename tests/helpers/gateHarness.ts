/**
 * An update gate on a plain Y.Doc, for unit tests of the gate and its rules: the ownership record is
 * kept in a store in memory, and an accepted update is applied to the document as the server does.
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import * as Y from 'yjs'
import { ClientOwners } from '../../server/src/gate/ClientOwners'
import type { GateRefusal } from '../../server/src/gate/GateRule'
import { type DocumentProfile, UpdateGate } from '../../server/src/gate/UpdateGate'
import { MemoryDocumentStore } from '../../server/src/storage/MemoryDocumentStore'
import { PersistenceQueue } from '../../server/src/sync/PersistenceQueue'

/** A gate on `doc` with `profile`, and `offer` to send it an update as `author`. */
export async function gateOn(doc: Y.Doc, profile: DocumentProfile, docName = 'test.draft') {
  const store = new MemoryDocumentStore()
  const persistence = new PersistenceQueue(store)
  const owners = await ClientOwners.load(docName, store, persistence)
  const gate = new UpdateGate(doc, owners, profile)
  const origins = new Map<string, object>()
  /**
   * Offers `update` from `author` (over one connection per author); applies it to `doc` when the
   * gate accepts it, as SharedDocument does. Returns the refusal, or null when it was applied.
   */
  const offer = (author: PresenceUser, update: Uint8Array): GateRefusal | null => {
    let origin = origins.get(author.id)
    if (!origin) {
      origin = { author: author.id }
      origins.set(author.id, origin)
    }
    const verdict = gate.check(update, author, origin)
    if (verdict.refused) return verdict.refused
    Y.applyUpdate(doc, verdict.accepted, origin)
    gate.applied(author)
    return null
  }
  return { gate, owners, offer, store, persistence }
}

/**
 * The update `change` makes to a client that has just synced `server`'s state (a client whose change
 * was refused has diverged, so each change starts from a fresh one), written under `clientID` if
 * given (set after the sync, as a forger would: Yjs picks a new ID when it syncs its own).
 */
export function changeFrom(
  server: Y.Doc,
  change: (doc: Y.Doc) => void,
  clientID?: number,
): Uint8Array {
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  if (clientID !== undefined) client.clientID = clientID
  const before = Y.encodeStateVector(client)
  change(client)
  return Y.encodeStateAsUpdate(client, before)
}

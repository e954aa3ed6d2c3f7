/**
 * Puts an update gate on every document the registry loads: the record of who owns which client ID
 * is loaded beside the document, and the document kind's profile (roots and rules) decides the rest.
 * A document without a profile takes no client updates at all.
 */
import type { DocumentStore } from '../storage/DocumentStore'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import type { PersistenceQueue } from '../sync/PersistenceQueue'
import { ClientOwners } from './ClientOwners'
import { type DocumentProfile, UpdateGate } from './UpdateGate'

/** The profile of document `name`, or null when clients may not write it. */
export type ProfileFor = (name: string) => DocumentProfile | null

/** Adds the load hook that gives each document its gate (run before any connection uses it). */
export function installUpdateGate(
  registry: DocumentRegistry,
  store: DocumentStore,
  persistence: PersistenceQueue,
  profileFor: ProfileFor,
): void {
  registry.onAfterLoad(async (document) => {
    const profile = profileFor(document.name)
    if (!profile) return
    const owners = await ClientOwners.load(document.name, store, persistence, registry.log)
    document.owners = owners
    document.gate = new UpdateGate(document.doc, owners, profile)
  })
}

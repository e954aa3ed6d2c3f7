/**
 * Which user introduced each client ID of one document: the record the gate checks so that nobody
 * writes under somebody else's client ID (Yjs accepts any client ID from any peer, and two writers
 * under one ID make copies diverge for good). The first user whose accepted update writes new
 * structs under an ID owns it; the server owns the IDs its own document writes under.
 *
 * The record is kept as its own small Yjs document, stored beside the document it describes under
 * the name `<documentName>~owners` (a name no client can ask for: `~` is not part of document
 * names). Claims go through the same persistence queue as the document's updates, in the same turn,
 * so a claim and the update that made it reach the disk in one transaction. No client ever receives
 * it. Stored entries of the record that do not read are set aside like a document's
 * (`buildStoredDocument`); the IDs they recorded are then unowned until a user writes under them.
 */
import * as Y from 'yjs'
import { type BuiltDocument, buildStoredDocument } from '../storage/buildStoredDocument'
import type { DocumentStore } from '../storage/DocumentStore'
import { LOAD_ORIGIN } from '../sync/origins'
import type { PersistenceQueue } from '../sync/PersistenceQueue'
import { checkStoredEntry } from './updateStructure'

/** The owner recorded for the client IDs the server's own copy of a document writes under. */
export const SERVER_OWNER = '@server'

/** Name under which the record of `docName` is stored. */
export function ownersDocumentName(docName: string): string {
  return `${docName}~owners`
}

/** Log entries after which the record is compacted into a snapshot. */
const COMPACT_AFTER_ENTRIES = 64

const OWNERS_ROOT = 'owners'

export class ClientOwners {
  private readonly record: Y.Doc
  private readonly owners: Y.Map<string>
  private entries = 0
  private compacting = false

  private constructor(
    private readonly name: string,
    private readonly store: DocumentStore,
    private readonly persistence: PersistenceQueue,
    built: BuiltDocument,
    storedEntries: number,
  ) {
    this.record = built.doc
    this.owners = this.record.getMap<string>(OWNERS_ROOT)
    this.entries = storedEntries
    persistence.noteLoaded(name, built.lastSeq)
    this.record.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOAD_ORIGIN) return
      this.persistence.enqueue(this.name, update)
      this.entries++
    })
  }

  /** Loads the record of document `docName` (empty for a document nobody has written to). */
  static async load(
    docName: string,
    store: DocumentStore,
    persistence: PersistenceQueue,
    log: (line: string) => void = () => {},
  ): Promise<ClientOwners> {
    const name = ownersDocumentName(docName)
    const stored = await store.load(name)
    const built = buildStoredDocument(stored, checkStoredEntry)
    if (built.setAside.length > 0) {
      for (const entry of built.setAside)
        log(`storage: ${name} ${entry.kind} ${entry.seq} set aside: ${entry.reason}`)
      await store.setAside(name, built.setAside).catch((error: unknown) => {
        log(`storage: setting entries of ${name} aside failed: ${String(error)}`)
      })
    }
    const owners = new ClientOwners(name, store, persistence, built, stored.updates.length)
    if (built.setAside.length > 0) owners.compact()
    return owners
  }

  /** The user who owns `client`, or undefined when nobody has written under it yet. */
  ownerOf(client: number): string | undefined {
    return this.owners.get(String(client))
  }

  /**
   * Records `owner` for every client in `clients` that has no owner yet. The change is queued for
   * disk in this turn, with the document updates of the same turn.
   */
  claim(clients: Iterable<number>, owner: string): void {
    this.record.transact(() => {
      for (const client of clients) {
        const key = String(client)
        if (!this.owners.has(key)) this.owners.set(key, owner)
      }
    })
    if (this.entries >= COMPACT_AFTER_ENTRIES) this.compact()
  }

  /**
   * Makes sure `doc` writes under a client ID that no user owns (an ID chosen at random could have
   * been claimed by a client before), so that the server's own changes can never be mistaken for a
   * user's or blocked by one.
   */
  reserveServerClient(doc: Y.Doc): void {
    while (this.ownerOf(doc.clientID) !== undefined && this.ownerOf(doc.clientID) !== SERVER_OWNER)
      doc.clientID = Math.floor(Math.random() * 0x1_0000_0000)
  }

  /** Replaces the record's log with one snapshot once everything written so far is on disk. */
  private compact(): void {
    if (this.compacting) return
    this.compacting = true
    this.persistence.afterDurable(() => {
      const uptoSeq = this.persistence.lastSeq(this.name)
      const snapshot = Y.encodeStateAsUpdate(this.record)
      this.entries = 0
      this.store
        .compact(this.name, snapshot, uptoSeq)
        .catch(() => {
          this.entries = COMPACT_AFTER_ENTRIES
        })
        .finally(() => {
          this.compacting = false
        })
    })
  }

  /** Frees the record (with its document, when that unloads). */
  destroy(): void {
    this.record.destroy()
    this.persistence.forget(this.name)
  }
}

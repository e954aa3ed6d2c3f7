/**
 * Server-side access to a negotiation's live documents: read them, and change them on the server's
 * own authority (SERVER_ORIGIN), resolving only once the change is on disk. Every change to the
 * status document refreshes the clause locks the working draft's guard enforces.
 */
import { formatDocumentName } from '@onetext/shared/documentNames'
import { lockedClauseIds, type NegotiationStatus, readStatus } from '@onetext/shared/statusDoc'
import type * as Y from 'yjs'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import { SERVER_ORIGIN } from '../sync/origins'
import type { PersistenceQueue } from '../sync/PersistenceQueue'
import { untilSynced } from './clientState'

export class NegotiationDocs {
  private readonly locks = new Map<string, ReadonlySet<string>>()

  constructor(
    readonly registry: DocumentRegistry,
    private readonly persistence: PersistenceQueue,
  ) {}

  statusName(negotiationId: string): string {
    return formatDocumentName({ negotiationId, kind: 'status' })
  }

  draftName(negotiationId: string): string {
    return formatDocumentName({ negotiationId, kind: 'draft' })
  }

  layerName(negotiationId: string, partyId: string): string {
    return formatDocumentName({ negotiationId, kind: 'layer', partyId })
  }

  /** The caucus document of party `partyId` (its members alone read it; it holds their ballots). */
  caucusName(negotiationId: string, partyId: string): string {
    return formatDocumentName({ negotiationId, kind: 'caucus', partyId })
  }

  /** The negotiation's status as it is now. */
  status(negotiationId: string): Promise<NegotiationStatus> {
    return this.registry.withDocument(this.statusName(negotiationId), (document) =>
      readStatus(document.doc),
    )
  }

  /**
   * Resolves once document `name` includes the client's state `clientState` (base64 state vector;
   * at once when absent); rejects with `409 not-synced` after CLIENT_STATE_WAIT_MS (clientState.ts).
   */
  untilSynced(name: string, clientState: string | undefined): Promise<void> {
    return untilSynced(this.registry, this.stateWaiters, name, clientState)
  }

  /** Commands waiting on each document's state (see clientState.ts). */
  private readonly stateWaiters = new Map<string, number>()

  /** Resolves once everything queued so far is on disk. */
  durable(): Promise<void> {
    return new Promise((resolve) => this.persistence.afterDurable(resolve))
  }

  /**
   * Runs `change` in one transaction on document `name` as the server, waits until it is on disk,
   * and returns what `change` returned. `change` runs synchronously, so a read-modify-write inside
   * it cannot interleave with another request's.
   */
  async change<T>(name: string, change: (doc: Y.Doc) => T): Promise<T> {
    const result = await this.registry.withDocument(name, (document) => {
      let value: T | undefined
      document.doc.transact(() => {
        value = change(document.doc)
      }, SERVER_ORIGIN)
      return value as T
    })
    await this.durable()
    return result
  }

  /** Like {@link change} on the status document; refreshes the clause locks afterwards. */
  async changeStatus<T>(
    negotiationId: string,
    change: (doc: Y.Doc, status: NegotiationStatus) => T,
  ): Promise<T> {
    const result = await this.change(this.statusName(negotiationId), (doc) =>
      change(doc, readStatus(doc)),
    )
    await this.refreshLocks(negotiationId)
    return result
  }

  /** Re-reads which clauses are locked. */
  async refreshLocks(negotiationId: string): Promise<ReadonlySet<string>> {
    const locked = lockedClauseIds(await this.status(negotiationId))
    this.locks.set(negotiationId, locked)
    return locked
  }

  /** The locked clauses as last read (empty until read). */
  lockedClauses(negotiationId: string): ReadonlySet<string> {
    return this.locks.get(negotiationId) ?? new Set()
  }
}

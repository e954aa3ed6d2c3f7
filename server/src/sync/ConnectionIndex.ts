/**
 * Every open client connection, indexed by negotiation and user, so that a membership or role
 * change can close exactly the connections it affects, at once.
 */
import type { CloseEvent } from '@onetext/shared/closeCodes'

/** What the index needs of a connection. */
export interface IndexedConnection {
  readonly negotiationId: string
  readonly userId: string
  readonly docName: string
  readonly access: 'read' | 'write'
  send(frame: Uint8Array): void
  close(event: CloseEvent): void
}

export class ConnectionIndex {
  private readonly all = new Set<IndexedConnection>()

  /** Number of open connections. */
  get size(): number {
    return this.all.size
  }

  add(connection: IndexedConnection): void {
    this.all.add(connection)
  }

  remove(connection: IndexedConnection): void {
    this.all.delete(connection)
  }

  /** Closes every connection of `userId` to documents of `negotiationId`; returns how many. */
  closeFor(negotiationId: string, userId: string, event: CloseEvent): number {
    return this.closeWhere(
      (connection) => connection.negotiationId === negotiationId && connection.userId === userId,
      event,
    )
  }

  /** Closes every read-only connection to document `docName`; returns how many. */
  closeReaders(docName: string, event: CloseEvent): number {
    return this.closeWhere(
      (connection) => connection.docName === docName && connection.access === 'read',
      event,
    )
  }

  /** Closes every connection to documents of `negotiationId`; returns how many. */
  closeNegotiation(negotiationId: string, event: CloseEvent): number {
    return this.closeWhere((connection) => connection.negotiationId === negotiationId, event)
  }

  /** Closes (and forgets) every connection `matches` picks; returns how many. */
  private closeWhere(
    matches: (connection: IndexedConnection) => boolean,
    event: CloseEvent,
  ): number {
    let closed = 0
    for (const connection of Array.from(this.all)) {
      if (matches(connection)) {
        connection.close(event)
        this.all.delete(connection)
        closed++
      }
    }
    return closed
  }

  /** Sends a frame to every connection. */
  broadcast(frame: Uint8Array): void {
    for (const connection of this.all) connection.send(frame)
  }

  /** Closes every connection (server shutdown). */
  closeAll(event: CloseEvent): void {
    for (const connection of Array.from(this.all)) connection.close(event)
    this.all.clear()
  }
}

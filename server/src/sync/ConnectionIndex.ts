/**
 * Every open client connection, indexed by negotiation and user, so that a membership or role
 * change, or a sign-out, can close exactly the connections it affects, at once.
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import type { CloseEvent } from '@onetext/shared/closeCodes'

/** What the index needs of a connection. */
export interface IndexedConnection {
  readonly negotiationId: string
  readonly userId: string
  readonly docName: string
  readonly access: 'read' | 'write'
  /** The identity it was opened with: the role and party its access was decided for. */
  readonly identity: PresenceUser
  /** The SHA-256 of the session token it was opened with, as stored. */
  readonly sessionHash: string
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

  /** Closes every connection opened with the session `sessionHash`; returns how many. */
  closeSession(sessionHash: string, event: CloseEvent): number {
    return this.closeWhere((connection) => connection.sessionHash === sessionHash, event)
  }

  /** Closes `connection` if it is still open here; true when it was. */
  close(connection: IndexedConnection, event: CloseEvent): boolean {
    if (!this.all.has(connection)) return false
    connection.close(event)
    this.all.delete(connection)
    return true
  }

  /** The open connections `matches` picks. */
  select(matches: (connection: IndexedConnection) => boolean): IndexedConnection[] {
    return Array.from(this.all).filter(matches)
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

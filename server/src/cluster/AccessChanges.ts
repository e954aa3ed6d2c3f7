/**
 * Access changes and sign-outs, told to every server process: the routes that change who may open
 * what (a member's role, party or membership; open drafting; a sign-out) call it after the store
 * has the change. It closes this process's affected connections at once, as a single process
 * does, and publishes the event on the cluster bus (when REDIS_URL is set), so that every process
 * closes the user's connections there with the same close code.
 *
 * A process that hears a member or readers event re-checks the connections it names against the
 * store (ConnectionRecheck) and closes those no longer allowed: hearing an event twice, late, or
 * its own is harmless, and a connection opened since the change stays. A sign-out closes every
 * connection of that session (the session is gone from the store). Every (re)subscription to
 * Redis, and every `recheck` event, re-checks every connection the process holds, for the events
 * it may have missed while Redis or its connection to it was away.
 */
import { AccessChanged, Unauthorized } from '@onetext/shared/closeCodes'
import type { ConnectionRecheck, RecheckOutcome } from '../access/ConnectionRecheck'
import type { Logger } from '../logger'
import type { ConnectionIndex, IndexedConnection } from '../sync/ConnectionIndex'
import type { ClusterBus } from './ClusterBus'
import type { ClusterEvent } from './clusterEvents'

export class AccessChanges {
  private readonly running = new Set<Promise<unknown>>()

  /** Without a `bus` (no REDIS_URL) only this process's connections are closed. */
  constructor(
    private readonly connections: ConnectionIndex,
    private readonly rechecks: ConnectionRecheck,
    private readonly bus: ClusterBus | null,
    private readonly logger: Logger,
  ) {
    bus?.onEvent((event) => this.hear(event))
    bus?.onSubscribed(() => this.recheck('subscribed to redis', () => true))
  }

  /**
   * `userId`'s role, party or membership of `negotiationId` changed: their connections to it
   * close with 4409 here and on every process. Returns how many closed here.
   */
  async memberChanged(negotiationId: string, userId: string): Promise<number> {
    const closed = this.connections.closeFor(negotiationId, userId, AccessChanged)
    await this.bus?.publish({ kind: 'member', negotiationId, userId })
    return closed
  }

  /**
   * Who may read `docName` changed: its read-only connections close with 4409 here, and those no
   * longer allowed on every other process. Returns how many closed here.
   */
  async readersChanged(docName: string): Promise<number> {
    const closed = this.connections.closeReaders(docName, AccessChanged)
    await this.bus?.publish({ kind: 'readers', docName })
    return closed
  }

  /**
   * The session `sessionHash` of `userId` ended (signed out): the connections opened with it close
   * with 4401 here and on every process. Returns how many closed here.
   */
  async sessionEnded(userId: string, sessionHash: string): Promise<number> {
    const closed = this.connections.closeSession(sessionHash, Unauthorized)
    await this.bus?.publish({ kind: 'session', userId, sessionHash })
    return closed
  }

  /** Resolves once every re-check started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled(Array.from(this.running))
  }

  private hear(event: ClusterEvent): void {
    switch (event.kind) {
      case 'member':
        this.recheck(
          'member event',
          (connection) =>
            connection.negotiationId === event.negotiationId && connection.userId === event.userId,
        )
        return
      case 'readers':
        this.recheck(
          'readers event',
          (connection) => connection.docName === event.docName && connection.access === 'read',
        )
        return
      case 'session': {
        const closed = this.connections.closeSession(event.sessionHash, Unauthorized)
        if (closed > 0) this.logger.info(`closed ${closed} connections of a session that ended`)
        return
      }
      case 'recheck':
        this.recheck('recheck event', () => true)
        return
      case 'handover':
        // Ownership, not access: HandOver.ts hears it.
        return
    }
  }

  private recheck(why: string, matches: (connection: IndexedConnection) => boolean): void {
    const run = this.rechecks.recheck(matches).then((outcome: RecheckOutcome) => {
      const { checked, unauthorized, changed, failed } = outcome
      if (unauthorized + changed + failed > 0) {
        this.logger.info(
          { checked, unauthorized, changed, failed },
          `re-checked connections (${why}): closed ${unauthorized + changed}`,
        )
      }
    })
    this.running.add(run)
    void run.finally(() => this.running.delete(run))
  }
}

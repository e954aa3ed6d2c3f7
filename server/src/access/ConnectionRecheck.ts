/**
 * Re-checks open connections against the store as it is now, for what a process may not have been
 * told (another process changed it while Redis was away, or said so on a channel this process did
 * not hear): a connection whose session no longer finds its user (signed out, expired) closes with
 * 4401 `unauthorized`; one whose user's role, party or access to its document is no longer what it
 * was opened with closes with 4409 `access-changed`. A connection opened after the change was
 * decided on the changed store, so re-checking it closes nothing; a check that fails (the
 * database did not answer) keeps the connection and is counted.
 */
import { AccessChanged, Unauthorized } from '@onetext/shared/closeCodes'
import type { Directory, UserRecord } from '../storage/Directory'
import type { ConnectionIndex, IndexedConnection } from '../sync/ConnectionIndex'
import type { AccessPolicy, DocumentDecision } from './AccessPolicy'

/** What one re-check did. */
export interface RecheckOutcome {
  /** Connections looked at. */
  checked: number
  /** Closed with 4401: their session ended. */
  unauthorized: number
  /** Closed with 4409: their access is no longer the one they were opened with. */
  changed: number
  /** Kept because the store could not be read. */
  failed: number
}

/** True when `decision` still grants what `connection` was opened with. */
function stillGranted(connection: IndexedConnection, decision: DocumentDecision): boolean {
  const { member, access } = decision
  return (
    member !== null &&
    access === connection.access &&
    member.role === connection.identity.role &&
    (member.partyId ?? null) === connection.identity.partyId
  )
}

export class ConnectionRecheck {
  constructor(
    private readonly directory: Directory,
    private readonly policy: Pick<AccessPolicy, 'decideDocument'>,
    private readonly connections: ConnectionIndex,
    /** Told once per re-check whose reads failed, with the first error. */
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Re-checks every open connection `matches` picks (each session and each user's document read
   * once); resolves when every one has been checked and, if need be, closed.
   */
  async recheck(matches: (connection: IndexedConnection) => boolean): Promise<RecheckOutcome> {
    const selected = this.connections.select(matches)
    const outcome: RecheckOutcome = {
      checked: selected.length,
      unauthorized: 0,
      changed: 0,
      failed: 0,
    }
    const now = Date.now()
    let firstError: unknown = null
    const sessions = new Map<string, Promise<UserRecord | null>>()
    const decisions = new Map<string, Promise<DocumentDecision>>()
    const once = <T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>) => {
      let answer = cache.get(key)
      if (!answer) {
        answer = read()
        cache.set(key, answer)
      }
      return answer
    }
    await Promise.all(
      selected.map(async (connection) => {
        try {
          const user = await once(sessions, connection.sessionHash, () =>
            this.directory.findSessionUser(connection.sessionHash, now),
          )
          if (!user || user.id !== connection.userId) {
            if (this.connections.close(connection, Unauthorized)) outcome.unauthorized++
            return
          }
          const decision = await once(decisions, `${user.id}\u0000${connection.docName}`, () =>
            this.policy.decideDocument(user, connection.docName),
          )
          if (!stillGranted(connection, decision)) {
            if (this.connections.close(connection, AccessChanged)) outcome.changed++
          }
        } catch (error) {
          if (outcome.failed === 0) firstError = error
          outcome.failed++
        }
      }),
    )
    if (outcome.failed > 0) this.onError(firstError)
    return outcome
  }
}

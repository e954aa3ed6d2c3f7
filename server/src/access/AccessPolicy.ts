/**
 * The authorization policy: the one place that decides who may open which document and ask for
 * which command, and that records every refusal in the audit log (and every document opened).
 * Routes and the websocket upgrade ask it; the rules themselves are the two matrices
 * (documentAccess.ts, commands.ts) and the server-level permission to start negotiations
 * (ORGANIZERS and the demo's mediator).
 */
import type { IncomingMessage } from 'node:http'
import { type DocumentRef, parseDocumentName } from '@onetext/shared/documentNames'
import { authenticate } from '../auth/sessions'
import { HttpError } from '../http/HttpError'
import type { AuditLog } from '../storage/AuditLog'
import type { Directory, MemberRecord, UserRecord } from '../storage/Directory'
import type { SupplementStore } from '../storage/SupplementStore'
import { type Command, commandAllowed } from './commands'
import { type Access, documentAccess, supplementAccess } from './documentAccess'

/** Who is asking, as the policy records it. */
export interface Asker {
  /** The request (for its credentials). */
  raw: IncomingMessage
  method: string
  /** The path asked for (no query). */
  path: string
  /** The client's address (through trusted proxies). */
  address: string
}

/** A member of a negotiation with their account. */
export interface Membership {
  user: UserRecord
  member: MemberRecord
}

/** The decision on opening a live document. */
export interface DocumentDecision {
  ref: DocumentRef | null
  member: MemberRecord | null
  access: Access
}

/** Who may start negotiations besides the accounts the operator names. */
export const DEMO_ORGANIZER = 'mediator@demo.test'

const REFUSALS: Partial<Record<Command, string>> = {
  'manage-members': 'Only the mediator may do this.',
  'read-audit': 'Only the mediator may do this.',
  circulate: 'Only the mediator may do this.',
  publish: 'Only the mediator may do this.',
  'decide-suggestion': 'Only the mediator may do this.',
  'open-vote': 'Only the mediator may do this.',
  'close-vote': 'Only the mediator may do this.',
  'read-clauses': 'Observers see published iterations only.',
  'read-clause-record': 'Observers see published iterations only.',
  'read-unpublished': 'Observers see published iterations only.',
  signoff: 'Only a party lead can do this, for their own party.',
  'consent-reopen': 'Only a party lead can do this, for their own party.',
  'share-suggestions': 'Only a party lead can share their party’s suggestions.',
  'request-reopen': 'Only a party lead or the mediator can ask to reopen a clause.',
  'cast-ballot': 'Only members of a party vote; the mediator does not.',
  'start-supplement': 'Local supplements are started by local tables.',
}

export class AccessPolicy {
  private readonly organizers: ReadonlySet<string>

  /**
   * `organizers` are the emails (any case) that may start negotiations; with `demoOrganizer` the
   * demo's mediator may too.
   */
  constructor(
    private readonly directory: Directory,
    private readonly audit: AuditLog,
    private readonly supplements: SupplementStore,
    organizers: readonly string[],
    demoOrganizer: boolean,
    /**
     * The number of a negotiation's latest circulated iteration (0 before the first): a party's
     * suggestion copy of a later one does not exist. Without it, every copy name is judged by role.
     */
    private readonly lastIteration: ((negotiationId: string) => Promise<number>) | null = null,
  ) {
    const emails = organizers.map((email) => email.toLowerCase())
    if (demoOrganizer) emails.push(DEMO_ORGANIZER)
    this.organizers = new Set(emails)
  }

  /** The signed-in user, or 401. */
  async user(asker: Asker): Promise<UserRecord> {
    const session = await authenticate(this.directory, asker.raw, null)
    if (!session) throw new HttpError(401, 'unauthorized', 'Sign in first.')
    return session.user
  }

  /** True when `email` may start negotiations. */
  isOrganizer(email: string): boolean {
    return this.organizers.has(email.toLowerCase())
  }

  /** The signed-in user if they may start negotiations; 401, or 403 recorded. */
  async organizer(asker: Asker): Promise<UserRecord> {
    const user = await this.user(asker)
    if (this.isOrganizer(user.email)) return user
    this.refuse(asker, user, null, 'start-negotiation', 403)
    throw new HttpError(
      403,
      'forbidden',
      'Only organizers named by the operator may start a negotiation.',
    )
  }

  /**
   * The caller's membership of `negotiationId` if they may ask for `command`: 401 without a
   * session, 404 for a non-member (the same answer as for a negotiation that does not exist), 403
   * for a member whose role may not; refusals are recorded.
   */
  async require(asker: Asker, negotiationId: string, command: Command): Promise<Membership> {
    const user = await this.user(asker)
    const member = await this.directory.findMember(negotiationId, user.id)
    if (!member) {
      this.refuse(asker, user, negotiationId, command, 404)
      throw new HttpError(404, 'not-found', 'No such negotiation.')
    }
    if (!commandAllowed(member, command)) {
      this.refuse(asker, user, negotiationId, command, 403)
      throw new HttpError(403, 'forbidden', REFUSALS[command] ?? 'Your role may not do this here.')
    }
    return { user, member }
  }

  /** True when `member` may ask for `command` (no record; for what a route shows, not does). */
  allows(member: MemberRecord, command: Command): boolean {
    return commandAllowed(member, command)
  }

  /** What `member` may do with supplement `ownerUserId`'s document. */
  supplementAccess(member: MemberRecord, ownerUserId: string): Access {
    return supplementAccess(member, ownerUserId)
  }

  /**
   * Whether `user` may open the live document `name`, and how. The same answer ('none') whether or
   * not the document exists; nothing is loaded. A refusal is recorded (`document-refused`).
   */
  async openDocument(user: UserRecord, name: string, address: string): Promise<DocumentDecision> {
    const decision = await this.decideDocument(user, name)
    if (decision.access === 'none') {
      this.audit.record({
        action: 'document-refused',
        negotiationId: decision.ref?.negotiationId ?? null,
        userId: user.id,
        email: user.email,
        address,
        detail: { document: name.slice(0, 200) },
      })
    }
    return decision
  }

  /**
   * The decision {@link openDocument} takes, from the store as it is now, without recording it:
   * for re-checking a connection already open (ConnectionRecheck).
   */
  async decideDocument(user: UserRecord, name: string): Promise<DocumentDecision> {
    const ref = parseDocumentName(name)
    const member = ref ? await this.directory.findMember(ref.negotiationId, user.id) : null
    let access: Access = 'none'
    if (ref && member) {
      if (ref.kind === 'supplement') {
        const supplement = await this.supplements.find(ref.negotiationId, ref.partyId ?? '')
        access = supplement ? supplementAccess(member, supplement.ownerUserId) : 'none'
      } else {
        const negotiation = await this.directory.findNegotiation(ref.negotiationId)
        access = negotiation ? documentAccess(member, ref, negotiation) : 'none'
        // A copy of an iteration never circulated does not exist: the same answer as no access.
        if (access !== 'none' && ref.iteration !== undefined && this.lastIteration) {
          if (ref.iteration > (await this.lastIteration(ref.negotiationId))) access = 'none'
        }
      }
    }
    return { ref, member, access }
  }

  /** Records that `user` opened document `name` with `access` (after the connection is made). */
  recordOpen(user: UserRecord, decision: DocumentDecision, name: string, address: string): void {
    this.audit.record({
      action: 'document-open',
      negotiationId: decision.ref?.negotiationId ?? null,
      userId: user.id,
      email: user.email,
      address,
      detail: { document: name, access: decision.access },
    })
  }

  private refuse(
    asker: Asker,
    user: UserRecord,
    negotiationId: string | null,
    command: Command | 'start-negotiation',
    status: number,
  ): void {
    this.audit.record({
      action: 'request-refused',
      negotiationId,
      userId: user.id,
      email: user.email,
      address: asker.address,
      detail: { method: asker.method, path: asker.path.slice(0, 300), status, command },
    })
  }
}

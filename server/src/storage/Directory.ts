/**
 * The storage interface for accounts, sessions and negotiations (who may open what). SQLite
 * implements it today (SqliteDirectory); PostgreSQL plugs in behind the same interface.
 */
import type { Role } from '@onetext/shared/apiTypes'

/** A stored user. `passwordHash` never leaves the server. */
export interface UserRecord {
  id: string
  email: string
  name: string
  passwordHash: string
}

/** A stored negotiation. */
export interface NegotiationRecord {
  id: string
  title: string
  /** The table reads the working draft live (read-only); off by default. */
  openDrafting: boolean
}

/** A party of a negotiation, in seating order. */
export interface PartyRecord {
  id: string
  name: string
  color: string
}

/** A user's membership in a negotiation. */
export interface MemberRecord {
  negotiationId: string
  userId: string
  role: Role
  partyId: string | null
}

/** A member with their account's name and email, for the members page. */
export interface MemberWithUser extends MemberRecord {
  name: string
  email: string
}

/** A one-time invitation to join a negotiation. Only the token's hash is stored. */
export interface InviteRecord {
  tokenHash: string
  negotiationId: string
  email: string
  role: Role
  partyId: string | null
  createdBy: string
  createdAt: number
  expiresAt: number
  usedAt: number | null
}

/** Accounts, sessions, negotiations, parties and memberships. */
export interface Directory {
  createUser(user: UserRecord): Promise<void>
  findUserByEmail(email: string): Promise<UserRecord | null>
  findUserById(id: string): Promise<UserRecord | null>
  /** Replaces a user's password hash (a stronger hash of the same password, at sign-in). */
  setPasswordHash(userId: string, passwordHash: string): Promise<void>
  createSession(tokenHash: string, userId: string, expiresAt: number): Promise<void>
  /** The user of an unexpired session, or null. */
  findSessionUser(tokenHash: string, now: number): Promise<UserRecord | null>
  deleteSession(tokenHash: string): Promise<void>
  createNegotiation(
    negotiation: Pick<NegotiationRecord, 'id' | 'title'>,
    parties: readonly PartyRecord[],
  ): Promise<void>
  findNegotiation(id: string): Promise<NegotiationRecord | null>
  /** Turns "open drafting" on or off. */
  setOpenDrafting(negotiationId: string, openDrafting: boolean): Promise<void>
  listParties(negotiationId: string): Promise<PartyRecord[]>
  /** Adds or replaces a membership. */
  putMember(member: MemberRecord): Promise<void>
  findMember(negotiationId: string, userId: string): Promise<MemberRecord | null>
  /** The caller's memberships with their negotiations' titles, in creation order. */
  listMemberships(userId: string): Promise<Array<MemberRecord & { title: string }>>
  /** Every member of a negotiation with name and email, ordered by role then name. */
  listMembers(negotiationId: string): Promise<MemberWithUser[]>
  /** Removes a membership; true when there was one. */
  removeMember(negotiationId: string, userId: string): Promise<boolean>
  createInvite(invite: InviteRecord): Promise<void>
  findInvite(tokenHash: string): Promise<InviteRecord | null>
  /** Marks an invite used; false when it was already used (so it can be used only once). */
  useInvite(tokenHash: string, at: number): Promise<boolean>
  /** Unused, unexpired invites of a negotiation. */
  listOpenInvites(negotiationId: string, now: number): Promise<InviteRecord[]>
  /** True when no negotiation exists yet (an empty store, for the demo seed). */
  isEmpty(): Promise<boolean>
}

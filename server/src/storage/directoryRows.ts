/**
 * The directory's rows as both stores read them (the tables and columns are the same in SQLite and
 * PostgreSQL) and the records they become; and the order members are listed in.
 */
import type { Role } from '@onetext/shared/apiTypes'
import type { InviteRecord, MemberRecord, UserRecord } from './Directory'

/** A `users` row. */
export interface UserRow {
  id: string
  email: string
  name: string
  password_hash: string
}

/** A `members` row. */
export interface MemberRow {
  negotiation_id: string
  user_id: string
  role: string
  party_id: string | null
}

/** An `invites` row. */
export interface InviteRow {
  token_hash: string
  negotiation_id: string
  email: string
  role: string
  party_id: string | null
  created_by: string
  created_at: number
  expires_at: number
  used_at: number | null
}

/** Members listed by role (mediators first, observers last), an SQL expression on `members`. */
export const ROLE_ORDER = `CASE members.role WHEN 'mediator' THEN 0 WHEN 'party-lead' THEN 1 WHEN 'party-member' THEN 2
  WHEN 'drafting-team' THEN 3 ELSE 4 END`

/** The account a row holds, or null for no row. */
export function toUser(row: UserRow | undefined): UserRecord | null {
  return row
    ? { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash }
    : null
}

/** The membership a row holds. */
export function toMember(row: MemberRow): MemberRecord {
  return {
    negotiationId: row.negotiation_id,
    userId: row.user_id,
    role: row.role as Role,
    partyId: row.party_id,
  }
}

/** The invitation a row holds. */
export function toInvite(row: InviteRow): InviteRecord {
  return {
    tokenHash: row.token_hash,
    negotiationId: row.negotiation_id,
    email: row.email,
    role: row.role as Role,
    partyId: row.party_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  }
}

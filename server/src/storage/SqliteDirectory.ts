/**
 * {@link Directory} on the embedded SQLite database.
 */

import type { Role } from '@onetext/shared/apiTypes'
import type Database from 'better-sqlite3'
import type {
  Directory,
  InviteRecord,
  MemberRecord,
  MemberWithUser,
  NegotiationRecord,
  PartyRecord,
  UserRecord,
} from './Directory'
import type { SqliteWriter } from './SqliteWriter'

interface UserRow {
  id: string
  email: string
  name: string
  password_hash: string
}

interface MemberRow {
  negotiation_id: string
  user_id: string
  role: string
  party_id: string | null
}

interface InviteRow {
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

function toInvite(row: InviteRow): InviteRecord {
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

const ROLE_ORDER = `CASE members.role WHEN 'mediator' THEN 0 WHEN 'party-lead' THEN 1 WHEN 'party-member' THEN 2
  WHEN 'drafting-team' THEN 3 ELSE 4 END`

function toUser(row: UserRow | undefined): UserRecord | null {
  return row
    ? { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash }
    : null
}

function toMember(row: MemberRow): MemberRecord {
  return {
    negotiationId: row.negotiation_id,
    userId: row.user_id,
    role: row.role as Role,
    partyId: row.party_id,
  }
}

export class SqliteDirectory implements Directory {
  /**
   * Reads and most writes run on `db`. With a `writer`, sessions (written at every sign-in and
   * sign-out) are written on the writer thread instead, so that their commit's fsync does not
   * block the event loop; without one (tools, benchmarks) everything runs on `db`.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly writer: SqliteWriter | null = null,
  ) {}

  async createUser(user: UserRecord): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(user.id, user.email, user.name, user.passwordHash, Date.now())
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    return toUser(
      this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?').get(email),
    )
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    return toUser(this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(id))
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId)
  }

  async createSession(tokenHash: string, userId: string, expiresAt: number): Promise<void> {
    if (this.writer) {
      await this.writer.createSession(tokenHash, userId, Date.now(), expiresAt)
      return
    }
    this.db
      .prepare(
        'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      )
      .run(tokenHash, userId, Date.now(), expiresAt)
  }

  async findSessionUser(tokenHash: string, now: number): Promise<UserRecord | null> {
    const row = this.db
      .prepare<[string, number], UserRow>(
        `SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id
         WHERE sessions.token_hash = ? AND sessions.expires_at > ?`,
      )
      .get(tokenHash, now)
    return toUser(row)
  }

  async deleteSession(tokenHash: string): Promise<void> {
    if (this.writer) {
      await this.writer.deleteSession(tokenHash)
      return
    }
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash)
  }

  async createNegotiation(
    negotiation: NegotiationRecord,
    parties: readonly PartyRecord[],
  ): Promise<void> {
    // IMMEDIATE: take the write lock first, waiting for the writer thread's commit if need be;
    // a deferred transaction that read first could fail with SQLITE_BUSY_SNAPSHOT.
    this.db
      .transaction(() => {
        this.db
          .prepare('INSERT INTO negotiations (id, title, created_at) VALUES (?, ?, ?)')
          .run(negotiation.id, negotiation.title, Date.now())
        const insertParty = this.db.prepare(
          'INSERT INTO parties (negotiation_id, id, name, color, position) VALUES (?, ?, ?, ?, ?)',
        )
        parties.forEach((party, position) => {
          insertParty.run(negotiation.id, party.id, party.name, party.color, position)
        })
      })
      .immediate()
  }

  async findNegotiation(id: string): Promise<NegotiationRecord | null> {
    return (
      this.db
        .prepare<[string], NegotiationRecord>('SELECT id, title FROM negotiations WHERE id = ?')
        .get(id) ?? null
    )
  }

  async listParties(negotiationId: string): Promise<PartyRecord[]> {
    return this.db
      .prepare<[string], PartyRecord>(
        'SELECT id, name, color FROM parties WHERE negotiation_id = ? ORDER BY position',
      )
      .all(negotiationId)
  }

  async putMember(member: MemberRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO members (negotiation_id, user_id, role, party_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (negotiation_id, user_id) DO UPDATE SET role = excluded.role, party_id = excluded.party_id`,
      )
      .run(member.negotiationId, member.userId, member.role, member.partyId)
  }

  async findMember(negotiationId: string, userId: string): Promise<MemberRecord | null> {
    const row = this.db
      .prepare<[string, string], MemberRow>(
        'SELECT * FROM members WHERE negotiation_id = ? AND user_id = ?',
      )
      .get(negotiationId, userId)
    return row ? toMember(row) : null
  }

  async listMemberships(userId: string): Promise<Array<MemberRecord & { title: string }>> {
    return this.db
      .prepare<[string], MemberRow & { title: string }>(
        `SELECT members.*, negotiations.title FROM members
         JOIN negotiations ON negotiations.id = members.negotiation_id
         WHERE members.user_id = ? ORDER BY negotiations.created_at, negotiations.id`,
      )
      .all(userId)
      .map((row) => ({ ...toMember(row), title: row.title }))
  }

  async listMembers(negotiationId: string): Promise<MemberWithUser[]> {
    return this.db
      .prepare<[string], MemberRow & { name: string; email: string }>(
        `SELECT members.*, users.name, users.email FROM members JOIN users ON users.id = members.user_id
         WHERE members.negotiation_id = ? ORDER BY ${ROLE_ORDER}, users.name`,
      )
      .all(negotiationId)
      .map((row) => ({ ...toMember(row), name: row.name, email: row.email }))
  }

  async removeMember(negotiationId: string, userId: string): Promise<boolean> {
    const result = this.db
      .prepare('DELETE FROM members WHERE negotiation_id = ? AND user_id = ?')
      .run(negotiationId, userId)
    return result.changes > 0
  }

  async createInvite(invite: InviteRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO invites (token_hash, negotiation_id, email, role, party_id, created_by, created_at, expires_at, used_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        invite.tokenHash,
        invite.negotiationId,
        invite.email,
        invite.role,
        invite.partyId,
        invite.createdBy,
        invite.createdAt,
        invite.expiresAt,
        invite.usedAt,
      )
  }

  async findInvite(tokenHash: string): Promise<InviteRecord | null> {
    const row = this.db
      .prepare<[string], InviteRow>('SELECT * FROM invites WHERE token_hash = ?')
      .get(tokenHash)
    return row ? toInvite(row) : null
  }

  async useInvite(tokenHash: string, at: number): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL')
      .run(at, tokenHash)
    return result.changes > 0
  }

  async listOpenInvites(negotiationId: string, now: number): Promise<InviteRecord[]> {
    return this.db
      .prepare<[string, number], InviteRow>(
        `SELECT * FROM invites WHERE negotiation_id = ? AND used_at IS NULL AND expires_at > ?
         ORDER BY created_at DESC`,
      )
      .all(negotiationId, now)
      .map(toInvite)
  }

  async isEmpty(): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM negotiations LIMIT 1').get() === undefined
  }
}

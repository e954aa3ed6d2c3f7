/**
 * {@link Directory} on the embedded SQLite database: reads on the main connection, writes on the
 * writer thread.
 */

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
import {
  type InviteRow,
  type MemberRow,
  ROLE_ORDER,
  toInvite,
  toMember,
  toUser,
  type UserRow,
} from './directoryRows'
import type { SqliteWriter } from './SqliteWriter'

export class SqliteDirectory implements Directory {
  /**
   * Reads run on `db`, the main connection; every write runs on the writer thread, so that its
   * commit's fsync never blocks the event loop. A write's promise resolves once it is on disk.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly writer: SqliteWriter,
  ) {}

  async createUser(user: UserRecord): Promise<void> {
    await this.writer.run('user-create', {
      id: user.id,
      email: user.email,
      name: user.name,
      passwordHash: user.passwordHash,
      createdAt: Date.now(),
    })
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
    await this.writer.run('session-create', { tokenHash, userId, createdAt: Date.now(), expiresAt })
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
    await this.writer.run('session-delete', { tokenHash })
  }

  async createNegotiation(
    negotiation: Pick<NegotiationRecord, 'id' | 'title'>,
    parties: readonly PartyRecord[],
  ): Promise<void> {
    // One transaction: the negotiation and its parties, or nothing.
    await this.writer.run('negotiation-create', {
      id: negotiation.id,
      title: negotiation.title,
      createdAt: Date.now(),
      parties: parties.map(({ id, name, color }) => ({ id, name, color })),
    })
  }

  async findNegotiation(id: string): Promise<NegotiationRecord | null> {
    const row = this.db
      .prepare<[string], { id: string; title: string; open_drafting: number }>(
        'SELECT id, title, open_drafting FROM negotiations WHERE id = ?',
      )
      .get(id)
    return row ? { id: row.id, title: row.title, openDrafting: row.open_drafting === 1 } : null
  }

  async setOpenDrafting(negotiationId: string, openDrafting: boolean): Promise<void> {
    await this.writer.run('negotiation-open-drafting', { negotiationId, openDrafting })
  }

  async listParties(negotiationId: string): Promise<PartyRecord[]> {
    return this.db
      .prepare<[string], PartyRecord>(
        'SELECT id, name, color FROM parties WHERE negotiation_id = ? ORDER BY position',
      )
      .all(negotiationId)
  }

  async putMember(member: MemberRecord): Promise<void> {
    await this.writer.run('member-put', {
      negotiationId: member.negotiationId,
      userId: member.userId,
      role: member.role,
      partyId: member.partyId,
    })
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
    return this.writer.run('member-remove', { negotiationId, userId })
  }

  async createInvite(invite: InviteRecord): Promise<void> {
    await this.writer.run('invite-create', {
      tokenHash: invite.tokenHash,
      negotiationId: invite.negotiationId,
      email: invite.email,
      role: invite.role,
      partyId: invite.partyId,
      createdBy: invite.createdBy,
      createdAt: invite.createdAt,
      expiresAt: invite.expiresAt,
      usedAt: invite.usedAt,
    })
  }

  async findInvite(tokenHash: string): Promise<InviteRecord | null> {
    const row = this.db
      .prepare<[string], InviteRow>('SELECT * FROM invites WHERE token_hash = ?')
      .get(tokenHash)
    return row ? toInvite(row) : null
  }

  async useInvite(tokenHash: string, at: number): Promise<boolean> {
    return this.writer.run('invite-use', { tokenHash, at })
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

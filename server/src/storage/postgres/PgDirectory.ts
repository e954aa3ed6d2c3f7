/**
 * {@link Directory} on PostgreSQL: each write one transaction (or one statement), committed before
 * its promise resolves. Text is ordered byte-wise (`COLLATE "C"`), as SQLite orders it.
 */
import type {
  Directory,
  InviteRecord,
  MemberRecord,
  MemberWithUser,
  NegotiationRecord,
  PartyRecord,
  UserRecord,
} from '../Directory'
import {
  type InviteRow,
  type MemberRow,
  ROLE_ORDER,
  toInvite,
  toMember,
  toUser,
  type UserRow,
} from '../directoryRows'
import type { PgDatabase } from './PgDatabase'

const USER_COLUMNS = 'users.id, users.email, users.name, users.password_hash'

/** Accounts, sessions, negotiations, parties, memberships and invitations in PostgreSQL. */
export class PgDirectory implements Directory {
  /** Reads and writes on `db`'s pool. */
  constructor(private readonly db: PgDatabase) {}

  async createUser(user: UserRecord): Promise<void> {
    await this.db.transaction('user-create', (client) =>
      client.query(
        'INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
        [user.id, user.email, user.name, user.passwordHash, Date.now()],
      ),
    )
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const [row] = await this.db.rows<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`,
      [email],
    )
    return toUser(row)
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const [row] = await this.db.rows<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [
      id,
    ])
    return toUser(row)
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.db.rows('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, userId])
  }

  async createSession(tokenHash: string, userId: string, expiresAt: number): Promise<void> {
    await this.db.transaction('session-create', (client) =>
      client.query(
        'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
        [tokenHash, userId, Date.now(), expiresAt],
      ),
    )
  }

  async findSessionUser(tokenHash: string, now: number): Promise<UserRecord | null> {
    const [row] = await this.db.rows<UserRow>(
      `SELECT ${USER_COLUMNS} FROM sessions JOIN users ON users.id = sessions.user_id
       WHERE sessions.token_hash = $1 AND sessions.expires_at > $2`,
      [tokenHash, now],
    )
    return toUser(row)
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.transaction('session-delete', (client) =>
      client.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]),
    )
  }

  async createNegotiation(
    negotiation: Pick<NegotiationRecord, 'id' | 'title'>,
    parties: readonly PartyRecord[],
  ): Promise<void> {
    // One transaction: the negotiation and its parties, or nothing.
    await this.db.transaction('negotiation-create', async (client) => {
      await client.query('INSERT INTO negotiations (id, title, created_at) VALUES ($1, $2, $3)', [
        negotiation.id,
        negotiation.title,
        Date.now(),
      ])
      // A new negotiation keeps its sign-offs in the records from the start: nothing to import.
      await client.query('INSERT INTO signoff_imports (negotiation_id) VALUES ($1)', [
        negotiation.id,
      ])
      for (const [position, party] of parties.entries())
        await client.query(
          'INSERT INTO parties (negotiation_id, id, name, color, position) VALUES ($1, $2, $3, $4, $5)',
          [negotiation.id, party.id, party.name, party.color, position],
        )
    })
  }

  async findNegotiation(id: string): Promise<NegotiationRecord | null> {
    const [row] = await this.db.rows<{ id: string; title: string; open_drafting: boolean }>(
      'SELECT id, title, open_drafting FROM negotiations WHERE id = $1',
      [id],
    )
    return row ? { id: row.id, title: row.title, openDrafting: row.open_drafting } : null
  }

  async setOpenDrafting(negotiationId: string, openDrafting: boolean): Promise<void> {
    await this.db.transaction('negotiation-open-drafting', (client) =>
      client.query('UPDATE negotiations SET open_drafting = $1 WHERE id = $2', [
        openDrafting,
        negotiationId,
      ]),
    )
  }

  async listParties(negotiationId: string): Promise<PartyRecord[]> {
    return this.db.rows<PartyRecord>(
      'SELECT id, name, color FROM parties WHERE negotiation_id = $1 ORDER BY position',
      [negotiationId],
    )
  }

  async putMember(member: MemberRecord): Promise<void> {
    await this.db.transaction('member-put', (client) =>
      client.query(
        `INSERT INTO members (negotiation_id, user_id, role, party_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (negotiation_id, user_id) DO UPDATE SET role = excluded.role, party_id = excluded.party_id`,
        [member.negotiationId, member.userId, member.role, member.partyId],
      ),
    )
  }

  async findMember(negotiationId: string, userId: string): Promise<MemberRecord | null> {
    const [row] = await this.db.rows<MemberRow>(
      'SELECT negotiation_id, user_id, role, party_id FROM members WHERE negotiation_id = $1 AND user_id = $2',
      [negotiationId, userId],
    )
    return row ? toMember(row) : null
  }

  async listMemberships(userId: string): Promise<Array<MemberRecord & { title: string }>> {
    const rows = await this.db.rows<MemberRow & { title: string }>(
      `SELECT members.negotiation_id, members.user_id, members.role, members.party_id, negotiations.title
       FROM members JOIN negotiations ON negotiations.id = members.negotiation_id
       WHERE members.user_id = $1 ORDER BY negotiations.created_at, negotiations.id COLLATE "C"`,
      [userId],
    )
    return rows.map((row) => ({ ...toMember(row), title: row.title }))
  }

  async listMembers(negotiationId: string): Promise<MemberWithUser[]> {
    const rows = await this.db.rows<MemberRow & { name: string; email: string }>(
      `SELECT members.negotiation_id, members.user_id, members.role, members.party_id, users.name, users.email
       FROM members JOIN users ON users.id = members.user_id
       WHERE members.negotiation_id = $1 ORDER BY ${ROLE_ORDER}, users.name COLLATE "C"`,
      [negotiationId],
    )
    return rows.map((row) => ({ ...toMember(row), name: row.name, email: row.email }))
  }

  async removeMember(negotiationId: string, userId: string): Promise<boolean> {
    const result = await this.db.transaction('member-remove', (client) =>
      client.query('DELETE FROM members WHERE negotiation_id = $1 AND user_id = $2', [
        negotiationId,
        userId,
      ]),
    )
    return (result.rowCount ?? 0) > 0
  }

  async createInvite(invite: InviteRecord): Promise<void> {
    await this.db.transaction('invite-create', (client) =>
      client.query(
        `INSERT INTO invites (token_hash, negotiation_id, email, role, party_id, created_by, created_at,
         expires_at, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          invite.tokenHash,
          invite.negotiationId,
          invite.email,
          invite.role,
          invite.partyId,
          invite.createdBy,
          invite.createdAt,
          invite.expiresAt,
          invite.usedAt,
        ],
      ),
    )
  }

  async findInvite(tokenHash: string): Promise<InviteRecord | null> {
    const [row] = await this.db.rows<InviteRow>('SELECT * FROM invites WHERE token_hash = $1', [
      tokenHash,
    ])
    return row ? toInvite(row) : null
  }

  async useInvite(tokenHash: string, at: number): Promise<boolean> {
    const result = await this.db.transaction('invite-use', (client) =>
      client.query('UPDATE invites SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL', [
        at,
        tokenHash,
      ]),
    )
    return (result.rowCount ?? 0) > 0
  }

  async listOpenInvites(negotiationId: string, now: number): Promise<InviteRecord[]> {
    const rows = await this.db.rows<InviteRow>(
      `SELECT * FROM invites WHERE negotiation_id = $1 AND used_at IS NULL AND expires_at > $2
       ORDER BY created_at DESC`,
      [negotiationId, now],
    )
    return rows.map(toInvite)
  }

  async isEmpty(): Promise<boolean> {
    const rows = await this.db.rows('SELECT 1 FROM negotiations LIMIT 1')
    return rows.length === 0
  }
}

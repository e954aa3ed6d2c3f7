/**
 * Negotiations stored before the party palette was measured keep no colour that fails as tracked
 * text: opening the database gives each stored party the colour now in its place in the palette,
 * and leaves a colour that was never in the old palette alone.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PARTY_PALETTE } from '@onetext/shared/partyPalette'
import { afterEach, describe, expect, it } from 'vitest'
import {
  openSqliteDatabase,
  PALETTE_MIGRATION_VERSION,
} from '../../server/src/storage/SqliteDatabase'

describe('the party palette migration', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('moves the old palette’s colours to the measured ones, once', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-palette-'))
    dirs.push(dir)
    const db = openSqliteDatabase(dir)
    const latest = db.pragma('user_version', { simple: true }) as number
    // A database as the release before this migration left it, with the old green and olive.
    // (The migrations after it create tables only if missing, so they run again harmlessly.)
    expect(PALETTE_MIGRATION_VERSION).toBeGreaterThan(0)
    db.pragma(`user_version = ${PALETTE_MIGRATION_VERSION - 1}`)
    db.prepare('INSERT INTO negotiations (id, title, created_at) VALUES (?, ?, ?)').run('n', 'N', 0)
    const party = db.prepare(
      'INSERT INTO parties (negotiation_id, id, name, color, position) VALUES (?, ?, ?, ?, ?)',
    )
    party.run('n', 'a', 'A', '#b42318', 0)
    party.run('n', 'c', 'C', '#047857', 2)
    party.run('n', 'h', 'H', '#4d7c0f', 7)
    party.run('n', 'x', 'X', '#123456', 8)
    db.close()

    const reopened = openSqliteDatabase(dir)
    const colors = Object.fromEntries(
      (
        reopened.prepare('SELECT id, color FROM parties').all() as Array<{
          id: string
          color: string
        }>
      ).map((row) => [row.id, row.color]),
    )
    expect(colors).toEqual({
      a: PARTY_PALETTE[0],
      c: PARTY_PALETTE[2],
      h: PARTY_PALETTE[7],
      x: '#123456',
    })
    expect(reopened.pragma('user_version', { simple: true })).toBe(latest)
    reopened.close()
  })
})

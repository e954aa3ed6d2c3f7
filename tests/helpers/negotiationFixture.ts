/**
 * A three-party negotiation (a union coalition, management, a medical group) with one account for
 * every role of every party, created directly in a test server's store: the matrix and
 * confidentiality tests use it so that nothing depends on there being exactly two parties.
 */
import { randomUUID } from 'node:crypto'
import type { OneTextServer } from '@onetext/server/server'
import type { Role } from '@onetext/shared/apiTypes'
import { partyPaletteColor } from '@onetext/shared/partyPalette'
import { hashPassword } from '../../server/src/auth/passwords'
import { login, TEST_PASSWORD } from './testServer'

export const FIXTURE_NEGOTIATION = 'tri-2025'
export const FIXTURE_PARTIES = [
  { id: 'unions', name: 'Union Coalition', color: partyPaletteColor(0) },
  { id: 'mgmt', name: 'Management', color: partyPaletteColor(1) },
  { id: 'medical', name: 'Medical Group', color: partyPaletteColor(2) },
] as const

/** One fixture account. */
export interface FixtureUser {
  key: string
  /** The account's id and name, as the server stamps them on everything the user writes. */
  id: string
  name: string
  email: string
  role: Role
  partyId: string | null
  token: string
}

/** Creates the negotiation and its accounts; returns them signed in, keyed like `mgmt:party-lead`. */
export async function createThreePartyNegotiation(
  server: OneTextServer,
): Promise<Map<string, FixtureUser>> {
  await server.directory.createNegotiation(
    { id: FIXTURE_NEGOTIATION, title: 'Three-party test round' },
    [...FIXTURE_PARTIES],
  )
  const specs: Array<{ key: string; role: Role; partyId: string | null }> = [
    { key: 'mediator', role: 'mediator', partyId: null },
    { key: 'observer', role: 'observer', partyId: null },
  ]
  for (const party of FIXTURE_PARTIES) {
    for (const role of ['party-lead', 'party-member', 'drafting-team'] as const) {
      specs.push({ key: `${party.id}:${role}`, role, partyId: party.id })
    }
  }
  const passwordHash = await hashPassword(TEST_PASSWORD)
  const users = new Map<string, FixtureUser>()
  for (const spec of specs) {
    const id = randomUUID()
    const email = `${spec.key.replace(':', '.')}@tri.test`
    const name = `Fixture ${spec.key}`
    await server.directory.createUser({ id, email, name, passwordHash })
    await server.directory.putMember({
      negotiationId: FIXTURE_NEGOTIATION,
      userId: id,
      role: spec.role,
      partyId: spec.partyId,
    })
    users.set(spec.key, { ...spec, id, name, email, token: await login(server.url, email) })
  }
  return users
}

/** Every live document of the fixture negotiation. */
export function fixtureDocuments(): string[] {
  return [
    `${FIXTURE_NEGOTIATION}.draft`,
    ...FIXTURE_PARTIES.map((party) => `${FIXTURE_NEGOTIATION}.layer.${party.id}`),
    ...FIXTURE_PARTIES.map((party) => `${FIXTURE_NEGOTIATION}.caucus.${party.id}`),
    `${FIXTURE_NEGOTIATION}.table`,
    `${FIXTURE_NEGOTIATION}.status`,
  ]
}

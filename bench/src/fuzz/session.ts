/**
 * The cast of a fuzz run on the demo negotiation (lmp-1997): the users who attack (one of each role:
 * mediator, party lead, party member, observer), the user whose honest clients type (the drafting
 * team member, who may write the draft, the table and the labor party's documents), and the
 * documents attacked.
 */
import { parseDocumentName } from '@onetext/shared/documentNames'
import { login } from '../targets/onetextTarget'
import type { FuzzUser } from './attacker'

/** The documents attacked: each kind, and another party's layer. */
export const FUZZ_DOCUMENTS = [
  'lmp-1997.draft',
  'lmp-1997.caucus.labor',
  'lmp-1997.layer.labor',
  'lmp-1997.status',
  'lmp-1997.table',
  'lmp-1997.layer.mgmt',
] as const

/** The documents honest clients type into (two clients each). */
export const HONEST_WRITES = [
  'lmp-1997.draft',
  'lmp-1997.caucus.labor',
  'lmp-1997.layer.labor',
  'lmp-1997.table',
] as const
/** The document honest clients only read (nobody but the server writes it). */
export const HONEST_READS = ['lmp-1997.status'] as const

/** Demo accounts that attack, by role, and the honest one. */
const ATTACKERS = [
  ['mediator', 'mediator@demo.test', null],
  ['party-lead', 'labor.lead@demo.test', 'labor'],
  ['party-member', 'labor.member@demo.test', 'labor'],
  ['observer', 'observer@demo.test', null],
] as const
const HONEST = ['drafting-team', 'drafter@demo.test', 'labor'] as const

/** The kind of a document name of the list above. */
export function kindOf(docName: string) {
  const ref = parseDocumentName(docName)
  if (!ref) throw new Error(`not a document name: ${docName}`)
  return ref.kind
}

async function signIn(
  url: string,
  [key, email, partyId]: readonly [string, string, string | null],
): Promise<FuzzUser> {
  const token = await login(url, email)
  const response = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } })
  if (!response.ok) throw new Error(`GET /api/me for ${email}: ${response.status}`)
  const { user } = (await response.json()) as { user: { id: string; name: string } }
  return { key, token, id: user.id, name: user.name, partyId }
}

/** Signs in every user of the run (two at a time, as the server hashes passwords). */
export async function signInCast(
  url: string,
): Promise<{ attackers: FuzzUser[]; mediator: FuzzUser; honest: FuzzUser }> {
  const attackers: FuzzUser[] = []
  for (let i = 0; i < ATTACKERS.length; i += 2)
    attackers.push(...(await Promise.all(ATTACKERS.slice(i, i + 2).map((a) => signIn(url, a)))))
  const mediator = attackers.find((user) => user.key === 'mediator')
  if (!mediator) throw new Error('no mediator among the attackers')
  return { attackers, mediator, honest: await signIn(url, HONEST) }
}

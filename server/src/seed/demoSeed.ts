/**
 * Seeds the demo negotiation (docs/DOMAIN.md "The demo") into an empty store: the 1997 National
 * Labor-Management Partnership Agreement as the single text, two parties, and one account per role,
 * all with the DEMO_PASSWORD.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import type { Role } from '@onetext/shared/apiTypes'
import { formatDocumentName } from '@onetext/shared/documentNames'
import { partyPaletteColor } from '@onetext/shared/partyPalette'
import { hashPassword } from '../auth/passwords'
import { draftStateFromMarkdown } from '../negotiation/draftState'
import type { Directory, PartyRecord } from '../storage/Directory'
import type { DocumentStore } from '../storage/DocumentStore'

/** Id of the demo negotiation. */
export const DEMO_NEGOTIATION_ID = 'lmp-1997'

/** The demo's parties. */
export const DEMO_PARTIES: readonly PartyRecord[] = [
  { id: 'labor', name: 'Coalition of Unions', color: partyPaletteColor(0) },
  { id: 'mgmt', name: 'Management', color: partyPaletteColor(1) },
]

/** One demo account. */
export interface DemoAccount {
  email: string
  name: string
  role: Role
  partyId: string | null
}

/** The demo accounts, one per role (two per party). */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'mediator@demo.test', name: 'Dana Reyes', role: 'mediator', partyId: null },
  { email: 'labor.lead@demo.test', name: 'Luis Ortega', role: 'party-lead', partyId: 'labor' },
  { email: 'labor.member@demo.test', name: 'Priya Shah', role: 'party-member', partyId: 'labor' },
  { email: 'mgmt.lead@demo.test', name: 'Morgan Ellis', role: 'party-lead', partyId: 'mgmt' },
  { email: 'mgmt.member@demo.test', name: 'Sam Whitfield', role: 'party-member', partyId: 'mgmt' },
  { email: 'drafter@demo.test', name: 'Jordan Lee', role: 'drafting-team', partyId: 'labor' },
  { email: 'observer@demo.test', name: 'Local Table 12', role: 'observer', partyId: null },
]

/** The demo's single text as Markdown. */
export function readDemoAgreement(): string {
  return fs.readFileSync(new URL('./lmp-agreement-1997.md', import.meta.url), 'utf8')
}

/** Seeds the demo if the store holds no negotiation yet. Returns true when it seeded. */
export async function seedDemoIfEmpty(
  directory: Directory,
  store: DocumentStore,
  password: string,
): Promise<boolean> {
  if (!(await directory.isEmpty())) return false
  const markdown = readDemoAgreement()
  const title = markdown.match(/^#\s+(.+)$/m)?.[1]?.trim() ?? 'National Agreement'
  await directory.createNegotiation({ id: DEMO_NEGOTIATION_ID, title }, DEMO_PARTIES)
  // Every demo account has the same (published) password: one hash serves them all, since each
  // costs most of a second (scrypt at N=2^17).
  let passwordHash: string | null = null
  for (const account of DEMO_ACCOUNTS) {
    const existing = await directory.findUserByEmail(account.email)
    const userId = existing?.id ?? randomUUID()
    if (!existing) {
      passwordHash ??= await hashPassword(password)
      await directory.createUser({
        id: userId,
        email: account.email,
        name: account.name,
        passwordHash,
      })
    }
    await directory.putMember({
      negotiationId: DEMO_NEGOTIATION_ID,
      userId,
      role: account.role,
      partyId: account.partyId,
    })
  }
  const draft = formatDocumentName({ negotiationId: DEMO_NEGOTIATION_ID, kind: 'draft' })
  await store.compact(draft, draftStateFromMarkdown(markdown), 0)
  return true
}

/**
 * The command matrix: which roles of a negotiation may do what (docs/DOMAIN.md "Roles"). Together
 * with the document matrix (documentAccess.ts) it is the whole authorization rule; AccessPolicy
 * applies both and records every refusal. Some commands are further limited by what they act on,
 * decided by the service that knows it (a lead signs for their own party, an observer reads
 * published iterations only); the matrix says who may ask at all.
 */
import type { Role } from '@onetext/shared/apiTypes'

/** What a member may ask for, one name per action of docs/DOMAIN.md. */
export type Command =
  | 'read-negotiation'
  | 'read-iterations'
  | 'read-unpublished'
  | 'export'
  | 'read-clauses'
  | 'read-clause-record'
  | 'manage-members'
  | 'change-settings'
  | 'read-audit'
  | 'circulate'
  | 'publish'
  | 'signoff'
  | 'request-reopen'
  | 'consent-reopen'
  | 'read-suggestions'
  | 'share-suggestions'
  | 'decide-suggestion'
  | 'open-vote'
  | 'cast-ballot'
  | 'set-vote-stance'
  | 'close-vote'
  | 'start-supplement'
  | 'read-supplements'

const EVERYONE: readonly Role[] = [
  'mediator',
  'party-lead',
  'party-member',
  'drafting-team',
  'observer',
]
const TABLE: readonly Role[] = ['mediator', 'party-lead', 'party-member', 'drafting-team']
const PARTIES: readonly Role[] = ['party-lead', 'party-member', 'drafting-team']
const MEDIATOR: readonly Role[] = ['mediator']
const LEAD: readonly Role[] = ['party-lead']

/** For each command, the roles that may ask for it. */
export const COMMAND_ROLES: Readonly<Record<Command, readonly Role[]>> = {
  'read-negotiation': EVERYONE,
  'read-iterations': EVERYONE,
  // Observers (local tables) read published iterations only.
  'read-unpublished': TABLE,
  export: EVERYONE,
  'read-clauses': TABLE,
  // Shared suggestions, sign-offs, votes and provenance of a clause: the table's record, not the local tables'.
  'read-clause-record': TABLE,
  'manage-members': MEDIATOR,
  'change-settings': MEDIATOR,
  'read-audit': MEDIATOR,
  circulate: MEDIATOR,
  publish: MEDIATOR,
  signoff: LEAD,
  'request-reopen': ['mediator', 'party-lead'],
  'consent-reopen': LEAD,
  // Everyone may ask; what each sees is filtered by the document matrix (observers: nothing).
  'read-suggestions': EVERYONE,
  'share-suggestions': LEAD,
  'decide-suggestion': MEDIATOR,
  'open-vote': MEDIATOR,
  'cast-ballot': PARTIES,
  'set-vote-stance': LEAD,
  'close-vote': MEDIATOR,
  'start-supplement': ['observer'],
  'read-supplements': EVERYONE,
}

/** Every command, in the matrix's order. */
export const COMMANDS = Object.keys(COMMAND_ROLES) as Command[]

/** True when a member with `role` (and, for party roles, a party) may ask for `command`. */
export function commandAllowed(
  member: { role: Role; partyId: string | null },
  command: Command,
): boolean {
  if (!COMMAND_ROLES[command].includes(member.role)) return false
  // A party role acts for its party; one without a party (a broken record) may not act.
  return !(PARTIES.includes(member.role) && member.partyId === null)
}

/**
 * Roles and which of them belong to a party (docs/DOMAIN.md "Roles").
 */
import type { Role } from '@onetext/shared/apiTypes'
import type { PartyRecord } from '../storage/Directory'

/** Every role, in the order the UI lists them. */
export const ROLES: readonly Role[] = [
  'mediator',
  'party-lead',
  'party-member',
  'drafting-team',
  'observer',
]

/** Roles whose holder belongs to a party. */
export const PARTY_ROLES: ReadonlySet<Role> = new Set<Role>([
  'party-lead',
  'party-member',
  'drafting-team',
])

/** True when `value` is a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/**
 * Checks a role and party assignment: party roles need one of the negotiation's parties, the
 * mediator and observers belong to none. Returns a sentence saying what is wrong, or null.
 */
export function assignmentProblem(
  role: Role,
  partyId: string | null,
  parties: readonly PartyRecord[],
): string | null {
  if (PARTY_ROLES.has(role)) {
    if (partyId === null) return `A ${role} must belong to a party.`
    if (!parties.some((party) => party.id === partyId))
      return `There is no party "${partyId}" in this negotiation.`
    return null
  }
  return partyId === null ? null : `A ${role} belongs to no party.`
}

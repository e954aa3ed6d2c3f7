/**
 * A role select and a party select that go together: the party select is enabled only for roles
 * that belong to a party (party lead, party member, drafting team).
 */
import type { ApiParty, Role } from '@onetext/shared/apiTypes'
import { ROLE_LABELS } from '../../components/roleLabels'

const ROLES = Object.keys(ROLE_LABELS) as Role[]
const PARTY_ROLES = new Set<Role>(['party-lead', 'party-member', 'drafting-team'])

/** True when `role` belongs to a party. */
export function needsParty(role: Role): boolean {
  return PARTY_ROLES.has(role)
}

export function RolePartyFields({
  idPrefix,
  labelSuffix,
  role,
  partyId,
  parties,
  onChange,
}: {
  idPrefix: string
  labelSuffix?: string
  role: Role
  partyId: string | null
  parties: readonly ApiParty[]
  onChange: (role: Role, partyId: string | null) => void
}) {
  const suffix = labelSuffix ? ` ${labelSuffix}` : ''
  return (
    <>
      <label htmlFor={`${idPrefix}-role`} className={labelSuffix ? 'visually-hidden' : undefined}>
        Role{suffix}
      </label>
      <select
        id={`${idPrefix}-role`}
        value={role}
        onChange={(event) => {
          const next = event.target.value as Role
          onChange(next, needsParty(next) ? (partyId ?? parties[0]?.id ?? null) : null)
        }}
      >
        {ROLES.map((candidate) => (
          <option key={candidate} value={candidate}>
            {ROLE_LABELS[candidate]}
          </option>
        ))}
      </select>
      <label htmlFor={`${idPrefix}-party`} className={labelSuffix ? 'visually-hidden' : undefined}>
        Party{suffix}
      </label>
      <select
        id={`${idPrefix}-party`}
        value={partyId ?? ''}
        disabled={!needsParty(role)}
        onChange={(event) => onChange(role, event.target.value || null)}
      >
        {!needsParty(role) && <option value="">No party</option>}
        {parties.map((party) => (
          <option key={party.id} value={party.id}>
            {party.name}
          </option>
        ))}
      </select>
    </>
  )
}

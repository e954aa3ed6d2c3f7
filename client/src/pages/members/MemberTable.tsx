/**
 * The members of a negotiation with their role and party, which the mediator can change or remove.
 * A change takes effect at once: the member's open documents are closed and reopened with the new
 * access.
 */
import type { ApiMember, ApiParty, Role } from '@onetext/shared/apiTypes'
import { useState } from 'react'
import { ApiRequestError, removeMember, updateMember } from '../../api'
import { FormError } from '../../components/FormError'
import { RolePartyFields } from './RolePartyFields'

function MemberRow({
  negotiationId,
  member,
  parties,
  onChanged,
  onError,
}: {
  negotiationId: string
  member: ApiMember
  parties: readonly ApiParty[]
  onChanged: () => void
  onError: (message: string) => void
}) {
  const [role, setRole] = useState<Role>(member.role)
  const [partyId, setPartyId] = useState<string | null>(member.partyId)
  const dirty = role !== member.role || partyId !== member.partyId

  async function run(action: () => Promise<void>) {
    try {
      await action()
      onChanged()
    } catch (reason) {
      onError(reason instanceof ApiRequestError ? reason.message : String(reason))
    }
  }

  return (
    <tr>
      <td>
        <div>{member.name}</div>
        <div className="muted">{member.email}</div>
      </td>
      <td>
        <div className="member-fields">
          <RolePartyFields
            idPrefix={`member-${member.userId}`}
            labelSuffix={`of ${member.name}`}
            role={role}
            partyId={partyId}
            parties={parties}
            onChange={(nextRole, nextParty) => {
              setRole(nextRole)
              setPartyId(nextParty)
            }}
          />
        </div>
      </td>
      <td>
        <div className="member-actions">
          <button
            type="button"
            disabled={!dirty}
            onClick={() => run(() => updateMember(negotiationId, member.userId, { role, partyId }))}
          >
            Save<span className="visually-hidden"> {member.name}</span>
          </button>
          <button
            type="button"
            onClick={() => {
              if (window.confirm(`Remove ${member.name} from this negotiation?`)) {
                void run(() => removeMember(negotiationId, member.userId))
              }
            }}
          >
            Remove<span className="visually-hidden"> {member.name}</span>
          </button>
        </div>
      </td>
    </tr>
  )
}

export function MemberTable({
  negotiationId,
  members,
  parties,
  onChanged,
}: {
  negotiationId: string
  members: readonly ApiMember[]
  parties: readonly ApiParty[]
  onChanged: () => void
}) {
  const [error, setError] = useState<string | null>(null)
  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <FormError error={error} />
      <table className="member-table">
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Role and party</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {/* By name: a row stays where it is when its role changes under the pointer. */}
          {[...members]
            .sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email))
            .map((member) => (
              <MemberRow
                key={`${member.userId}-${member.role}-${member.partyId}`}
                negotiationId={negotiationId}
                member={member}
                parties={parties}
                onChanged={() => {
                  setError(null)
                  onChanged()
                }}
                onError={setError}
              />
            ))}
        </tbody>
      </table>
    </section>
  )
}

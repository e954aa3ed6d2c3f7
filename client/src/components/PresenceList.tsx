/**
 * Who is here: one avatar per person in their party colour, with name and role for screen
 * readers and on hover.
 */
import type { Presence } from '../collab/useCollabSession'
import { ROLE_LABELS } from './roleLabels'

function initials(name: string): string {
  const parts = name.trim().split(/\s+/)
  return (
    (parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')
  ).toUpperCase()
}

export function PresenceList({ people }: { people: Presence[] }) {
  return (
    <ul
      className="presence-list"
      aria-label={`${people.length} ${people.length === 1 ? 'person' : 'people'} here`}
    >
      {people.map((person) => {
        const label = `${person.name}${person.isMe ? ' (you)' : ''}${person.role ? `, ${ROLE_LABELS[person.role]}` : ''}`
        return (
          <li key={person.id} className="presence-item" title={label}>
            <span className="avatar" style={{ backgroundColor: person.color }} aria-hidden="true">
              {initials(person.name)}
            </span>
            <span className="visually-hidden">{label}</span>
          </li>
        )
      })}
    </ul>
  )
}

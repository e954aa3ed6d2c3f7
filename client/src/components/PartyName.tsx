/**
 * A party's name with a dot in its colour.
 */
import type { ApiParty } from '@onetext/shared/apiTypes'

export function PartyName({ party }: { party: Pick<ApiParty, 'name' | 'color'> }) {
  return (
    <>
      <span className="party-dot" style={{ backgroundColor: party.color }} aria-hidden="true" />{' '}
      {party.name}
    </>
  )
}

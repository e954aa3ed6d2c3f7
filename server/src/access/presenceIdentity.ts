/**
 * The presence identity the server stamps on a connection's awareness states: the user's name, their
 * party's colour (mediators and others without a party get a neutral colour), role and party.
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import { NEUTRAL_PARTY_COLOR } from '@onetext/shared/partyPalette'
import type { MemberRecord, PartyRecord, UserRecord } from '../storage/Directory'

/** Colour of people who belong to no party (mediators, observers). */
export const NEUTRAL_COLOR = NEUTRAL_PARTY_COLOR

/** Builds the identity of `user` acting as `member`. */
export function presenceIdentity(
  user: Pick<UserRecord, 'id' | 'name'>,
  member: Pick<MemberRecord, 'role' | 'partyId'> | null,
  parties: readonly PartyRecord[],
): PresenceUser {
  const party = member?.partyId
    ? parties.find((candidate) => candidate.id === member.partyId)
    : undefined
  return {
    id: user.id,
    name: user.name,
    color: party?.color ?? NEUTRAL_COLOR,
    role: member?.role ?? null,
    partyId: party?.id ?? null,
  }
}

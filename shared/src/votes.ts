/**
 * Votes as a bargaining table votes. Ballots are cast within a party and kept in the party's caucus
 * document (server-written roots its own members read, nobody else: not the mediator, not the
 * other parties). The table sees, once a vote is closed, each party's position (yes, no or abstain),
 * its internal tally only if the party chose to show it, and its written dissent if it wrote one;
 * never a member's name or ballot. The outcome follows the rule the mediator set for the vote:
 * consensus of the parties (the default) or a majority of them.
 */
import type * as Y from 'yjs'

/** A ballot's choice, and a party's position. */
export type VoteChoice = 'yes' | 'no' | 'abstain'

/**
 * How a vote is decided from the parties' positions. `consensus`: carried when no party says no and
 * at least one says yes (a party may stand aside by abstaining). `majority`: carried when more than
 * half of the parties say yes.
 */
export type VoteRule = 'consensus' | 'majority'

/** One member's ballot, in the member's party caucus document. */
export interface PartyBallot {
  userId: string
  name: string
  choice: VoteChoice
  at: number
}

/** What a party lead decided the table may see of the party's vote. */
export interface PartyStance {
  /** Show the party's internal tally (counts, never names) with its position. */
  showTally: boolean
  /** A written dissent the party attaches to its position ('' for none). */
  dissent: string
}

/** A party's internal tally. */
export interface VoteTally {
  yes: number
  no: number
  abstain: number
}

/** One party's part in a closed vote, as the table sees it. */
export interface PartyPosition {
  partyId: string
  position: VoteChoice
  tally?: VoteTally
  dissent?: string
}

/** Roots of a caucus document that the server alone writes. */
export const CAUCUS_VOTE_ROOTS = {
  /** Vote id -> { user id -> PartyBallot }. */
  ballots: 'ballots',
  /** Vote id -> PartyStance. */
  stances: 'voteStances',
} as const

/** The party's ballots on `voteId` in its caucus document `caucus`. */
export function readPartyBallots(caucus: Y.Doc, voteId: string): PartyBallot[] {
  const ballots = caucus.getMap<Record<string, PartyBallot>>(CAUCUS_VOTE_ROOTS.ballots).get(voteId)
  return ballots ? Object.values(ballots) : []
}

/** The party's stance on `voteId` (no tally shown, no dissent, when the lead set none). */
export function readPartyStance(caucus: Y.Doc, voteId: string): PartyStance {
  return (
    caucus.getMap<PartyStance>(CAUCUS_VOTE_ROOTS.stances).get(voteId) ?? {
      showTally: false,
      dissent: '',
    }
  )
}

/** Counts the ballots of a party. */
export function tallyOf(ballots: readonly PartyBallot[]): VoteTally {
  const tally: VoteTally = { yes: 0, no: 0, abstain: 0 }
  for (const ballot of ballots) tally[ballot.choice]++
  return tally
}

/**
 * A party's position from its members' ballots: yes or no by the larger count of the two, abstain
 * on a tie (or when nobody of the party voted).
 */
export function partyPosition(tally: VoteTally): VoteChoice {
  if (tally.yes > tally.no) return 'yes'
  if (tally.no > tally.yes) return 'no'
  return 'abstain'
}

/** Whether a vote under `rule` with these positions (one per party at the table) is carried. */
export function voteOutcome(
  rule: VoteRule,
  positions: readonly Pick<PartyPosition, 'position'>[],
): 'carried' | 'failed' {
  const yes = positions.filter((party) => party.position === 'yes').length
  if (rule === 'majority') return yes * 2 > positions.length ? 'carried' : 'failed'
  const no = positions.some((party) => party.position === 'no')
  return !no && yes > 0 ? 'carried' : 'failed'
}

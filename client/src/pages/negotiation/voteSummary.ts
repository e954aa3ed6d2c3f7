/**
 * A closed vote in words: the outcome under its rule and each party's position, with its tally and
 * dissent where the party chose to show them. Never a member's name: the table does not see ballots.
 */
import type { PartyPosition, VoteRule } from '@onetext/shared/votes'

const POSITION: Record<PartyPosition['position'], string> = {
  yes: 'yes',
  no: 'no',
  abstain: 'abstains',
}

/** "Management: no (1 yes, 2 no, 0 abstain). Dissent: “…”" */
export function describePosition(party: PartyPosition, partyName: string): string {
  const tally = party.tally
    ? ` (${party.tally.yes} yes, ${party.tally.no} no, ${party.tally.abstain} abstain)`
    : ''
  const dissent = party.dissent ? ` Dissent: “${party.dissent}”` : ''
  return `${partyName}: ${POSITION[party.position]}${tally}.${dissent}`
}

/** "Carried by consensus of the parties" / "Failed under majority of the parties". */
export function describeOutcome(outcome: 'carried' | 'failed', rule: VoteRule): string {
  const how = rule === 'majority' ? 'a majority of the parties' : 'consensus of the parties'
  return outcome === 'carried' ? `Carried by ${how}` : `Failed (${how} needed)`
}

/**
 * Votes stored with per-member ballots (names in the status document every table member reads) are
 * rewritten without them when the status document loads.
 */
import { readStatus, STATUS_ROOTS } from '@onetext/shared/statusDoc'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { removeLegacyBallots } from '../../server/src/negotiation/legacyVotes'

describe('votes stored with ballots', () => {
  it('lose their ballots and named dissents, keep their question and outcome', () => {
    const doc = new Y.Doc()
    const votes = doc.getMap<unknown>(STATUS_ROOTS.votes)
    votes.set('v1', {
      id: 'v1',
      clauseId: 'c-3',
      proposalId: null,
      question: 'Adopt?',
      openedAt: 1,
      openedBy: 'Dana Reyes',
      closedAt: 2,
      ballots: { u1: { userId: 'u1', name: 'Priya Shah', partyId: 'labor', choice: 'no', at: 1 } },
      result: {
        yes: 2,
        no: 1,
        abstain: 0,
        outcome: 'carried',
        dissents: ['Priya Shah'],
        abstentions: [],
      },
    })
    expect(removeLegacyBallots(doc)).toBe(true)
    expect(readStatus(doc).votes.v1).toEqual({
      id: 'v1',
      clauseId: 'c-3',
      suggestionId: null,
      question: 'Adopt?',
      rule: 'consensus',
      openedAt: 1,
      openedBy: 'Dana Reyes',
      closedAt: 2,
      result: { parties: [], outcome: 'carried' },
    })
    expect(new TextDecoder().decode(Y.encodeStateAsUpdate(doc))).not.toContain('Priya')
    expect(removeLegacyBallots(doc)).toBe(false)
  })
})

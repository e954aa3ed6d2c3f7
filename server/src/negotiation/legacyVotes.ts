/**
 * Votes stored before ballots moved to the parties' caucus documents kept every member's ballot,
 * with names, in the status document, which the whole table reads. When a status document loads,
 * those votes are rewritten without ballots: an open one keeps its question (and takes the default
 * rule), a closed one keeps its outcome; the per-member record is gone (Yjs collects the replaced
 * values, and the next compaction drops them from disk).
 */
import { STATUS_ROOTS, type Vote } from '@onetext/shared/statusDoc'
import type * as Y from 'yjs'
import { SERVER_ORIGIN } from '../sync/origins'

type StoredVote = Omit<Vote, 'result' | 'rule'> & {
  rule?: Vote['rule']
  ballots?: unknown
  result: (Vote['result'] & object) | { outcome: 'carried' | 'failed' } | null
}

/** Rewrites the status document's votes that still hold ballots; true when there were any. */
export function removeLegacyBallots(statusDoc: Y.Doc): boolean {
  const votes = statusDoc.getMap<StoredVote>(STATUS_ROOTS.votes)
  const legacy = [...votes.entries()].filter(
    ([, vote]) => typeof vote === 'object' && vote !== null && 'ballots' in vote,
  )
  if (legacy.length === 0) return false
  statusDoc.transact(() => {
    for (const [id, vote] of legacy) {
      const { ballots: _ballots, result, rule, ...kept } = vote
      const rewritten: Vote = {
        ...kept,
        rule: rule ?? 'consensus',
        result: result ? { parties: [], outcome: result.outcome } : null,
      }
      votes.set(id, rewritten)
    }
  }, SERVER_ORIGIN)
  return true
}

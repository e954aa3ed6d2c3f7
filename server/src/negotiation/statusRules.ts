/**
 * Rules that derive status-document state from other state, applied inside status transactions.
 */

import { type ClauseState, type ClauseStatus, STATUS_ROOTS } from '@onetext/shared/statusDoc'
import type * as Y from 'yjs'

/**
 * Sets or clears "agreement reached": reached when every clause of the current iteration is
 * tentatively agreed ("nothing is agreed until everything is agreed").
 */
export function updateAgreement(statusDoc: Y.Doc, currentClauseIds: readonly string[]): void {
  const states = statusDoc.getMap<ClauseState>(STATUS_ROOTS.clauses)
  const agreement = statusDoc.getMap<number>(STATUS_ROOTS.agreement)
  const all =
    currentClauseIds.length > 0 &&
    currentClauseIds.every((id) => states.get(id)?.status === 'tentatively-agreed')
  if (all && agreement.get('reachedAt') === undefined) agreement.set('reachedAt', Date.now())
  if (!all && agreement.get('reachedAt') !== undefined) agreement.delete('reachedAt')
}

/** Writes a clause state, stamping `statusSince` when the status changes. */
export function putClauseState(
  statusDoc: Y.Doc,
  state: ClauseState,
  status: ClauseStatus = state.status,
): void {
  const states = statusDoc.getMap<ClauseState>(STATUS_ROOTS.clauses)
  const previous = states.get(state.clauseId)
  const since = previous?.status === status ? state.statusSince : Date.now()
  states.set(state.clauseId, { ...state, status, statusSince: since })
}

/** Marks a clause as in discussion if it is still open (a suggestion, objection or vote touched it). */
export function markInDiscussion(statusDoc: Y.Doc, clauseId: string): void {
  const state = statusDoc.getMap<ClauseState>(STATUS_ROOTS.clauses).get(clauseId)
  if (state?.status === 'open') putClauseState(statusDoc, state, 'in-discussion')
}

/** Records that `partyId` responded to iteration `number`. */
export function recordResponse(statusDoc: Y.Doc, partyId: string, number: number): void {
  const responses = statusDoc.getMap<number>(STATUS_ROOTS.responses)
  if ((responses.get(partyId) ?? 0) < number) responses.set(partyId, number)
}

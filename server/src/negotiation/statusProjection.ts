/**
 * The status document shows a projection of the cycle's records (iterations with their
 * publication, sign-offs), which are kept in SQL (storage/IterationStore.ts) and changed in one
 * transaction with the projection's update (NegotiationDocs.changeStatus). When a status document
 * loads, its projection is checked against the records and rewritten from them where it differs,
 * so that the records are the one source of truth whatever an earlier version left behind; sign-
 * offs an earlier version kept only in the status document are first copied to the records, once.
 */
import {
  type ClauseState,
  type IterationMeta,
  readStatus,
  type Signoff,
  STATUS_ROOTS,
} from '@onetext/shared/statusDoc'
import type * as Y from 'yjs'
import type { IterationStore, IterationSummary, SignoffRecord } from '../storage/IterationStore'
import { SERVER_ORIGIN } from '../sync/origins'

/**
 * Brings `statusDoc` (negotiation `negotiationId`'s status document, just loaded) in line with the
 * records. Resolves with true when the document had to change.
 */
export async function projectRecords(
  statusDoc: Y.Doc,
  negotiationId: string,
  records: IterationStore,
  log: (line: string) => void = () => {},
): Promise<boolean> {
  if (!(await records.signoffsImported(negotiationId)))
    await records.importSignoffs(negotiationId, signoffsShown(statusDoc, negotiationId))
  const signoffs = await records.signoffs(negotiationId)
  const iterations = await records.list(negotiationId)
  let changed = false
  statusDoc.transact(() => {
    const iterationsChanged = projectIterations(statusDoc, iterations)
    const signoffsChanged = projectSignoffs(statusDoc, signoffs)
    changed = iterationsChanged || signoffsChanged
    if (changed)
      log(
        `status of ${negotiationId} rewritten from the records:${iterationsChanged ? ' iterations' : ''}${signoffsChanged ? ' sign-offs' : ''}`,
      )
  }, SERVER_ORIGIN)
  return changed
}

/** The sign-offs the status document shows, as records. */
function signoffsShown(statusDoc: Y.Doc, negotiationId: string): SignoffRecord[] {
  return Object.values(readStatus(statusDoc).clauses).flatMap((state) =>
    Object.values(state.signoffs).map((signoff) => ({
      ...signoff,
      negotiationId,
      clauseId: state.clauseId,
    })),
  )
}

function projectIterations(statusDoc: Y.Doc, iterations: readonly IterationSummary[]): boolean {
  const list = statusDoc.getArray<IterationMeta>(STATUS_ROOTS.iterations)
  const shown = list.toArray()
  const same =
    shown.length === iterations.length &&
    shown.every((meta, index) => {
      const record = iterations[index]
      return (
        record !== undefined &&
        meta.number === record.number &&
        meta.published === record.published &&
        meta.createdAt === record.createdAt
      )
    })
  if (same) return false
  list.delete(0, list.length)
  list.push(
    iterations.map((record) => ({
      number: record.number,
      createdAt: record.createdAt,
      note: record.note,
      published: record.published,
      createdBy: record.createdBy,
    })),
  )
  return true
}

function projectSignoffs(statusDoc: Y.Doc, signoffs: readonly SignoffRecord[]): boolean {
  const byClause = new Map<string, Record<string, Signoff>>()
  for (const { negotiationId: _n, clauseId, ...signoff } of signoffs) {
    const clause = byClause.get(clauseId) ?? {}
    clause[signoff.partyId] = signoff
    byClause.set(clauseId, clause)
  }
  const states = statusDoc.getMap<ClauseState>(STATUS_ROOTS.clauses)
  let changed = false
  for (const [clauseId, state] of states.entries()) {
    const recorded = byClause.get(clauseId) ?? {}
    if (sameSignoffs(state.signoffs, recorded)) continue
    states.set(clauseId, { ...state, signoffs: recorded })
    changed = true
  }
  return changed
}

function sameSignoffs(a: Record<string, Signoff>, b: Record<string, Signoff>): boolean {
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((party) => {
    const x = a[party]
    const y = b[party]
    return (
      x !== undefined &&
      y !== undefined &&
      x.userId === y.userId &&
      x.name === y.name &&
      x.initials === y.initials &&
      x.at === y.at &&
      x.iteration === y.iteration
    )
  })
}

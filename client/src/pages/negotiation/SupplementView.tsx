/**
 * A local supplement: the local table's own text (live, derived from a published national
 * iteration), its differences from that national text, and a flag on every clause whose national
 * language has changed since.
 */
import type { ApiDocument } from '@onetext/shared/apiTypes'
import { useMemo, useState } from 'react'
import { fetchSupplementDiff, type SupplementInfo } from '../../api'
import { useCollabSession, useTerminalReason } from '../../collab/useCollabSession'
import { bodyOps } from '../../components/clauseBlocks'
import { LiveSaveStatus } from '../../components/SaveStatus'
import { TrackedBlocks } from '../../components/TrackedText'
import { useLatestResponse } from '../../components/useLatestResponse'
import { DocumentEditorView } from './DocumentEditorView'

function SupplementDiff({
  negotiationId,
  supplement,
}: {
  negotiationId: string
  supplement: SupplementInfo
}) {
  const [version, setVersion] = useState(0)
  const { value: diff } = useLatestResponse(
    () => fetchSupplementDiff(negotiationId, supplement.id),
    [negotiationId, supplement.id, version],
  )
  const changed = diff?.clauses.filter((clause) => clause.change !== 'same') ?? []
  return (
    <section className="card supplement-diff" aria-labelledby={`supplement-diff-${supplement.id}`}>
      <h2 id={`supplement-diff-${supplement.id}`}>
        Differences from national Single Text {supplement.baseIteration}
      </h2>
      <button type="button" onClick={() => setVersion((count) => count + 1)}>
        Compare again
      </button>
      {diff && diff.nationalChanged.length > 0 && (
        <p className="national-changed" role="status">
          The national language of {diff.nationalChanged.length} clause
          {diff.nationalChanged.length === 1 ? '' : 's'} has changed since Single Text{' '}
          {supplement.baseIteration} (latest published: Single Text {diff.latestPublished}).
        </p>
      )}
      {diff && changed.length === 0 && <p className="muted">No local differences yet.</p>}
      {diff?.clauses
        .filter((clause) => clause.change !== 'same' || diff.nationalChanged.includes(clause.id))
        .map((clause) => (
          <div key={clause.id} className="diff-clause">
            <p className="diff-clause-head">
              <strong>
                {clause.number}. {clause.heading}
              </strong>{' '}
              {clause.change !== 'same' && (
                <span className={`change-chip change-${clause.change}`}>Local change</span>
              )}{' '}
              {diff.nationalChanged.includes(clause.id) && (
                <span className="change-chip change-moved">National language changed</span>
              )}
            </p>
            {clause.change !== 'same' && (
              <TrackedBlocks ops={bodyOps(clause.ops, clause.heading)} color="#1c1f24" condensed />
            )}
          </div>
        ))}
    </section>
  )
}

export function SupplementView({
  negotiationId,
  supplement,
}: {
  negotiationId: string
  supplement: SupplementInfo
}) {
  const session = useCollabSession(supplement.document)
  const sessions = useMemo(() => (session ? [session] : []), [session])
  const terminal = useTerminalReason(session)
  const document: ApiDocument = useMemo(
    () => ({
      name: supplement.document,
      kind: 'supplement',
      partyId: supplement.id,
      access: supplement.access,
    }),
    [supplement.document, supplement.id, supplement.access],
  )
  return (
    <>
      <div className="page wide supplement-status">
        <LiveSaveStatus sessions={sessions} terminal={terminal} />
      </div>
      {session && <DocumentEditorView session={session} document={document} />}
      <div className="page wide">
        <SupplementDiff negotiationId={negotiationId} supplement={supplement} />
      </div>
    </>
  )
}

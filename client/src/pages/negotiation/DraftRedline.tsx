/**
 * The working draft's changes since the last iteration, opened from the circulation's
 * confirmation so that the mediator can review what they are about to send before sending it:
 * each change with its provenance (an accepted suggestion, or the mediator's own edit), then the
 * whole redline (insertions underlined, deletions struck through).
 */
import type { ClauseDiff } from '@onetext/shared/clauseDiff'
import { useState } from 'react'
import { bodyOps } from '../../components/clauseBlocks'
import { TrackedBlocks } from '../../components/TrackedText'
import { DraftChangeList } from './DraftChangeList'

const INK = '#1c1f24'

export function DraftRedline({
  changes,
  since,
  negotiationId,
  partyName,
}: {
  changes: readonly ClauseDiff[]
  since: number
  negotiationId: string
  partyName: (id: string) => string
}) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button
        type="button"
        className="link-button"
        aria-expanded={open}
        aria-controls="draft-redline"
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide the redline' : `Review the changes against Single Text ${since} as a redline`}
      </button>
      {open && (
        <section
          id="draft-redline"
          className="paper diff-paper draft-redline"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the review scrolls; a keyboard reader must reach it to scroll it (axe scrollable-region-focusable).
          tabIndex={0}
          aria-label={`Changes since Single Text ${since}`}
        >
          <h4>Each change and where it came from</h4>
          <DraftChangeList negotiationId={negotiationId} since={since} partyName={partyName} />
          <h4>The redline</h4>
          {changes.map((clause) => (
            <section
              key={clause.id}
              className={`diff-clause change-${clause.change}`}
              aria-label={`Clause ${clause.number ?? clause.fromNumber}`}
            >
              <p className="diff-clause-head">
                <strong>
                  {clause.number ?? clause.fromNumber}. {clause.heading}
                </strong>
              </p>
              <TrackedBlocks ops={bodyOps(clause.ops, clause.heading)} color={INK} />
            </section>
          ))}
        </section>
      )}
    </>
  )
}

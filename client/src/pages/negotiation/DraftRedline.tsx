/**
 * The working draft's changes since the last iteration as a redline (insertions underlined,
 * deletions struck through), opened from the circulation's confirmation so that the mediator can
 * review what they are about to send before sending it.
 */
import type { ClauseDiff } from '@onetext/shared/clauseDiff'
import { useState } from 'react'
import { bodyOps } from '../../components/clauseBlocks'
import { TrackedBlocks } from '../../components/TrackedText'

const INK = '#1c1f24'

export function DraftRedline({
  changes,
  since,
}: {
  changes: readonly ClauseDiff[]
  since: number
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
        <div id="draft-redline" className="paper diff-paper draft-redline">
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
        </div>
      )}
    </>
  )
}

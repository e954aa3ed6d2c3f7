/**
 * One clause of the current iteration: number, heading, status and text (the parties' suggestions
 * are shown in place over the whole text, SuggestionOverlay.tsx, and side by side in the panel).
 */

import type { IterationDetail } from '../../api'
import { ClauseText } from '../../components/ClauseText'
import { LockNote } from '../../components/LockNote'
import { useNegotiation } from './NegotiationContext'
import { StatusChip } from './StatusChip'

type ClauseRow = IterationDetail['clauses'][number]

interface Props {
  clause: ClauseRow
  selected: boolean
  onSelect: () => void
}

export function ClauseCard({ clause, selected, onSelect }: Props) {
  const view = useNegotiation()
  const status = view.status.clauses[clause.id]?.status ?? 'open'
  return (
    <article
      className={`clause-card${selected ? ' selected' : ''}`}
      aria-labelledby={`clause-${clause.id}`}
      data-clause-id={clause.id}
    >
      <div className="clause-head">
        <h3 id={`clause-${clause.id}`}>
          <button
            type="button"
            className="clause-select"
            onClick={onSelect}
            aria-pressed={selected}
          >
            <span className="clause-number">{clause.number}.</span> {clause.heading}
          </button>
        </h3>
        <StatusChip status={status} />
      </div>
      {status === 'tentatively-agreed' && <LockNote />}
      <ClauseText text={clause.text} />
    </article>
  )
}

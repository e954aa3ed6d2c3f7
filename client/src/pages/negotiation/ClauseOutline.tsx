/**
 * The current iteration's clause outline: one button per clause with its status chip, a marker
 * where my party has draft suggestions, and the count of open shared suggested changes (and my party's
 * draft changes). One Tab stop: Up and Down (Home, End) move between clauses, Enter
 * or Space chooses one (its panel opens and takes the focus).
 */
import { useEffect } from 'react'
import type { IterationDetail } from '../../api'
import { useRovingFocus } from '../../components/useRovingFocus'
import { useNegotiation } from './NegotiationContext'
import { StatusChip } from './StatusChip'

type ClauseRow = IterationDetail['clauses'][number]

export function ClauseOutline({
  clauses,
  selected,
  marked,
  counts,
  onChoose,
}: {
  clauses: readonly ClauseRow[]
  /** The selected clause, or null. */
  selected: string | null
  /** True for a clause where my party has draft suggestions. */
  marked: (clauseId: string) => boolean
  /** Open shared suggested changes on a clause and, for a party member, their party's draft changes. */
  counts?: (clauseId: string) => { shared: number; drafts: number }
  onChoose: (clauseId: string) => void
}) {
  const view = useNegotiation()
  const selectedIndex = clauses.findIndex((clause) => clause.id === selected)
  const roving = useRovingFocus(clauses.length, 'vertical', undefined, Math.max(0, selectedIndex))
  const { setStop } = roving
  // The stop follows the selection, wherever it was made.
  useEffect(() => {
    if (selectedIndex >= 0) setStop(selectedIndex)
  }, [selectedIndex, setStop])
  return (
    <nav className="left-pane outline" aria-label="Clauses">
      <h2 className="pane-title">Clauses</h2>
      <ol onKeyDown={roving.onKeyDown}>
        {clauses.map((clause, index) => (
          <li key={clause.id} className={`outline-level-${Math.min(clause.depth + 1, 6)}`}>
            <button
              type="button"
              className="outline-link"
              ref={roving.itemRef(index)}
              tabIndex={index === roving.stop ? 0 : -1}
              aria-current={clause.id === selected ? 'true' : undefined}
              aria-describedby={`outline-status-${clause.id}`}
              onClick={() => {
                setStop(index)
                onChoose(clause.id)
              }}
            >
              {clause.number}. {clause.heading}
              <SuggestionCount counts={counts?.(clause.id)} />
              {marked(clause.id) && (
                // A no-break space keeps the marker with the heading's last word.
                <span className="my-marker" title="My party has draft suggestions here">
                  {'\u00a0'}
                  <span aria-hidden="true">●</span>
                  <span className="visually-hidden">(my party has draft suggestions here)</span>
                </span>
              )}
            </button>
            <StatusChip
              status={view.status.clauses[clause.id]?.status ?? 'open'}
              id={`outline-status-${clause.id}`}
            />
          </li>
        ))}
      </ol>
    </nav>
  )
}

/** A clause's count of open shared changes (and my party's draft changes), when there are any. */
function SuggestionCount({ counts }: { counts: { shared: number; drafts: number } | undefined }) {
  if (!counts || (counts.shared === 0 && counts.drafts === 0)) return null
  const words = [
    counts.shared > 0
      ? `${counts.shared} open suggested ${counts.shared === 1 ? 'change' : 'changes'}`
      : '',
    counts.drafts > 0
      ? `${counts.drafts} draft ${counts.drafts === 1 ? 'change' : 'changes'} of my party`
      : '',
  ]
    .filter(Boolean)
    .join(', ')
  return (
    <span className="suggestion-count" title={words}>
      {'\u00a0'}
      {counts.shared > 0 && (
        <span className="count-shared" aria-hidden="true">
          {counts.shared}
        </span>
      )}
      {counts.drafts > 0 && (
        <span className="count-drafts" aria-hidden="true">
          ✎{counts.drafts}
        </span>
      )}
      <span className="visually-hidden">({words})</span>
    </span>
  )
}

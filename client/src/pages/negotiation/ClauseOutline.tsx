/**
 * The current iteration's clause outline: one button per clause with its status chip and a marker
 * where my party has a proposal. One Tab stop: Up and Down (Home, End) move between clauses, Enter
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
  onChoose,
}: {
  clauses: readonly ClauseRow[]
  /** The selected clause, or null. */
  selected: string | null
  /** True for a clause where my party has a proposal. */
  marked: (clauseId: string) => boolean
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
              {marked(clause.id) && (
                // A no-break space keeps the marker with the heading's last word.
                <span className="my-marker" title="My party has a proposal here">
                  {'\u00a0'}
                  <span aria-hidden="true">●</span>
                  <span className="visually-hidden">(my party has a proposal here)</span>
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

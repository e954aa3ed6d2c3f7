/**
 * The right-hand panel for the selected clause: for the mediator, the parties' shared suggestions
 * to accept or reject; the suggestions side by side with the current text; where the clause's words
 * came from; sign-off; votes; annotations.
 */
import { suggestionStatus } from '@onetext/shared/statusDoc'
import { useEffect, useRef } from 'react'
import type { IterationDetail } from '../../api'
import { formatMoment } from '../../components/dates'
import { LockNote } from '../../components/LockNote'
import { AnnotationsSection } from './AnnotationsSection'
import { ClauseHistorySection } from './ClauseHistorySection'
import { useNegotiation } from './NegotiationContext'
import { SignoffSection } from './SignoffSection'
import { SuggestionColumns } from './SuggestionColumns'
import { SuggestionReview } from './SuggestionReview'
import { VoteSection } from './VoteSection'

type ClauseRow = IterationDetail['clauses'][number]

export function ClausePanel({
  clause,
  takeFocus,
  onFocused,
}: {
  clause: ClauseRow
  /** The clause was just chosen: its heading here takes the focus. */
  takeFocus: boolean
  onFocused: () => void
}) {
  const view = useNegotiation()
  const state = view.status.clauses[clause.id]
  const shared = Object.values(view.status.suggestions).filter(
    (suggestion) => suggestion.clauseId === clause.id,
  )
  const openOfMine = shared.filter(
    (suggestion) =>
      suggestion.partyId === view.myParty?.id && suggestionStatus(suggestion) === 'shared',
  ).length
  const heading = useRef<HTMLHeadingElement>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: when asked
  useEffect(() => {
    if (!takeFocus) return
    // Beside the text the panel sticks in view, and the text must not jump; on a narrow window
    // (or zoomed in) it comes after the text, and the focus brings it into view.
    const element = heading.current
    if (!element) return
    const beside = element.parentElement
      ? getComputedStyle(element.parentElement).position === 'sticky'
      : false
    element.focus({ preventScroll: beside })
    onFocused()
  }, [takeFocus])
  return (
    <aside className="clause-panel" aria-label={`Clause ${clause.number}`}>
      <h2 ref={heading} tabIndex={-1}>
        <span className="clause-number">{clause.number}.</span> {clause.heading}
      </h2>
      {state?.status === 'tentatively-agreed' && <LockNote />}
      {view.isMediator && <SuggestionReview clauseId={clause.id} clauseNumber={clause.number} />}
      <SuggestionColumns clause={clause} />
      {state && state.provenance.length > 0 && (
        <section className="panel-section" aria-labelledby={`provenance-${clause.id}`}>
          <h3 id={`provenance-${clause.id}`}>Where the words came from</h3>
          <ul>
            {state.provenance.map((entry) => (
              <li key={`${entry.at}-${entry.suggestionId}-${entry.changeId ?? ''}`}>
                {entry.text ? `“${entry.text.trim()}”: ` : ''}
                {view.party(entry.partyId)?.name} suggestion
                {entry.authorName ? ` by ${entry.authorName}` : ''} accepted
                {entry.edited ? ' with edits' : ''} by {entry.adoptedByName} while Single Text{' '}
                {entry.iteration} was current ({formatMoment(entry.at)}).
              </li>
            ))}
          </ul>
        </section>
      )}
      <SignoffSection
        clauseId={clause.id}
        clauseNumber={clause.number}
        openSuggestions={openOfMine}
      />
      <VoteSection clauseId={clause.id} />
      <AnnotationsSection clauseId={clause.id} clauseText={clause.text} />
      <ClauseHistorySection
        negotiationId={view.detail.id}
        clauseId={clause.id}
        refreshKey={`${view.status.iterations.length}-${JSON.stringify(state ?? null).length}-${shared.length}`}
        partyName={(id) => view.party(id)?.name ?? id}
      />
    </aside>
  )
}

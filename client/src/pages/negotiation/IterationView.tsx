/**
 * The current iteration ("Single Text N"), read-only: an outline with status chips and counts of
 * suggestions, the text clause by clause or with the parties' shared suggestions in place, and the
 * panel of the selected clause.
 *
 * The keyboard: choosing a clause (in the outline or by its heading) moves the focus to its panel;
 * Alt+Down and Alt+Up in the text move to the next and previous clause's heading.
 */
import type { JSONContent } from '@tiptap/core'
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react'
import { formatMoment } from '../../components/dates'
import { typesText } from '../../components/KeyboardHelp'
import { ClauseCard } from './ClauseCard'
import { ClauseOutline } from './ClauseOutline'
import { ClausePanel } from './ClausePanel'
import { useNegotiation } from './NegotiationContext'
import { SuggestionOverlay } from './SuggestionOverlay'
import {
  currentOverlayItems,
  openChangeCounts,
  overlayParties,
  useDraftCounts,
} from './sharedSuggestions'

/** The keys that move from clause to clause in the text. */
export const NEXT_CLAUSE_KEY = 'Alt+ArrowDown'
export const PREVIOUS_CLAUSE_KEY = 'Alt+ArrowUp'

/** Scrolls clause `clauseId`'s card into view. */
function scrollToClause(clauseId: string): void {
  document.querySelector(`[data-clause-id="${clauseId}"]`)?.scrollIntoView({ block: 'start' })
}

export function IterationView({
  selected,
  onSelect,
}: {
  /** The selected clause (from the address), or null. */
  selected: string | null
  /** Selects a clause (changes the address). */
  onSelect: (clauseId: string) => void
}) {
  const view = useNegotiation()
  // A clause chosen on the page whose panel is to take the focus (once it is shown).
  const [focusPanel, setFocusPanel] = useState<string | null>(null)
  const iteration = view.iteration
  // A clause named in the address is brought into view once its card is there (a deep link, a
  // reload, back and forward); one chosen on the page is where the person already looks.
  const chosenHere = useRef<string | null>(null)
  const choose = (clauseId: string) => {
    chosenHere.current = clauseId
    if (clauseId !== selected) onSelect(clauseId)
  }
  const chooseAndFocus = (clauseId: string) => {
    choose(clauseId)
    setFocusPanel(clauseId)
  }
  const loaded = iteration !== null
  const overlay = useMemo(
    () => (iteration ? currentOverlayItems(view, iteration.number) : []),
    [view, iteration],
  )
  const overlayPartyList = useMemo(() => overlayParties(view), [view])
  // The text with the shared suggestions in place once there are any; clause by clause before.
  const [inPlace, setInPlace] = useState<boolean | null>(null)
  const hasSuggestions = Object.keys(view.status.suggestions).length > 0
  const showInPlace = hasSuggestions && (inPlace ?? overlay.length > 0)
  const sharedCounts = useMemo(
    () => openChangeCounts(view.status, iteration?.number ?? 0),
    [view.status, iteration],
  )
  const draftCounts = useDraftCounts(
    view,
    `${iteration?.number ?? 0}-${JSON.stringify(view.status.suggestions).length}`,
  )
  useEffect(() => {
    if (selected && loaded && selected !== chosenHere.current) scrollToClause(selected)
  }, [selected, loaded])
  if (!iteration) {
    return (
      <main className="page">
        <p>The mediator has not circulated a single text yet.</p>
      </main>
    )
  }
  const selectedClause = iteration.clauses.find((clause) => clause.id === selected) ?? null
  const mine = (clauseId: string) => (draftCounts.get(clauseId) ?? 0) > 0

  // Alt+Down / Alt+Up: the next / previous clause's heading, from wherever the focus is in the text.
  const moveBetweenClauses = (event: KeyboardEvent<HTMLElement>) => {
    if (!event.altKey || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return
    // In a text field the keys are the field's (paragraph moves on macOS).
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.shiftKey) return
    if (typesText(event.target)) return
    const card = (event.target as HTMLElement).closest<HTMLElement>('[data-clause-id]')
    const from = card?.dataset.clauseId ?? selected
    const at = iteration.clauses.findIndex((clause) => clause.id === from)
    const next =
      event.key === 'ArrowDown'
        ? iteration.clauses[at + 1]
        : iteration.clauses[at < 0 ? iteration.clauses.length - 1 : at - 1]
    if (!next) return
    event.preventDefault()
    const heading = document.querySelector<HTMLElement>(
      `[data-clause-id="${next.id}"] .clause-select`,
    )
    heading?.focus()
  }

  return (
    <div className="iteration-layout">
      <ClauseOutline
        clauses={iteration.clauses}
        selected={selected}
        marked={mine}
        counts={(clauseId) => ({
          shared: sharedCounts.get(clauseId) ?? 0,
          drafts: draftCounts.get(clauseId) ?? 0,
        })}
        onChoose={(clauseId) => {
          chooseAndFocus(clauseId)
          scrollToClause(clauseId)
        }}
      />
      <main className="iteration-main" onKeyDown={moveBetweenClauses}>
        {hasSuggestions && (
          <fieldset className="button-row view-mode">
            <legend className="visually-hidden">Show the text</legend>
            <button type="button" aria-pressed={!showInPlace} onClick={() => setInPlace(false)}>
              Clause by clause
            </button>
            <button type="button" aria-pressed={showInPlace} onClick={() => setInPlace(true)}>
              With shared suggestions in place
            </button>
          </fieldset>
        )}
        {showInPlace ? (
          <>
            <p className="muted">
              Single Text {iteration.number}, circulated {formatMoment(iteration.createdAt)}, with
              the parties’ shared suggestions.
            </p>
            <div className="paper iteration-paper">
              <SuggestionOverlay
                doc={iteration.doc as JSONContent}
                changes={overlay}
                parties={overlayPartyList}
                label={`Single Text ${iteration.number} with shared suggestions`}
                onCurrent={(item) => choose(item.clauseId)}
              />
            </div>
          </>
        ) : (
          <>
            <p className="muted">
              Single Text {iteration.number}, circulated {formatMoment(iteration.createdAt)}
              {iteration.note ? `: ${iteration.note}` : ''}
            </p>
            <div className="paper iteration-paper">
              {iteration.clauses.map((clause) => (
                <ClauseCard
                  key={clause.id}
                  clause={clause}
                  selected={clause.id === selected}
                  onSelect={() => chooseAndFocus(clause.id)}
                />
              ))}
            </div>
          </>
        )}
      </main>
      {selectedClause ? (
        <ClausePanel
          key={selectedClause.id}
          clause={selectedClause}
          takeFocus={focusPanel === selectedClause.id}
          onFocused={() => setFocusPanel(null)}
        />
      ) : (
        <aside className="clause-panel">
          <p className="muted">
            Choose a clause to see its alternatives, annotations, votes and sign-offs.
          </p>
        </aside>
      )}
    </div>
  )
}

/**
 * The current iteration ("Single Text N"), read-only, clause by clause: an outline with status
 * chips and markers, layer toggles that overlay each party's proposals as tracked changes, and
 * the panel of the selected clause.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { formatMoment } from '../../components/dates'
import { PartyName } from '../../components/PartyName'
import { ClauseCard } from './ClauseCard'
import { ClausePanel } from './ClausePanel'
import { useNegotiation } from './NegotiationContext'
import { StatusChip } from './StatusChip'
import { usePrivateProposals, visibleProposals } from './useClauseProposals'

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
  const privateProposals = usePrivateProposals()
  const proposals = useMemo(
    () => visibleProposals(view, privateProposals),
    [view, privateProposals],
  )
  // My own party's proposals are shown to start with; the mediator starts with every party's.
  const [shown, setShown] = useState<ReadonlySet<string>>(
    () =>
      new Set(
        view.isMediator
          ? view.detail.parties.map((party) => party.id)
          : view.myParty
            ? [view.myParty.id]
            : [],
      ),
  )
  const [proposing, setProposing] = useState<{ clauseId: string; proposalId: string } | null>(null)
  const iteration = view.iteration
  // A clause named in the address is brought into view once its card is there (a deep link, a
  // reload, back and forward); one chosen on the page is where the person already looks.
  const chosenHere = useRef<string | null>(null)
  const choose = (clauseId: string) => {
    chosenHere.current = clauseId
    if (clauseId !== selected) onSelect(clauseId)
  }
  const loaded = iteration !== null
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
  const objections = (clauseId: string) =>
    proposals.some(
      (proposal) => proposal.clauseId === clauseId && proposal.partyId === view.myParty?.id,
    )

  return (
    <div className="iteration-layout">
      <nav className="left-pane outline" aria-label="Clauses">
        <h2 className="pane-title">Clauses</h2>
        <ol>
          {iteration.clauses.map((clause) => (
            <li key={clause.id}>
              <button
                type="button"
                className="outline-link"
                aria-current={clause.id === selected ? 'true' : undefined}
                onClick={() => {
                  choose(clause.id)
                  scrollToClause(clause.id)
                }}
              >
                {clause.number}. {clause.heading}
                {objections(clause.id) && (
                  // A no-break space keeps the marker with the heading's last word.
                  <span className="my-marker" title="My party has a proposal here">
                    {'\u00a0'}
                    <span aria-hidden="true">●</span>
                    <span className="visually-hidden">(my party has a proposal here)</span>
                  </span>
                )}
              </button>
              <StatusChip status={view.status.clauses[clause.id]?.status ?? 'open'} />
            </li>
          ))}
        </ol>
      </nav>
      <main className="iteration-main">
        <fieldset className="layer-toggles">
          <legend className="pane-title">Show proposals of</legend>
          {view.detail.parties.map((party) => (
            <label key={party.id} className="layer-toggle">
              <input
                type="checkbox"
                checked={shown.has(party.id)}
                onChange={(event) => {
                  const next = new Set(shown)
                  if (event.target.checked) next.add(party.id)
                  else next.delete(party.id)
                  setShown(next)
                }}
              />
              <PartyName party={party} />
            </label>
          ))}
        </fieldset>
        <p className="muted">
          Single Text {iteration.number}, circulated {formatMoment(iteration.createdAt)}
          {iteration.note ? `: ${iteration.note}` : ''}
        </p>
        <div className="paper iteration-paper">
          {iteration.clauses.map((clause) => (
            <ClauseCard
              key={clause.id}
              clause={clause}
              proposals={proposals.filter((proposal) => proposal.clauseId === clause.id)}
              shownParties={shown}
              selected={clause.id === selected}
              proposing={proposing?.clauseId === clause.id ? proposing.proposalId : null}
              onSelect={() => choose(clause.id)}
              onPropose={(proposalId) => {
                choose(clause.id)
                setProposing(proposalId ? { clauseId: clause.id, proposalId } : null)
              }}
            />
          ))}
        </div>
      </main>
      {selectedClause ? (
        <ClausePanel key={selectedClause.id} clause={selectedClause} proposals={proposals} />
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

/**
 * The right-hand panel for the selected clause: alternatives side by side with the current text;
 * for the mediator, adopting a shared proposal whole or edited; where the clause's words came from;
 * sign-off; votes; annotations.
 */

import { useEffect, useRef, useState } from 'react'
import { adoptProposal, type IterationDetail } from '../../api'
import { ClauseText } from '../../components/ClauseText'
import { formatMoment } from '../../components/dates'
import { FormError } from '../../components/FormError'
import { LockNote } from '../../components/LockNote'
import { TrackedText } from '../../components/TrackedText'
import { useFormAction } from '../../components/useFormAction'
import { AnnotationsSection } from './AnnotationsSection'
import { ClauseHistorySection } from './ClauseHistorySection'
import { partyColor, useNegotiation } from './NegotiationContext'
import { ProposeButton } from './ProposeButton'
import { SignoffSection } from './SignoffSection'
import { SuggestionColumns } from './SuggestionColumns'
import { SuggestionReview } from './SuggestionReview'
import { proposalChoice, type VisibleProposal } from './useClauseProposals'
import { VoteSection } from './VoteSection'

type ClauseRow = IterationDetail['clauses'][number]

function AdoptControls({ proposal }: { proposal: VisibleProposal }) {
  const view = useNegotiation()
  const [editing, setEditing] = useState(false)
  const [text, setText] = useState(proposal.text)
  const { busy, error, run } = useFormAction()
  // Opening the edit puts the keyboard in the words; Cancel puts it back on "Adopt with edits".
  const words = useRef<HTMLTextAreaElement>(null)
  const editButton = useRef<HTMLButtonElement>(null)
  const wasEditing = useRef(false)
  useEffect(() => {
    if (editing) words.current?.focus()
    else if (wasEditing.current) editButton.current?.focus()
    wasEditing.current = editing
  }, [editing])
  if (proposal.state !== 'shared') return null
  return (
    <div className="adopt-controls">
      {editing ? (
        <>
          <label htmlFor={`adopt-${proposal.id}`}>Words to adopt into the working draft</label>
          <textarea
            ref={words}
            id={`adopt-${proposal.id}`}
            rows={5}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          <div className="button-row">
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() =>
                run(() =>
                  adoptProposal(
                    view.detail.id,
                    proposal.id,
                    text,
                    view.session('draft')?.clientState(),
                  ),
                )
              }
            >
              Adopt with these edits
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </>
      ) : (
        <div className="button-row">
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              run(() =>
                adoptProposal(
                  view.detail.id,
                  proposal.id,
                  null,
                  view.session('draft')?.clientState(),
                ),
              )
            }
          >
            Adopt as proposed
          </button>
          <button type="button" ref={editButton} onClick={() => setEditing(true)}>
            Adopt with edits…
          </button>
        </div>
      )}
      <FormError error={error} />
    </div>
  )
}

export function ClausePanel({
  clause,
  proposals,
  takeFocus,
  onFocused,
  proposing,
  focusProposeButton,
  onFocusTaken,
  onStartProposal,
}: {
  clause: ClauseRow
  proposals: VisibleProposal[]
  /** The clause was just chosen: its heading here takes the focus. */
  takeFocus: boolean
  onFocused: () => void
  /** My party's proposal on this clause is open in the text. */
  proposing: boolean
  /** The propose button takes the focus when shown (it opened the proposal just closed). */
  focusProposeButton: boolean
  onFocusTaken: () => void
  onStartProposal: () => void
}) {
  const view = useNegotiation()
  const state = view.status.clauses[clause.id]
  const alternatives = proposals.filter((proposal) => proposal.clauseId === clause.id)
  const { canPropose, mine } = proposalChoice(view, clause.id, proposals)
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
      <section className="panel-section" aria-labelledby={`alternatives-${clause.id}`}>
        <h3 id={`alternatives-${clause.id}`}>Alternatives side by side</h3>
        <div className="alternatives">
          <div className="alternative">
            <p className="proposal-meta">
              <strong>Single Text {view.iteration?.number}</strong> (current)
            </p>
            <ClauseText text={clause.text} />
          </div>
          {alternatives.map((proposal) => (
            <div
              key={proposal.id}
              className="alternative"
              style={{ borderTopColor: partyColor(view, proposal.partyId) }}
            >
              <p className="proposal-meta">
                <strong>{view.party(proposal.partyId)?.name}</strong>{' '}
                {proposal.state === 'draft'
                  ? '(private draft)'
                  : proposal.state === 'adopted'
                    ? '(adopted)'
                    : '(shared)'}
              </p>
              <TrackedText
                base={clause.text}
                text={proposal.text}
                color={partyColor(view, proposal.partyId)}
                condensed
              />
              {proposal.rationale && <p className="rationale">Interest: {proposal.rationale}</p>}
              {view.isMediator && <AdoptControls proposal={proposal} />}
            </div>
          ))}
        </div>
        {alternatives.length === 0 && (
          <p className="muted">No alternative language proposed yet.</p>
        )}
        {canPropose &&
          (proposing ? (
            <p className="muted">Your party’s proposal is open in the text, under the clause.</p>
          ) : (
            <ProposeButton
              clauseNumber={clause.number}
              editing={mine !== undefined}
              focusOnMount={focusProposeButton}
              onFocused={onFocusTaken}
              onStart={onStartProposal}
            />
          ))}
      </section>
      {state && state.provenance.length > 0 && (
        <section className="panel-section" aria-labelledby={`provenance-${clause.id}`}>
          <h3 id={`provenance-${clause.id}`}>Where the words came from</h3>
          <ul>
            {state.provenance.map((entry) => (
              <li key={`${entry.at}-${entry.proposalId}`}>
                {view.party(entry.partyId)?.name} proposal adopted
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
        openProposals={
          alternatives.filter(
            (proposal) => proposal.partyId === view.myParty?.id && proposal.state !== 'adopted',
          ).length
        }
      />
      <VoteSection clauseId={clause.id} proposals={alternatives} />
      <AnnotationsSection clauseId={clause.id} clauseText={clause.text} />
      <ClauseHistorySection
        negotiationId={view.detail.id}
        clauseId={clause.id}
        refreshKey={`${view.status.iterations.length}-${JSON.stringify(state ?? null).length}-${alternatives.length}`}
        partyName={(id) => view.party(id)?.name ?? id}
      />
    </aside>
  )
}

/**
 * One clause of the current iteration: number, heading, status, text, and the proposals of the
 * parties whose layers are toggled on, as tracked changes in each party's colour. A party member
 * can start a proposal here ("propose" mode edits the clause in place, in the party's layer).
 */

import type { IterationDetail } from '../../api'
import { ClauseText } from '../../components/ClauseText'
import { LockNote } from '../../components/LockNote'
import { TrackedText } from '../../components/TrackedText'
import { partyColor, useNegotiation } from './NegotiationContext'
import { ProposeButton } from './ProposeButton'
import { ProposeEditor } from './ProposeEditor'
import { StatusChip } from './StatusChip'
import { proposalChoice, type VisibleProposal } from './useClauseProposals'

type ClauseRow = IterationDetail['clauses'][number]

interface Props {
  clause: ClauseRow
  proposals: VisibleProposal[]
  shownParties: ReadonlySet<string>
  selected: boolean
  /** The id of my party's proposal open for editing here, or null. */
  proposing: string | null
  /** The propose button takes the focus when shown (it opened the proposal just closed). */
  focusProposeButton: boolean
  onFocusTaken: () => void
  onSelect: () => void
  onStartProposal: () => void
  onCloseProposal: () => void
}

export function ClauseCard({
  clause,
  proposals,
  shownParties,
  selected,
  proposing,
  focusProposeButton,
  onFocusTaken,
  onSelect,
  onStartProposal,
  onCloseProposal,
}: Props) {
  const view = useNegotiation()
  const status = view.status.clauses[clause.id]?.status ?? 'open'
  const { canPropose, mine } = proposalChoice(view, clause.id, proposals)

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
      {proposals
        .filter(
          (proposal) =>
            shownParties.has(proposal.partyId) &&
            proposal.state !== 'adopted' &&
            proposal.id !== proposing,
        )
        .map((proposal) => (
          <div
            key={proposal.id}
            className="tracked-proposal"
            style={{ borderColor: partyColor(view, proposal.partyId) }}
          >
            <p className="proposal-meta">
              <strong>{view.party(proposal.partyId)?.name}</strong>{' '}
              {proposal.state === 'draft' ? 'draft (private)' : 'proposal (shared)'} by{' '}
              {proposal.authorName}
            </p>
            <TrackedText
              base={clause.text}
              text={proposal.text}
              color={partyColor(view, proposal.partyId)}
            />
            {proposal.rationale && <p className="rationale">Interest: {proposal.rationale}</p>}
          </div>
        ))}
      {proposing && (
        <ProposeEditor proposalId={proposing} baseText={clause.text} onClose={onCloseProposal} />
      )}
      {!proposing && canPropose && (
        <ProposeButton
          clauseNumber={clause.number}
          editing={mine !== undefined}
          focusOnMount={focusProposeButton}
          onFocused={onFocusTaken}
          onStart={onStartProposal}
        />
      )}
    </article>
  )
}

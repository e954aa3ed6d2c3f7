/**
 * One clause of the current iteration: number, heading, status, text, and the proposals of the
 * parties whose layers are toggled on, as tracked changes in each party's colour. A party member
 * can start a proposal here ("propose" mode edits the clause in place, in the party's layer).
 */

import { createLayerProposal } from '@onetext/shared/layerDoc'
import { useEffect, useRef } from 'react'
import type { IterationDetail } from '../../api'
import { ClauseText } from '../../components/ClauseText'
import { TrackedText } from '../../components/TrackedText'
import { partyColor, useNegotiation } from './NegotiationContext'
import { ProposeEditor } from './ProposeEditor'
import { StatusChip } from './StatusChip'
import type { VisibleProposal } from './useClauseProposals'

type ClauseRow = IterationDetail['clauses'][number]

interface Props {
  clause: ClauseRow
  proposals: VisibleProposal[]
  shownParties: ReadonlySet<string>
  selected: boolean
  proposing: string | null
  onSelect: () => void
  onPropose: (proposalId: string | null) => void
}

export function ClauseCard({
  clause,
  proposals,
  shownParties,
  selected,
  proposing,
  onSelect,
  onPropose,
}: Props) {
  const view = useNegotiation()
  const state = view.status.clauses[clause.id]
  const status = state?.status ?? 'open'
  const layer = view.session('layer', view.myParty?.id)
  const canPropose = layer !== null && status !== 'tentatively-agreed'
  const mine = proposals.find(
    (proposal) => proposal.partyId === view.myParty?.id && proposal.state === 'draft',
  )

  // Closing the proposal puts the keyboard back on the button that opened it.
  const proposeButton = useRef<HTMLButtonElement>(null)
  const wasProposing = useRef(proposing !== null)
  useEffect(() => {
    if (wasProposing.current && proposing === null) proposeButton.current?.focus()
    wasProposing.current = proposing !== null
  }, [proposing])

  function startProposal() {
    if (mine) {
      onPropose(mine.id)
      return
    }
    if (!layer || !view.iteration) return
    const id = `p-${crypto.randomUUID()}`
    createLayerProposal(layer.doc, {
      id,
      clauseId: clause.id,
      baseIteration: view.iteration.number,
      baseText: clause.text,
      authorId: view.user.id,
      authorName: view.user.name,
    })
    onPropose(id)
  }

  return (
    <section
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
        <ProposeEditor
          proposalId={proposing}
          baseText={clause.text}
          onClose={() => onPropose(null)}
        />
      )}
      {!proposing && canPropose && (
        <div className="button-row">
          <button type="button" ref={proposeButton} onClick={startProposal}>
            {mine ? 'Edit our proposal' : 'Propose alternative language'}
            <span className="visually-hidden"> for clause {clause.number}</span>
          </button>
        </div>
      )}
    </section>
  )
}

/**
 * Votes on one clause: the mediator puts a shared proposal (or a question) to the table; members
 * vote yes, no or abstain; the closed vote's result, with dissents and abstentions, stays on record.
 */
import { useState } from 'react'
import { castBallot, closeVote, openVote } from '../../api'
import { useFormAction } from '../../components/useFormAction'
import { useNegotiation } from './NegotiationContext'
import type { VisibleProposal } from './useClauseProposals'

export function VoteSection({
  clauseId,
  proposals,
}: {
  clauseId: string
  proposals: VisibleProposal[]
}) {
  const view = useNegotiation()
  const { busy, error, run } = useFormAction()
  const shared = proposals.filter((proposal) => proposal.state !== 'draft')
  const [proposalId, setProposalId] = useState<string>('')
  const votes = (view.status.clauses[clauseId]?.votes ?? [])
    .map((id) => view.status.votes[id])
    .filter((vote) => vote !== undefined)
  return (
    <section className="panel-section" aria-labelledby={`votes-${clauseId}`}>
      <h3 id={`votes-${clauseId}`}>Votes</h3>
      {votes.length === 0 && <p className="muted">No vote yet.</p>}
      {votes.map((vote) => {
        const mine = vote.ballots[view.user.id]
        return (
          <div key={vote.id} className="vote">
            <p>
              <strong>{vote.question}</strong> {vote.closedAt ? '(closed)' : '(open)'}
            </p>
            {vote.result ? (
              <p>
                {vote.result.outcome === 'carried' ? 'Carried' : 'Failed'}: {vote.result.yes} yes,{' '}
                {vote.result.no} no, {vote.result.abstain} abstain.
                {vote.result.dissents.length > 0 &&
                  ` Dissents: ${vote.result.dissents.join(', ')}.`}
                {vote.result.abstentions.length > 0 &&
                  ` Abstentions: ${vote.result.abstentions.join(', ')}.`}
              </p>
            ) : (
              <p className="muted">{Object.keys(vote.ballots).length} ballots so far.</p>
            )}
            {!vote.closedAt && view.myParty && (
              <fieldset className="button-row">
                <legend className="visually-hidden">Your vote on: {vote.question}</legend>
                {(['yes', 'no', 'abstain'] as const).map((choice) => (
                  <button
                    key={choice}
                    type="button"
                    aria-pressed={mine?.choice === choice}
                    disabled={busy}
                    onClick={() => run(() => castBallot(view.detail.id, vote.id, choice))}
                  >
                    {choice === 'yes' ? 'Yes' : choice === 'no' ? 'No' : 'Abstain'}
                  </button>
                ))}
              </fieldset>
            )}
            {!vote.closedAt && view.isMediator && (
              <button
                type="button"
                disabled={busy}
                onClick={() => run(() => closeVote(view.detail.id, vote.id))}
              >
                Close the vote
              </button>
            )}
          </div>
        )
      })}
      {view.isMediator && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault()
            const proposal = shared.find((candidate) => candidate.id === proposalId)
            const question = proposal
              ? `Adopt the ${view.party(proposal.partyId)?.name} proposal?`
              : 'Accept the clause as it stands?'
            void run(() =>
              openVote(view.detail.id, { clauseId, proposalId: proposal?.id ?? null, question }),
            )
          }}
        >
          <label htmlFor={`vote-on-${clauseId}`}>Put to a vote</label>
          <select
            id={`vote-on-${clauseId}`}
            value={proposalId}
            onChange={(event) => setProposalId(event.target.value)}
          >
            <option value="">The clause as it stands</option>
            {shared.map((proposal) => (
              <option key={proposal.id} value={proposal.id}>
                {view.party(proposal.partyId)?.name} proposal
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy}>
            Open vote
          </button>
        </form>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

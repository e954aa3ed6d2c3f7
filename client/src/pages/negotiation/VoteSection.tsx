/**
 * Votes on one clause: the mediator puts a shared suggestion (or a question) to the table under a
 * rule; members vote within their party (PartyVote); the closed vote's result is each party's
 * position and the outcome, never a member's name.
 */
import { suggestionStatus } from '@onetext/shared/statusDoc'
import type { VoteRule } from '@onetext/shared/votes'
import { useState } from 'react'
import { closeVote, openVote } from '../../api'
import { ConfirmButton } from '../../components/ConfirmButton'
import { FormError } from '../../components/FormError'
import { useFormAction } from '../../components/useFormAction'
import { useNegotiation } from './NegotiationContext'
import { PartyVote } from './PartyVote'
import { describeOutcome, describePosition } from './voteSummary'

export function VoteSection({ clauseId }: { clauseId: string }) {
  const view = useNegotiation()
  const { busy, error, run } = useFormAction()
  const shared = Object.values(view.status.suggestions).filter(
    (suggestion) => suggestion.clauseId === clauseId && suggestionStatus(suggestion) === 'shared',
  )
  const [suggestionId, setSuggestionId] = useState<string>('')
  const [rule, setRule] = useState<VoteRule>('consensus')
  const votes = (view.status.clauses[clauseId]?.votes ?? [])
    .map((id) => view.status.votes[id])
    .filter((vote) => vote !== undefined)
  return (
    <section className="panel-section" aria-labelledby={`votes-${clauseId}`}>
      <h3 id={`votes-${clauseId}`}>Votes</h3>
      {votes.length === 0 && <p className="muted">No vote yet.</p>}
      {votes.map((vote) => (
        <div key={vote.id} className="vote">
          <p>
            <strong>{vote.question}</strong> {vote.closedAt ? '(closed)' : '(open)'}
          </p>
          {vote.result ? (
            <>
              <p>{describeOutcome(vote.result.outcome, vote.rule)}.</p>
              <ul className="party-positions">
                {vote.result.parties.map((party) => (
                  <li key={party.partyId}>
                    {describePosition(party, view.party(party.partyId)?.name ?? party.partyId)}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">
              Decided by{' '}
              {vote.rule === 'majority' ? 'a majority of the parties' : 'consensus of the parties'}.
            </p>
          )}
          {!vote.closedAt && view.myParty && <PartyVote vote={vote} />}
          {!vote.closedAt && view.isMediator && (
            <ConfirmButton
              label="Close the vote"
              confirmLabel="Close it"
              disabled={busy}
              what="No more ballots are taken. The table sees each party's position and the outcome; the parties' ballots stay in their caucus notes."
              onConfirm={() => void run(() => closeVote(view.detail.id, vote.id))}
            />
          )}
        </div>
      ))}
      {view.isMediator && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault()
            const suggestion = shared.find((candidate) => candidate.id === suggestionId)
            const question = suggestion
              ? `Accept the ${view.party(suggestion.partyId)?.name} suggestion?`
              : 'Accept the clause as it stands?'
            void run(() =>
              openVote(view.detail.id, {
                clauseId,
                suggestionId: suggestion?.id ?? null,
                question,
                rule,
              }),
            )
          }}
        >
          <label htmlFor={`vote-on-${clauseId}`}>Put to a vote</label>
          <select
            id={`vote-on-${clauseId}`}
            value={suggestionId}
            onChange={(event) => setSuggestionId(event.target.value)}
          >
            <option value="">The clause as it stands</option>
            {shared.map((suggestion) => (
              <option key={suggestion.id} value={suggestion.id}>
                {view.party(suggestion.partyId)?.name} suggestion (Single Text{' '}
                {suggestion.iteration})
              </option>
            ))}
          </select>
          <label htmlFor={`vote-rule-${clauseId}`}>Decided by</label>
          <select
            id={`vote-rule-${clauseId}`}
            value={rule}
            onChange={(event) => setRule(event.target.value as VoteRule)}
          >
            <option value="consensus">Consensus of the parties</option>
            <option value="majority">A majority of the parties</option>
          </select>
          <button type="submit" disabled={busy}>
            Open vote
          </button>
        </form>
      )}
      <FormError error={error} />
    </section>
  )
}

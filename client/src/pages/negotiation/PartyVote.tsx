/**
 * My party's side of an open vote: my ballot, the party's ballots so far (read from the party's
 * caucus document: only the party sees them), and for the lead, what the table will see of the
 * party when the vote closes (its tally or not, and a written dissent).
 */

import type { Vote } from '@onetext/shared/statusDoc'
import {
  type PartyBallot,
  type PartyStance,
  readPartyBallots,
  readPartyStance,
  tallyOf,
} from '@onetext/shared/votes'
import { useEffect, useState } from 'react'
import { castBallot, setVoteStance } from '../../api'
import { useYValue } from '../../collab/useYValue'
import { FormError } from '../../components/FormError'
import { useFormAction } from '../../components/useFormAction'
import { useNegotiation } from './NegotiationContext'

const NO_BALLOTS: PartyBallot[] = []
const NO_STANCE: PartyStance = { showTally: false, dissent: '' }

export function PartyVote({ vote }: { vote: Vote }) {
  const view = useNegotiation()
  const { busy, error, run } = useFormAction()
  const caucus = view.session('caucus', view.myParty?.id)?.doc ?? null
  const ballots = useYValue(caucus, (doc) => readPartyBallots(doc, vote.id), NO_BALLOTS)
  const stance = useYValue(caucus, (doc) => readPartyStance(doc, vote.id), NO_STANCE)
  /** The lead's choice of showing the tally while the party's record catches up with it. */
  const [wantTally, setWantTally] = useState<boolean | null>(null)
  useEffect(() => {
    if (wantTally !== null && stance.showTally === wantTally) setWantTally(null)
  }, [stance.showTally, wantTally])
  const [dissent, setDissent] = useState(stance.dissent)
  useEffect(() => setDissent(stance.dissent), [stance.dissent])
  const mine = ballots.find((ballot) => ballot.userId === view.user.id)
  const tally = tallyOf(ballots)
  const party = view.myParty?.name ?? 'Your party'
  return (
    <div className="party-vote">
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
      <p className="muted">
        {party} so far (only {party} sees this): {tally.yes} yes, {tally.no} no, {tally.abstain}{' '}
        abstain
        {ballots.length > 0 &&
          ` (${ballots.map((ballot) => `${ballot.name}: ${ballot.choice}`).join(', ')})`}
        . The table will see the party’s position
        {stance.showTally ? ' and this tally' : ', not the tally'}, never names.
      </p>
      {view.isLead && (
        <div className="inline-form">
          <label className="checkbox-label">
            <input
              type="checkbox"
              checked={wantTally ?? stance.showTally}
              disabled={busy}
              onChange={(event) => {
                const showTally = event.target.checked
                // Shown at once; the party's record (the caucus document) follows, or it is undone.
                setWantTally(showTally)
                void run(() =>
                  setVoteStance(view.detail.id, vote.id, { showTally }).catch((error: unknown) => {
                    setWantTally(null)
                    throw error
                  }),
                )
              }}
            />{' '}
            Show our tally to the table
          </label>
          <label htmlFor={`dissent-${vote.id}`}>Written dissent (shown to the table)</label>
          <input
            id={`dissent-${vote.id}`}
            value={dissent}
            maxLength={2000}
            onChange={(event) => setDissent(event.target.value)}
          />
          <button
            type="button"
            disabled={busy || dissent === stance.dissent}
            onClick={() => run(() => setVoteStance(view.detail.id, vote.id, { dissent }))}
          >
            Save dissent
          </button>
        </div>
      )}
      <FormError error={error} />
    </div>
  )
}

/**
 * Sign-off of one clause: each party's initials (or how long it has waited), the lead's "sign for
 * my party" (asked first, with a warning while the party still has an open suggestion or objection
 * on the clause), and reopening a tentatively agreed clause by every lead's consent, which a lead
 * may decline with a reason.
 */
import { readAnnotations } from '@onetext/shared/annotations'
import { useState } from 'react'
import { consentReopen, declineReopen, requestReopen, signClause } from '../../api'
import { useYValue } from '../../collab/useYValue'
import { ConfirmButton } from '../../components/ConfirmButton'
import { formatMoment } from '../../components/dates'
import { FormError } from '../../components/FormError'
import { PartyName } from '../../components/PartyName'
import { useFormAction } from '../../components/useFormAction'
import { partyColor, useNegotiation } from './NegotiationContext'
import { waitedFor } from './StatusChip'

export function SignoffSection({
  clauseId,
  clauseNumber,
  openSuggestions,
}: {
  clauseId: string
  clauseNumber: string
  /** My party's shared suggestions on this clause that are still open. */
  openSuggestions: number
}) {
  const view = useNegotiation()
  const state = view.status.clauses[clauseId]
  const [initials, setInitials] = useState(() =>
    view.user.name
      .split(/\s+/)
      .map((part) => part[0] ?? '')
      .join('')
      .toUpperCase(),
  )
  const [reason, setReason] = useState('')
  const [declineReason, setDeclineReason] = useState('')
  const table = view.session('table')?.doc ?? null
  const openObjections = useYValue(
    table,
    (doc) =>
      readAnnotations(doc).filter(
        (annotation) =>
          annotation.clauseId === clauseId &&
          annotation.kind === 'objection' &&
          !annotation.resolved &&
          annotation.partyId === view.myParty?.id,
      ).length,
    0,
  )
  const open = [
    openSuggestions > 0
      ? `${openSuggestions} open suggestion${openSuggestions > 1 ? 's' : ''}`
      : null,
    openObjections > 0
      ? `${openObjections} unresolved objection${openObjections > 1 ? 's' : ''} at the table`
      : null,
  ].filter((part) => part !== null)
  const signWarning =
    open.length > 0
      ? `${view.myParty?.name} still has ${open.join(' and ')} on clause ${clauseNumber}. Initialling says your party accepts the words as they stand.`
      : null
  const { busy, error, run } = useFormAction()
  const agreed = state?.status === 'tentatively-agreed'
  const myParty = view.myParty?.id
  const reopen = state?.reopen ?? null
  // My party's initials are on the words as they stand (those of the current iteration).
  const signedNow =
    myParty !== undefined &&
    state?.signoffs[myParty]?.iteration !== undefined &&
    state.signoffs[myParty]?.iteration === view.iteration?.number
  const signDisabled = busy || initials.trim() === ''
  const myColor = partyColor(view, myParty)
  return (
    <section className="panel-section" aria-labelledby={`signoff-${clauseId}`}>
      <h3 id={`signoff-${clauseId}`}>Sign-off</h3>
      <ul className="signoff-list">
        {view.detail.parties.map((party) => {
          const signoff = state?.signoffs[party.id]
          return (
            <li key={party.id} className="signoff-item">
              <PartyName party={party} />:{' '}
              {signoff ? (
                <strong>
                  initialled {signoff.initials} ({signoff.name}, {formatMoment(signoff.at)}, Single
                  Text {signoff.iteration})
                </strong>
              ) : (
                <span className="muted">
                  not yet{state ? `, waiting ${waitedFor(state.statusSince)}` : ''}
                </span>
              )}
            </li>
          )
        })}
      </ul>
      {view.isLead && myParty && !agreed && signedNow && (
        <p>{view.myParty?.name} initialled these words; the clause waits for the other parties.</p>
      )}
      {view.isLead && myParty && !agreed && !signedNow && (
        <form className="inline-form" onSubmit={(event) => event.preventDefault()}>
          <label htmlFor={`initials-${clauseId}`}>Initials</label>
          <input
            id={`initials-${clauseId}`}
            value={initials}
            maxLength={8}
            onChange={(event) => setInitials(event.target.value)}
          />
          <ConfirmButton
            label={`Sign clause ${clauseNumber} for ${view.myParty?.name}`}
            confirmLabel={`Initial clause ${clauseNumber}`}
            primary
            disabled={signDisabled}
            // In the party's colour (white words on it keep 4.5:1); disabled, grey like every
            // disabled button, since grey words on the colour could not be read.
            style={signDisabled ? undefined : { backgroundColor: myColor, borderColor: myColor }}
            warning={signWarning}
            what={`Your initials (${initials}) go on clause ${clauseNumber} for ${view.myParty?.name}, for everyone at the table to see. When every party has initialled the same words, the clause is tentatively agreed and locked.`}
            onConfirm={() =>
              void run(() =>
                signClause(
                  view.detail.id,
                  clauseId,
                  initials,
                  view.session('status')?.clientState(),
                ),
              )
            }
          />
        </form>
      )}
      {agreed && !reopen && (view.isLead || view.isMediator) && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault()
            void run(() => requestReopen(view.detail.id, clauseId, reason))
          }}
        >
          <label htmlFor={`reopen-${clauseId}`}>Reason to reopen</label>
          <input
            id={`reopen-${clauseId}`}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
          <button type="submit" disabled={busy}>
            Ask to reopen
          </button>
        </form>
      )}
      {reopen && (
        <div className="reopen-request">
          <p>
            {reopen.requestedByName} asked to reopen this clause
            {reopen.reason ? `: “${reopen.reason}”` : ''}. Consent:{' '}
            {view.detail.parties
              .map((party) => `${party.name} ${reopen.consents[party.id] ? 'yes' : 'pending'}`)
              .join(', ')}
            .
          </p>
          {view.isLead && myParty && !reopen.consents[myParty] && (
            <>
              <ConfirmButton
                label={`Consent to reopen for ${view.myParty?.name}`}
                confirmLabel="Consent to reopen"
                disabled={busy}
                what={`Once every party consents, clause ${clauseNumber} is open to change again and every party's initials on it are cleared.`}
                onConfirm={() => void run(() => consentReopen(view.detail.id, clauseId))}
              />
              <form
                className="inline-form"
                onSubmit={(event) => {
                  event.preventDefault()
                  void run(() => declineReopen(view.detail.id, clauseId, declineReason))
                }}
              >
                <label htmlFor={`decline-${clauseId}`}>Reason to decline</label>
                <input
                  id={`decline-${clauseId}`}
                  value={declineReason}
                  onChange={(event) => setDeclineReason(event.target.value)}
                />
                <button type="submit" disabled={busy || declineReason.trim() === ''}>
                  Decline for {view.myParty?.name}
                </button>
              </form>
            </>
          )}
        </div>
      )}
      {!reopen && state?.reopenDeclined && (
        <p className="muted">
          {view.party(state.reopenDeclined.partyId)?.name} declined{' '}
          {state.reopenDeclined.requestedByName}’s request to reopen: “{state.reopenDeclined.reason}
          ”
        </p>
      )}
      <FormError error={error} />
    </section>
  )
}

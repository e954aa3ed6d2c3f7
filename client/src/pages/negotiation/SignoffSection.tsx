/**
 * Sign-off of one clause: each party's initials (or how long it has waited), the lead's "sign for
 * my party", and reopening a tentatively agreed clause by every lead's consent.
 */
import { useState } from 'react'
import { consentReopen, requestReopen, signClause } from '../../api'
import { PartyName } from '../../components/PartyName'
import { useFormAction } from '../../components/useFormAction'
import { partyColor, useNegotiation } from './NegotiationContext'
import { waitedFor } from './StatusChip'

export function SignoffSection({
  clauseId,
  clauseNumber,
}: {
  clauseId: string
  clauseNumber: string
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
  const { busy, error, run } = useFormAction()
  const agreed = state?.status === 'tentatively-agreed'
  const myParty = view.myParty?.id
  const reopen = state?.reopen ?? null
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
                  initialled {signoff.initials} ({signoff.name},{' '}
                  {new Date(signoff.at).toLocaleString()}, Single Text {signoff.iteration})
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
      {view.isLead && myParty && !agreed && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault()
            void run(() =>
              signClause(view.detail.id, clauseId, initials, view.session('status')?.clientState()),
            )
          }}
        >
          <label htmlFor={`initials-${clauseId}`}>Initials</label>
          <input
            id={`initials-${clauseId}`}
            value={initials}
            maxLength={8}
            onChange={(event) => setInitials(event.target.value)}
          />
          <button
            type="submit"
            className="primary"
            disabled={busy}
            style={{ backgroundColor: partyColor(view, myParty) }}
          >
            Sign clause {clauseNumber} for {view.myParty?.name}
          </button>
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
            <button
              type="button"
              disabled={busy}
              onClick={() => run(() => consentReopen(view.detail.id, clauseId))}
            >
              Consent to reopen for {view.myParty?.name}
            </button>
          )}
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

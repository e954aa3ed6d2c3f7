/**
 * The status board: the iterations, newest first (the mediator publishes them to the local tables
 * here); per clause (each a link to it in the current text) and per party, where things stand and
 * how long each item has waited; each party's last response; and "agreement reached" once every
 * clause is tentatively agreed.
 */
import { suggestionStatus } from '@onetext/shared/statusDoc'
import { publishIteration } from '../../api'
import { ConfirmButton } from '../../components/ConfirmButton'
import { formatMoment } from '../../components/dates'
import { FormError } from '../../components/FormError'
import { PartyName } from '../../components/PartyName'
import { useFormAction } from '../../components/useFormAction'
import { navigate } from '../../routing'
import { useNegotiation } from './NegotiationContext'
import { IterationExports } from './PublishedView'
import { StatusChip, waitedFor } from './StatusChip'
import { viewPath } from './viewRoute'

export function StatusBoard() {
  const view = useNegotiation()
  const { busy, error, run } = useFormAction()
  const clauses = view.iteration?.clauses ?? []
  const current = view.iteration?.number ?? 0
  const suggestionsOf = (clauseId: string, partyId: string) =>
    Object.values(view.status.suggestions).filter(
      (suggestion) =>
        suggestion.clauseId === clauseId &&
        suggestion.partyId === partyId &&
        suggestionStatus(suggestion) === 'shared',
    ).length
  return (
    <main className="page wide">
      <h2>Status board</h2>
      {view.status.agreementReachedAt !== null ? (
        <p className="agreement-banner" role="status">
          Agreement reached: every clause is tentatively agreed (
          {formatMoment(view.status.agreementReachedAt)}). Nothing is agreed until everything is
          agreed, and now everything is.
        </p>
      ) : (
        <p className="muted">
          {
            clauses.filter(
              (clause) => view.status.clauses[clause.id]?.status === 'tentatively-agreed',
            ).length
          }{' '}
          of {clauses.length} clauses tentatively agreed.
        </p>
      )}
      <h3>Iterations and publication</h3>
      <ul className="iteration-list">
        {[...view.status.iterations].reverse().map((meta) => (
          <li key={meta.number} className="iteration-item">
            <p className="iteration-summary">
              <strong>Single Text {meta.number}</strong>, {formatMoment(meta.createdAt)}
              {meta.note ? `: ${meta.note}` : ''}{' '}
              {meta.published ? '(published to local tables)' : ''}
            </p>
            <IterationExports negotiationId={view.detail.id} number={meta.number} />
            {view.isMediator && (
              <ConfirmButton
                label={
                  meta.published
                    ? `Withdraw Single Text ${meta.number} from local tables`
                    : `Publish Single Text ${meta.number} to local tables`
                }
                confirmLabel={meta.published ? 'Withdraw it' : 'Publish it'}
                disabled={busy}
                what={
                  meta.published
                    ? `The local tables will no longer read Single Text ${meta.number}.`
                    : `The local tables (observers) will read Single Text ${meta.number} and its note for the published record, and compare it with the other published texts.`
                }
                onConfirm={() =>
                  void run(() => publishIteration(view.detail.id, meta.number, !meta.published))
                }
              />
            )}
          </li>
        ))}
      </ul>
      <FormError error={error} />
      <h3>Clauses</h3>
      <table className="status-board">
        <thead>
          <tr>
            <th scope="col">Clause</th>
            <th scope="col">Status</th>
            <th scope="col">Waiting</th>
            {view.detail.parties.map((party) => (
              <th key={party.id} scope="col">
                <PartyName party={party} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {clauses.map((clause) => {
            const state = view.status.clauses[clause.id]
            return (
              <tr key={clause.id} data-clause-id={clause.id}>
                <th scope="row">
                  <a
                    href={viewPath(view.detail.id, { view: 'text', clauseId: clause.id })}
                    onClick={(event) => {
                      event.preventDefault()
                      navigate(viewPath(view.detail.id, { view: 'text', clauseId: clause.id }))
                    }}
                  >
                    {clause.number}. {clause.heading}
                  </a>
                </th>
                <td>
                  <StatusChip status={state?.status ?? 'open'} />
                </td>
                <td>
                  {state?.status === 'tentatively-agreed' ? '' : waitedFor(state?.statusSince)}
                </td>
                {view.detail.parties.map((party) => {
                  const signoff = state?.signoffs[party.id]
                  const count = suggestionsOf(clause.id, party.id)
                  return (
                    <td key={party.id}>
                      {signoff ? `Signed ${signoff.initials}` : 'Not signed'}
                      {count > 0 ? `, ${count} open suggestion${count > 1 ? 's' : ''}` : ''}
                      {state?.reopen
                        ? state.reopen.consents[party.id]
                          ? ', consents to reopen'
                          : ', reopen pending'
                        : ''}
                    </td>
                  )
                })}
              </tr>
            )
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Last responded to
            </th>
            {view.detail.parties.map((party) => {
              const responded = view.status.responses[party.id]
              return (
                <td key={party.id}>
                  {responded
                    ? `Single Text ${responded}${responded < current ? ` (current is ${current})` : ''}`
                    : 'Not yet'}
                </td>
              )
            })}
          </tr>
        </tfoot>
      </table>
    </main>
  )
}

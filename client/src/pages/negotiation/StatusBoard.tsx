/**
 * The status board: per clause and per party, where things stand and how long each item has
 * waited; each party's last response; the iterations (the mediator publishes them to observers);
 * and "agreement reached" once every clause is tentatively agreed.
 */
import { publishIteration } from '../../api'
import { ConfirmButton } from '../../components/ConfirmButton'
import { FormError } from '../../components/FormError'
import { PartyName } from '../../components/PartyName'
import { useFormAction } from '../../components/useFormAction'
import { useNegotiation } from './NegotiationContext'
import { IterationExports } from './PublishedView'
import { StatusChip, waitedFor } from './StatusChip'

export function StatusBoard() {
  const view = useNegotiation()
  const { busy, error, run } = useFormAction()
  const clauses = view.iteration?.clauses ?? []
  const current = view.iteration?.number ?? 0
  const proposalsOf = (clauseId: string, partyId: string) =>
    Object.values(view.status.proposals).filter(
      (proposal) => proposal.clauseId === clauseId && proposal.partyId === partyId,
    ).length
  return (
    <main className="page wide">
      <h2>Status board</h2>
      {view.status.agreementReachedAt !== null ? (
        <p className="agreement-banner" role="status">
          Agreement reached: every clause is tentatively agreed (
          {new Date(view.status.agreementReachedAt).toLocaleString()}). Nothing is agreed until
          everything is agreed, and now everything is.
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
                  {clause.number}. {clause.heading}
                </th>
                <td>
                  <StatusChip status={state?.status ?? 'open'} />
                </td>
                <td>
                  {state?.status === 'tentatively-agreed' ? '' : waitedFor(state?.statusSince)}
                </td>
                {view.detail.parties.map((party) => {
                  const signoff = state?.signoffs[party.id]
                  const count = proposalsOf(clause.id, party.id)
                  return (
                    <td key={party.id}>
                      {signoff ? `Signed ${signoff.initials}` : 'Not signed'}
                      {count > 0 ? `, ${count} proposal${count > 1 ? 's' : ''}` : ''}
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
      <h2>Iterations</h2>
      <ul className="iteration-list">
        {view.status.iterations.map((meta) => (
          <li key={meta.number} className="iteration-item">
            <p className="iteration-summary">
              <strong>Single Text {meta.number}</strong>,{' '}
              {new Date(meta.createdAt).toLocaleString()}
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
    </main>
  )
}

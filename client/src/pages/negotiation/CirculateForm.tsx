/**
 * The mediator circulates the working draft as the next numbered iteration, with a note to the
 * table and, separately, a note for the published record (all that local tables read of it).
 * Before it acts it says what will happen: the clauses changed since the last iteration.
 */
import { useState } from 'react'
import { circulateIteration } from '../../api'
import { ConfirmButton } from '../../components/ConfirmButton'
import { FormError } from '../../components/FormError'
import { useFormAction } from '../../components/useFormAction'
import { DraftRedline } from './DraftRedline'
import { changesSince } from './draftChanges'
import { useNegotiation } from './NegotiationContext'

const CHANGE_WORDS = { added: 'new', changed: 'changed', moved: 'moved', removed: 'removed' }

export function CirculateForm() {
  const view = useNegotiation()
  const [note, setNote] = useState('')
  const [publishedNote, setPublishedNote] = useState('')
  const { busy, error, run } = useFormAction()
  const next = (view.status.iterations[view.status.iterations.length - 1]?.number ?? 0) + 1
  const draft = view.session('draft')
  const summary = () => {
    const changes = draft ? changesSince(draft.doc, view.iteration) : []
    return (
      <>
        <p>
          Single Text {next} goes to everyone at the table and cannot be changed afterwards.{' '}
          {next === 1
            ? `It holds ${changes.length} clauses.`
            : changes.length === 0
              ? `No clause changed since Single Text ${next - 1}.`
              : `Changed since Single Text ${next - 1}:`}
        </p>
        {next > 1 && changes.length > 0 && (
          <ul className="circulate-changes">
            {changes.map((clause) => (
              <li key={clause.id}>
                {clause.number ?? clause.fromNumber}. {clause.heading} (
                {CHANGE_WORDS[clause.change as keyof typeof CHANGE_WORDS]})
              </li>
            ))}
          </ul>
        )}
        {next > 1 && changes.length > 0 && (
          <DraftRedline
            changes={changes}
            since={next - 1}
            negotiationId={view.detail.id}
            partyName={(id) => view.party(id)?.name ?? id}
          />
        )}
      </>
    )
  }
  return (
    <form className="circulate-form inline-form" onSubmit={(event) => event.preventDefault()}>
      <label htmlFor="circulate-note">Note to the table on Single Text {next}</label>
      <input id="circulate-note" value={note} onChange={(event) => setNote(event.target.value)} />
      <label htmlFor="circulate-published-note">Note for the published record (local tables)</label>
      <input
        id="circulate-published-note"
        value={publishedNote}
        onChange={(event) => setPublishedNote(event.target.value)}
      />
      <ConfirmButton
        label={`Circulate as Single Text ${next}`}
        confirmLabel={`Circulate Single Text ${next}`}
        primary
        disabled={busy}
        what={summary}
        onConfirm={() =>
          void run(async () => {
            await circulateIteration(view.detail.id, note, publishedNote, draft?.clientState())
            setNote('')
            setPublishedNote('')
          })
        }
      />
      <FormError error={error} />
    </form>
  )
}

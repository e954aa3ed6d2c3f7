/**
 * The mediator circulates the working draft as the next numbered iteration, with a note to the
 * table and, separately, a note for the published record (all that local tables read of it).
 */
import { useState } from 'react'
import { circulateIteration } from '../../api'
import { useFormAction } from '../../components/useFormAction'
import { useNegotiation } from './NegotiationContext'

export function CirculateForm() {
  const view = useNegotiation()
  const [note, setNote] = useState('')
  const [publishedNote, setPublishedNote] = useState('')
  const { busy, error, run } = useFormAction()
  const next = (view.status.iterations[view.status.iterations.length - 1]?.number ?? 0) + 1
  return (
    <form
      className="circulate-form inline-form"
      onSubmit={(event) => {
        event.preventDefault()
        void run(async () => {
          await circulateIteration(
            view.detail.id,
            note,
            publishedNote,
            view.session('draft')?.clientState(),
          )
          setNote('')
          setPublishedNote('')
        })
      }}
    >
      <label htmlFor="circulate-note">Note to the table on Single Text {next}</label>
      <input id="circulate-note" value={note} onChange={(event) => setNote(event.target.value)} />
      <label htmlFor="circulate-published-note">Note for the published record (local tables)</label>
      <input
        id="circulate-published-note"
        value={publishedNote}
        onChange={(event) => setPublishedNote(event.target.value)}
      />
      <button type="submit" className="primary" disabled={busy}>
        Circulate as Single Text {next}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}

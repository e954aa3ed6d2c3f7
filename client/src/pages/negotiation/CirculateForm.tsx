/**
 * The mediator circulates the working draft as the next numbered iteration, with a note.
 */
import { useState } from 'react'
import { circulateIteration } from '../../api'
import { useFormAction } from '../../components/useFormAction'
import { useNegotiation } from './NegotiationContext'

export function CirculateForm() {
  const view = useNegotiation()
  const [note, setNote] = useState('')
  const { busy, error, run } = useFormAction()
  const next = (view.status.iterations[view.status.iterations.length - 1]?.number ?? 0) + 1
  return (
    <form
      className="circulate-form inline-form"
      onSubmit={(event) => {
        event.preventDefault()
        void run(async () => {
          await circulateIteration(view.detail.id, note, view.session('draft')?.clientState())
          setNote('')
        })
      }}
    >
      <label htmlFor="circulate-note">Note for Single Text {next}</label>
      <input id="circulate-note" value={note} onChange={(event) => setNote(event.target.value)} />
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

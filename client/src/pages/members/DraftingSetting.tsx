/**
 * The mediator's "open drafting" setting. Off (the default), only the mediators and the drafting
 * team open the working draft and the parties read circulated iterations; on, party leads and
 * members watch the working draft live, read-only. The change is stated before it is made: turning
 * it on shows the table every keystroke of the mediator's drafting from then on.
 */
import { useState } from 'react'
import { setOpenDrafting } from '../../api'
import { FormError } from '../../components/FormError'
import { useFormAction } from '../../components/useFormAction'

export function DraftingSetting({
  negotiationId,
  openDrafting,
  onChanged,
}: {
  negotiationId: string
  openDrafting: boolean
  onChanged: () => void
}) {
  const [confirming, setConfirming] = useState(false)
  const { busy, error, run } = useFormAction()
  const next = !openDrafting
  return (
    <section className="card" aria-labelledby="drafting-heading">
      <h2 id="drafting-heading">Drafting privacy</h2>
      <p>
        {openDrafting
          ? 'Open drafting: party leads and members watch the working draft live, read-only, as you type.'
          : 'Private drafting: only mediators and the drafting team open the working draft. The parties read the iterations you circulate.'}
      </p>
      {!confirming ? (
        <button type="button" onClick={() => setConfirming(true)}>
          {next ? 'Open the working draft to the table…' : 'Make drafting private again…'}
        </button>
      ) : (
        <div className="confirm-box">
          <p className="confirm-question">
            {next
              ? 'From now on every party lead and member will see the working draft, including what you type before you circulate it. Open it to the table?'
              : 'Party leads and members who have the working draft open will be disconnected from it and read circulated iterations only. Make drafting private?'}
          </p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await setOpenDrafting(negotiationId, next)
                setConfirming(false)
                onChanged()
              })
            }
          >
            {next ? 'Open drafting' : 'Make drafting private'}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      <FormError error={error} />
    </section>
  )
}

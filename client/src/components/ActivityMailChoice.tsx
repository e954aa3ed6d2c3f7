/**
 * "E-mail me about": which events of the negotiation e-mail this person (kept with their account;
 * shown only when the server sends e-mail). A local table is told of publications only.
 */
import type { ActivityKind } from '@onetext/shared/statusDoc'
import { useState } from 'react'
import { updateActivityReader } from '../api'
import { FormError } from './FormError'

/** Every event, as the choice names it, in the order listed. */
export const MAIL_KIND_LABELS: ReadonlyArray<readonly [ActivityKind, string]> = [
  ['iteration', 'A new iteration is circulated'],
  ['published', 'An iteration is published to the local tables'],
  ['suggestions-shared', 'A party shares suggestions'],
  ['vote-opened', 'A vote opens'],
  ['vote-closed', 'A vote closes'],
  ['reopen-requested', 'Someone asks to reopen a clause'],
  ['clause-agreed', 'A clause is tentatively agreed'],
]

export function ActivityMailChoice({
  negotiationId,
  chosen,
  observer,
  onChanged,
}: {
  negotiationId: string
  chosen: readonly ActivityKind[]
  /** A local table: publications only. */
  observer: boolean
  onChanged: (kinds: ActivityKind[]) => void
}) {
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const kinds = MAIL_KIND_LABELS.filter(([kind]) => !observer || kind === 'published')
  const toggle = (kind: ActivityKind, on: boolean) => {
    const before = [...chosen]
    const next = on ? [...chosen, kind] : chosen.filter((other) => other !== kind)
    // Shown at once; the server's answer (what it stored) follows, or the choice is undone.
    onChanged(next)
    setSaving(true)
    setSaved(false)
    setError(null)
    updateActivityReader(negotiationId, { mailKinds: next }).then(
      (reader) => {
        onChanged(reader.mailKinds)
        setSaving(false)
        setSaved(true)
      },
      (failure: unknown) => {
        onChanged(before)
        setSaving(false)
        setError(failure instanceof Error ? failure.message : String(failure))
      },
    )
  }
  return (
    <fieldset className="activity-mail">
      <legend>E-mail me when</legend>
      {kinds.map(([kind, label]) => (
        <label key={kind} className="checkbox-label">
          <input
            type="checkbox"
            checked={chosen.includes(kind)}
            disabled={saving}
            onChange={(event) => toggle(kind, event.target.checked)}
          />{' '}
          {label}
        </label>
      ))}
      <p className="muted" role="status">
        {saving ? 'Saving…' : saved ? 'Saved.' : ''}
      </p>
      <FormError error={error} />
    </fieldset>
  )
}

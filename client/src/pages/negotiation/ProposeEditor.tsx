/**
 * Propose mode for one clause: the party writes alternative language in place (a shared Y.Text in
 * its private layer, so the whole party drafts together), sees it as tracked changes against the
 * current iteration in the party's colour, and states the interest it serves. The lead shares it
 * with the table.
 */
import { PROPOSALS_ROOT } from '@onetext/shared/layerDoc'
import { useEffect, useRef, useState } from 'react'
import * as Y from 'yjs'
import { shareProposal } from '../../api'
import { useYValue } from '../../collab/useYValue'
import { YTextArea } from '../../collab/YTextArea'
import { ConfirmButton } from '../../components/ConfirmButton'
import { FormError } from '../../components/FormError'
import { TrackedText } from '../../components/TrackedText'
import { useFormAction } from '../../components/useFormAction'
import { partyColor, useNegotiation } from './NegotiationContext'

interface Props {
  proposalId: string
  baseText: string
  onClose: () => void
}

export function ProposeEditor({ proposalId, baseText, onClose }: Props) {
  const view = useNegotiation()
  const layer = view.session('layer', view.myParty?.id)
  const fields = useYValue(
    layer?.doc ?? null,
    (doc) => {
      const map = doc.getMap<unknown>(PROPOSALS_ROOT).get(proposalId)
      if (!(map instanceof Y.Map)) return null
      const text = map.get('text')
      const rationale = map.get('rationale')
      return text instanceof Y.Text && rationale instanceof Y.Text
        ? {
            text,
            rationale,
            current: text.toString(),
            status: String(map.get('status') ?? 'draft'),
          }
        : null
    },
    null,
  )
  // Opening the proposal puts the keyboard in its words (once they are there).
  const ready = fields !== null
  useEffect(() => {
    if (ready) document.getElementById(`proposal-${proposalId}`)?.focus()
  }, [ready, proposalId])
  const { busy, error, run } = useFormAction()
  // Sharing removes the share button: the keyboard goes on to Done, the next step.
  const [sharedHere, setSharedHere] = useState(false)
  const done = useRef<HTMLButtonElement>(null)
  const isShared = fields?.status === 'shared'
  useEffect(() => {
    if (sharedHere && isShared) done.current?.focus()
  }, [sharedHere, isShared])
  if (!fields) return <p className="muted">Opening the proposal…</p>
  const color = partyColor(view, view.myParty?.id)
  const shared = fields.status === 'shared'
  return (
    <div className="propose-editor" style={{ borderColor: color }}>
      <label htmlFor={`proposal-${proposalId}`}>
        Alternative language ({view.myParty?.name}, private until shared)
      </label>
      <YTextArea id={`proposal-${proposalId}`} text={fields.text} rows={6} readOnly={shared} />
      <p className="pane-title">As tracked changes against the current text</p>
      <TrackedText
        base={baseText}
        text={fields.current}
        color={color}
        className="tracked-preview"
      />
      <label htmlFor={`rationale-${proposalId}`}>Rationale: the interest it serves</label>
      <YTextArea
        id={`rationale-${proposalId}`}
        text={fields.rationale}
        rows={2}
        readOnly={shared}
      />
      <FormError error={error} />
      <div className="button-row">
        {view.isLead && !shared && (
          <ConfirmButton
            label="Share with the table"
            confirmLabel="Share it"
            primary
            disabled={busy}
            what={`Everyone at the table, the other parties included, will read this proposal and its rationale as ${view.myParty?.name}'s. A shared proposal cannot be taken back; the mediator may adopt it.`}
            onConfirm={() => {
              setSharedHere(true)
              void run(() =>
                shareProposal(
                  view.detail.id,
                  proposalId,
                  view.session('layer', view.myParty?.id)?.clientState(),
                ),
              )
            }}
          />
        )}
        {shared && <span className="muted">Shared with the table.</span>}
        <button type="button" ref={done} onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  )
}

/**
 * Suggesting mode: a party's copy of the current iteration (`<neg>.suggest.<party>.<N>`) in the full
 * editor, every change against Single Text N shown in place as a tracked change in the party's
 * colour with its author and time (suggestionMarks.ts). The party's members write it together;
 * the mediator reads it. Under the editor, the clause at the caret: its changes, the party's
 * rationale for them, and for the lead "Share clause N" and "Share all". When a new iteration is
 * circulated the view moves to the party's copy of it and says so.
 */
import { lockedClauseIds } from '@onetext/shared/statusDoc'
import type { JSONContent } from '@tiptap/core'
import { memo, useEffect, useMemo, useRef, useState } from 'react'
import type { CollabSession } from '../../collab/CollabSession'
import { useRefusal } from '../../collab/useCollabSession'
import { formatMoment } from '../../components/dates'
import { ClauseStructure } from '../../editor/ClauseStructure'
import { CollabEditorContent, useCollabEditor } from '../../editor/CollabEditor'
import { Outline } from '../../editor/Outline'
import { SuggestionMarks } from '../../editor/suggestionMarks'
import { Toolbar } from '../../editor/Toolbar'
import { partyColor, useNegotiation } from './NegotiationContext'
import { SuggestionPanel } from './SuggestionPanel'

/**
 * Party `partyId`'s suggestions on the current iteration, in `session` (its copy of the current
 * iteration; the page opens it, and opens the next copy when an iteration is circulated).
 */
export function SuggestView({
  partyId,
  session,
}: {
  partyId: string
  session: CollabSession | null
}) {
  const view = useNegotiation()
  const party = view.party(partyId)
  const last = view.status.iterations[view.status.iterations.length - 1]?.number ?? null
  const switchedTo = useSwitchNotice(last)
  const iteration = view.iteration
  const ready =
    session !== null &&
    iteration !== null &&
    iteration.number === last &&
    session.docName.endsWith(`.${last}`)
  const mine = party !== undefined && party.id === view.myParty?.id
  if (!party || last === null) {
    return (
      <main className="page">
        <p>There is no single text to suggest changes on yet.</p>
      </main>
    )
  }
  return (
    <div className="suggest-view">
      {/* Always in the page: a live region announces only changes to what it already holds. */}
      <p className={switchedTo !== null ? 'switch-note' : 'visually-hidden'} role="status">
        {switchedTo !== null
          ? `Single Text ${switchedTo} was circulated: you are now ${mine ? 'suggesting changes on' : 'reading suggestions on'} it. Suggestions on earlier texts stay with them.`
          : ''}
      </p>
      {ready ? (
        <SuggestEditor
          key={session.docName}
          session={session}
          base={iteration.doc as JSONContent}
          iteration={last}
          partyId={party.id}
          partyName={party.name}
          writable={
            mine && (view.detail.me.role === 'party-lead' || view.detail.me.role === 'party-member')
          }
        />
      ) : (
        <main className="page">
          <p role="status">
            Opening {party.name}’s copy of Single Text {last}…
          </p>
        </main>
      )}
    </div>
  )
}

/** The number of the iteration the view moved to while open, or null when it has not moved. */
function useSwitchNotice(last: number | null): number | null {
  const first = useRef(last)
  const [moved, setMoved] = useState<number | null>(null)
  useEffect(() => {
    if (last !== null && first.current !== null && last !== first.current) setMoved(last)
    if (first.current === null) first.current = last
  }, [last])
  return moved
}

/**
 * The editor of one copy. Memoised: the page re-renders for presence and status, and every render
 * of a component holding a Tiptap editor makes Tiptap re-apply its options.
 */
const SuggestEditor = memo(function SuggestEditor({
  session,
  base,
  iteration,
  partyId,
  partyName,
  writable,
}: {
  session: CollabSession
  base: JSONContent
  iteration: number
  partyId: string
  partyName: string
  writable: boolean
}) {
  const view = useNegotiation()
  const color = partyColor(view, partyId)
  const locked = useMemo(() => lockedClauseIds(view.status), [view.status])
  const lockedRef = useRef(locked)
  lockedRef.current = locked
  const [lockRefusals, setLockRefusals] = useState(0)
  const userId = view.user.id
  const extra = useMemo(
    () => [
      ClauseStructure.configure({
        lockedClauses: () => lockedRef.current,
        onLockedEdit: () => setLockRefusals((count) => count + 1),
      }),
      SuggestionMarks.configure({
        base,
        doc: session.doc,
        look: { partyId, color, userId, writer: writable, moment: formatMoment },
      }),
    ],
    [base, session, partyId, color, userId, writable],
  )
  const refusal = useRefusal(session)
  const editable = writable && refusal === null
  const me = { id: view.user.id, name: view.user.name, color: partyColor(view, view.myParty?.id) }
  const label = `Suggestions of ${partyName} on Single Text ${iteration}`
  const editor = useCollabEditor(session, me, label, editable, extra)
  if (!editor) return null
  return (
    <div className="document-layout">
      <div className="left-pane">
        <Outline editor={editor} />
      </div>
      <main className="document-main">
        <h2 className="suggest-title" style={{ borderColor: color }}>
          {label}
        </h2>
        <p className="audience-note">
          {writable
            ? `Edit the text as you would have it: every change shows as a suggestion of ${partyName}, with its author. Only ${partyName} (and the mediator) read these until your lead shares them with the table.`
            : `${partyName}’s suggestions, private to the party and the mediator until the party’s lead shares them. You can read them; only ${partyName}’s members write them.`}
        </p>
        {refusal !== null ? (
          <div className="refused-note" role="alert" data-covers-text="">
            <p>
              {refusal} This copy can no longer be saved: reload the page to go on from the server’s
              copy.
            </p>
            <button type="button" className="primary" onClick={() => window.location.reload()}>
              Reload
            </button>
          </div>
        ) : (
          editable && <Toolbar editor={editor} />
        )}
        <p className={lockRefusals > 0 ? 'lock-refusal' : 'visually-hidden'} role="status">
          {lockRefusals > 0
            ? 'Nothing was changed: this clause is tentatively agreed and locked; no suggestions can be made on it.'
            : ''}
        </p>
        <article className="paper suggest-paper">
          <CollabEditorContent editor={editor} />
        </article>
        <SuggestionPanel
          editor={editor}
          session={session}
          iteration={iteration}
          writable={editable}
        />
      </main>
    </div>
  )
})

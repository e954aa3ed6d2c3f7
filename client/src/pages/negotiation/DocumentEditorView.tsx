/**
 * A live rich-text document (working draft, caucus notes, table notes) in the editor, with the
 * outline and, for the working draft, clause numbers, locked tentatively agreed clauses, and the
 * mediator's "circulate" form and review of the parties' suggestions beside the text.
 */
import type { ApiDocument } from '@onetext/shared/apiTypes'
import { lockedClauseIds } from '@onetext/shared/statusDoc'
import { memo, useEffect, useMemo, useRef, useState } from 'react'
import type { CollabSession } from '../../collab/CollabSession'
import { useRefusal } from '../../collab/useCollabSession'
import { ClauseStructure, refreshClauseDecorations } from '../../editor/ClauseStructure'
import { CollabEditorContent, useCollabEditor } from '../../editor/CollabEditor'
import { Outline } from '../../editor/Outline'
import { useOpenAtClause } from '../../editor/openAtClause'
import { Toolbar } from '../../editor/Toolbar'
import { documentAudience, documentLabel } from '../documentLabels'
import { CirculateForm } from './CirculateForm'
import { DraftSuggestionPane } from './DraftSuggestionPane'
import { partyColor, useNegotiation } from './NegotiationContext'

/**
 * Memoised: the page around it re-renders for presence and status changes, and every render of a
 * component holding a Tiptap editor makes Tiptap re-apply its options (a full editor view update).
 */
export const DocumentEditorView = memo(function DocumentEditorView({
  session,
  document,
}: {
  session: CollabSession
  document: ApiDocument
}) {
  const view = useNegotiation()
  const isDraft = document.kind === 'draft'
  // Texts made of clauses (the draft, a local supplement) are numbered; only the draft has locks.
  const numbered = isDraft || document.kind === 'supplement'
  const noLocks = useMemo(() => new Set<string>(), [])
  const locked = useMemo(() => lockedClauseIds(view.status), [view.status])
  const lockedRef = useRef(locked)
  lockedRef.current = locked
  // A keystroke into a locked clause changes nothing: this says why, to the eye and to a screen reader.
  const [lockRefusals, setLockRefusals] = useState(0)
  const extra = useMemo(
    () =>
      numbered
        ? [
            ClauseStructure.configure({
              lockedClauses: () => (isDraft ? lockedRef.current : noLocks),
              onLockedEdit: () => setLockRefusals((count) => count + 1),
            }),
          ]
        : [],
    [numbered, isDraft, noLocks],
  )
  const lockNotice = useLockNotice(lockRefusals)
  const label = documentLabel(document, view.detail.parties)
  // After a refused change this copy can never be saved again: it stops taking edits.
  const refusal = useRefusal(session)
  const editable = document.access === 'write' && refusal === null
  const me = { id: view.user.id, name: view.user.name, color: partyColor(view, view.myParty?.id) }
  const editor = useCollabEditor(session, me, label, editable, extra)
  useOpenAtClause(editor, numbered)
  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw the lock shading whenever the locked set changes
  useEffect(() => {
    if (editor && isDraft) refreshClauseDecorations(editor.view)
  }, [editor, isDraft, locked])
  if (!editor) return null
  const reviewBeside = isDraft && view.isMediator
  return (
    <div className={reviewBeside ? 'document-layout with-review' : 'document-layout'}>
      <div className="left-pane">
        <Outline editor={editor} />
      </div>
      <main className="document-main">
        <p className="audience-note">{documentAudience(document, view.detail.parties)}</p>
        {isDraft && view.isMediator && <CirculateForm />}
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
        ) : editable ? (
          <Toolbar editor={editor} />
        ) : (
          <p className="read-only-note">You can read this document; your role does not write it.</p>
        )}
        {isDraft && locked.size > 0 && (
          <p className="muted">
            Shaded clauses are tentatively agreed and locked until every party consents to reopen
            them.
          </p>
        )}
        {/* Always in the page: a live region announces only changes to what it already holds. */}
        <p className={lockNotice ? 'lock-refusal' : 'visually-hidden'} role="status">
          {lockNotice
            ? 'Nothing was changed: this clause is tentatively agreed and locked. Reopening it needs every party’s consent.'
            : ''}
        </p>
        <article className="paper">
          <CollabEditorContent editor={editor} />
        </article>
      </main>
      {reviewBeside && <DraftSuggestionPane editor={editor} />}
    </div>
  )
})

/** How long the note about a refused keystroke stays (it comes back with the next one). */
const LOCK_NOTICE_MS = 8000

/** True for a while after each refused edit (`refusals` counts them). */
function useLockNotice(refusals: number): boolean {
  const [shown, setShown] = useState(false)
  useEffect(() => {
    if (refusals === 0) return
    setShown(true)
    const timer = setTimeout(() => setShown(false), LOCK_NOTICE_MS)
    return () => clearTimeout(timer)
  }, [refusals])
  return shown
}

/**
 * Inside one negotiation: the top bar (title, document, save status, who is here, my role), the
 * tabs of the documents I may open, the outline and the text itself.
 */
import type { ApiDocument, ApiUser, NegotiationDetail } from '@onetext/shared/apiTypes'
import { useEffect, useMemo, useState } from 'react'
import { ApiRequestError, fetchNegotiation } from '../api'
import type { CollabSession } from '../collab/CollabSession'
import {
  useCollabSession,
  usePresence,
  useSaveState,
  useTerminalReason,
} from '../collab/useCollabSession'
import { AppHeader } from '../components/AppHeader'
import { PresenceList } from '../components/PresenceList'
import { ROLE_LABELS } from '../components/roleLabels'
import { SaveStatus } from '../components/SaveStatus'
import { CollabEditorContent, useCollabEditor } from '../editor/CollabEditor'
import { Outline } from '../editor/Outline'
import { Toolbar } from '../editor/Toolbar'
import { navigate } from '../routing'
import { documentAudience, documentLabel } from './documentLabels'

interface Props {
  negotiationId: string
  user: ApiUser
  onSignOut: () => void
}

export function NegotiationPage({ negotiationId, user, onSignOut }: Props) {
  const [detail, setDetail] = useState<NegotiationDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [activeName, setActiveName] = useState<string | null>(null)
  const [reloads, setReloads] = useState(0)

  useEffect(() => {
    void reloads
    fetchNegotiation(negotiationId).then(
      (loaded) => {
        setDetail(loaded)
        setActiveName((current) =>
          loaded.documents.some((document) => document.name === current)
            ? current
            : (loaded.documents[0]?.name ?? null),
        )
      },
      (reason: unknown) =>
        setError(
          reason instanceof ApiRequestError && reason.status === 404
            ? 'No such negotiation.'
            : String(reason),
        ),
    )
  }, [negotiationId, reloads])

  const active = detail?.documents.find((document) => document.name === activeName) ?? null
  const session = useCollabSession(active?.name ?? null)
  const save = useSaveState(session)
  const terminal = useTerminalReason(session)
  const people = usePresence(session)

  // The mediator changed my role or party: reload what I may open and reopen it.
  useEffect(() => {
    if (terminal !== 'access-changed') return
    setActiveName(null)
    setReloads((count) => count + 1)
  }, [terminal])

  useEffect(() => {
    const pending = save.state !== 'saved' && save.state !== 'offline'
    if (!pending) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [save.state])

  const myParty = detail?.parties.find((party) => party.id === detail.me.partyId)
  const myColor = myParty?.color ?? '#5b5f97'

  return (
    <>
      <AppHeader user={user} onSignOut={onSignOut}>
        {detail && (
          <div className="negotiation-bar">
            <div className="negotiation-title">
              <h1>{detail.title}</h1>
              <span className="iteration-label">
                {active ? documentLabel(active, detail.parties) : ''}
              </span>
            </div>
            <SaveStatus state={save.state} terminal={terminal} />
            <PresenceList people={people} />
            {detail.me.role === 'mediator' && (
              <a
                className="header-link"
                href={`/negotiations/${encodeURIComponent(detail.id)}/members`}
                onClick={(event) => {
                  event.preventDefault()
                  navigate(`/negotiations/${encodeURIComponent(detail.id)}/members`)
                }}
              >
                Members
              </a>
            )}
            <span className="role-badge" style={{ borderColor: myColor }}>
              {ROLE_LABELS[detail.me.role]}
              {myParty ? ` · ${myParty.name}` : ''}
            </span>
          </div>
        )}
      </AppHeader>
      {error && (
        <main className="page">
          <p role="alert">{error}</p>
        </main>
      )}
      {detail && (
        <div className="workspace">
          <DocumentTabs detail={detail} activeName={activeName} onSelect={setActiveName} />
          {active && session ? (
            <DocumentPane
              key={session.docName}
              session={session}
              document={active}
              detail={detail}
              me={{ id: user.id, name: user.name, color: myColor }}
            />
          ) : (
            <main className="page">
              <p>
                {detail.documents.length === 0
                  ? 'There is no live document for your role.'
                  : 'Connecting…'}
              </p>
            </main>
          )}
        </div>
      )}
    </>
  )
}

function DocumentTabs({
  detail,
  activeName,
  onSelect,
}: {
  detail: NegotiationDetail
  activeName: string | null
  onSelect: (name: string) => void
}) {
  return (
    <nav className="document-tabs" aria-label="Documents">
      <ul>
        {detail.documents.map((document) => {
          const party = detail.parties.find((candidate) => candidate.id === document.partyId)
          return (
            <li key={document.name}>
              <button
                type="button"
                className="document-tab"
                aria-current={document.name === activeName ? 'page' : undefined}
                onClick={() => onSelect(document.name)}
              >
                {party && (
                  <span
                    className="party-dot"
                    style={{ backgroundColor: party.color }}
                    aria-hidden="true"
                  />
                )}
                {documentLabel(document, detail.parties)}
                {document.access === 'read' && <span className="access-note"> (read only)</span>}
              </button>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}

function DocumentPane({
  session,
  document,
  detail,
  me,
}: {
  session: CollabSession
  document: ApiDocument
  detail: NegotiationDetail
  me: { id: string; name: string; color: string }
}) {
  const label = useMemo(() => documentLabel(document, detail.parties), [document, detail.parties])
  const editable = document.access === 'write'
  const editor = useCollabEditor(session, me, label, editable)
  if (!editor) return null
  return (
    <div className="document-layout">
      <aside className="left-pane">
        <Outline editor={editor} />
      </aside>
      <main className="document-main">
        <p className="audience-note">{documentAudience(document, detail.parties)}</p>
        {editable ? (
          <Toolbar editor={editor} />
        ) : (
          <p className="read-only-note">You can read this document; your role does not write it.</p>
        )}
        <article className="paper">
          <CollabEditorContent editor={editor} />
        </article>
      </main>
    </div>
  )
}

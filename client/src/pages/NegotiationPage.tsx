/**
 * Inside one negotiation: opens every live document the user may open, reads the server's status
 * document, loads the current iteration, and shows the views: the current single text (with
 * suggestions, annotations, sign-off and votes per clause), the working draft, the status board,
 * and the caucus and table notes.
 */

import type { ApiUser } from '@onetext/shared/apiTypes'
import { formatDocumentName } from '@onetext/shared/documentNames'
import { NEUTRAL_PARTY_COLOR } from '@onetext/shared/partyPalette'
import { type NegotiationStatus, readStatus } from '@onetext/shared/statusDoc'
import { useEffect, useMemo, useRef, useState } from 'react'
import {
  useCollabSession,
  useCollabSessions,
  usePresence,
  useTerminalReason,
} from '../collab/useCollabSession'
import { useYValue } from '../collab/useYValue'
import { ActivityFeed } from '../components/ActivityFeed'
import { AppHeader } from '../components/AppHeader'
import { formatDate } from '../components/dates'
import { PresenceList } from '../components/PresenceList'
import { RefusalNotice } from '../components/RefusalNotice'
import { ROLE_LABELS } from '../components/roleLabels'
import { LiveSaveStatus } from '../components/SaveStatus'
import { useDocumentTitle } from '../components/useDocumentTitle'
import { useFocusRescue } from '../components/useFocusRescue'
import { navigate } from '../routing'
import { CompareView } from './negotiation/CompareView'
import { DocumentEditorView } from './negotiation/DocumentEditorView'
import { IterationView } from './negotiation/IterationView'
import { NegotiationContext, type NegotiationView } from './negotiation/NegotiationContext'
import {
  useCurrentIteration,
  useNegotiationDetail,
  useSupplements,
  useVisibleIterations,
} from './negotiation/negotiationData'
import { PublishedView } from './negotiation/PublishedView'
import { StatusBoard } from './negotiation/StatusBoard'
import { SuggestView } from './negotiation/SuggestView'
import { SupplementView } from './negotiation/SupplementView'
import { useActivity } from './negotiation/useActivity'
import { ViewTabs } from './negotiation/ViewTabs'
import { parseViewRoute, type ViewRoute, viewPath } from './negotiation/viewRoute'
import { tabKeyOf, workspaceTabs } from './negotiation/workspaceTabs'

interface Props {
  negotiationId: string
  /** The address after `/negotiations/<id>`: which view (viewRoute.ts). */
  rest: string
  user: ApiUser
  onSignOut: () => void
}

const EMPTY_STATUS: NegotiationStatus = {
  iterations: [],
  clauses: {},
  suggestions: {},
  votes: {},
  responses: {},
  agreementReachedAt: null,
  activity: [],
}

export function NegotiationPage({ negotiationId, rest, user, onSignOut }: Props) {
  const [reloads, setReloads] = useState(0)
  const { detail, error } = useNegotiationDetail(negotiationId, reloads)
  const documents = detail?.documents ?? []
  // A party's suggestion copy is opened by its own view, which follows the current iteration.
  const sessions = useCollabSessions(
    documents.filter((document) => document.kind !== 'suggest').map((document) => document.name),
  )
  const statusSession = sessions.get(formatDocumentName({ negotiationId, kind: 'status' })) ?? null
  const status = useYValue(statusSession?.doc ?? null, readStatus, EMPTY_STATUS)
  const lastNumber = status.iterations[status.iterations.length - 1]?.number ?? null
  const iteration = useCurrentIteration(negotiationId, lastNumber)
  // The parties' suggestion copies are listed once an iteration is circulated: read the list again
  // then (the documents opened here stay open: the copies are not among them).
  // Once: a role that may open no copy is not asked again.
  const copiesAsked = useRef(false)
  const listedCopies = documents.some((document) => document.kind === 'suggest')
  useEffect(() => {
    if (lastNumber === null || !detail || listedCopies || copiesAsked.current) return
    copiesAsked.current = true
    setReloads((count) => count + 1)
  }, [lastNumber, detail, listedCopies])
  const visibleIterations = useVisibleIterations(
    negotiationId,
    `${status.iterations.length}-${reloads}`,
  )
  const isObserver = detail?.me.role === 'observer'
  const activity = useActivity(negotiationId, isObserver, status)
  const [supplementsKey, setSupplementsKey] = useState(0)
  const supplements = useSupplements(negotiationId, supplementsKey)
  const route = parseViewRoute(negotiationId, rest)
  const go = (next: ViewRoute, options: { replace?: boolean } = {}) =>
    navigate(viewPath(negotiationId, next), options)

  const tabs = useMemo(
    () =>
      detail
        ? workspaceTabs({
            detail,
            lastNumber,
            hasStatus: statusSession !== null,
            readableIterations: visibleIterations.length,
            supplements,
          })
        : [],
    [detail, lastNumber, statusSession, visibleIterations.length, supplements],
  )

  const writesDraft =
    detail?.documents.some(
      (document) => document.kind === 'draft' && document.access === 'write',
    ) ?? false
  const defaultKey = writesDraft
    ? tabs.find((tab) => tab.document?.kind === 'draft')?.key
    : tabs[0]?.key
  // An address whose view is not there (yet: the status document is still opening) shows the
  // default view until it is.
  const wanted = tabKeyOf(route)
  const activeKey = tabs.some((tab) => tab.key === wanted) ? wanted : (defaultKey ?? null)
  const activeDocument = documents.find((document) => document.name === activeKey) ?? null
  const activeTab = tabs.find((tab) => tab.key === activeKey)
  // The party's own copy stays open on every view (as the party's notes do); another party's only
  // while its view is shown. Either follows the current iteration.
  const ownCopy = tabs.find((tab) => tab.key === 'suggest')?.document
  const copy = activeTab?.route.view === 'suggest' ? activeTab.document : ownCopy
  const copySession = useCollabSession(
    copy?.partyId !== undefined && lastNumber !== null
      ? formatDocumentName({
          negotiationId,
          kind: 'suggest',
          partyId: copy.partyId,
          iteration: lastNumber,
        })
      : null,
  )
  const writable = useMemo(
    () => [
      ...documents
        .filter((document) => document.access === 'write')
        .flatMap((document) => sessions.get(document.name) ?? []),
      ...(copySession && copy?.access === 'write' ? [copySession] : []),
    ],
    [documents, sessions, copySession, copy],
  )
  const activeSession =
    (activeTab?.route.view === 'suggest' && copySession) ||
    (activeDocument && sessions.get(activeDocument.name)) ||
    statusSession
  const terminal = useTerminalReason(activeSession)
  const people = usePresence(activeSession)

  // The mediator changed my role or party: reload what I may open and reopen it.
  useEffect(() => {
    if (terminal !== 'access-changed') return
    navigate(viewPath(negotiationId, { view: 'default' }), { replace: true })
    setReloads((count) => count + 1)
  }, [terminal, negotiationId])

  const view: NegotiationView | null = useMemo(() => {
    if (!detail) return null
    const myParty = detail.parties.find((party) => party.id === detail.me.partyId)
    return {
      detail,
      user,
      status,
      iteration: iteration && iteration.number === lastNumber ? iteration : null,
      sessions,
      session: (kind, partyId) => {
        if ((kind === 'layer' || kind === 'caucus') && !partyId) return null
        const name = formatDocumentName(
          partyId && (kind === 'layer' || kind === 'caucus')
            ? { negotiationId, kind, partyId }
            : { negotiationId, kind },
        )
        return sessions.get(name) ?? null
      },
      party: (partyId) => detail.parties.find((party) => party.id === partyId),
      myParty,
      isMediator: detail.me.role === 'mediator',
      isLead: detail.me.role === 'party-lead',
    }
  }, [detail, user, status, iteration, lastNumber, sessions, negotiationId])

  const myParty = view?.myParty
  const current = status.iterations[status.iterations.length - 1]
  const routeClause =
    route.view === 'text' || route.view === 'published' ? route.clauseId : undefined
  const titledClause = routeClause
    ? iteration?.clauses.find((clause) => clause.id === routeClause)
    : undefined
  // An action that removes the focused button leaves the focus nearby, not at the page's start.
  const rescueFocus = useFocusRescue()
  useDocumentTitle(
    titledClause ? `Clause ${titledClause.number}. ${titledClause.heading}` : null,
    route.view === 'published' && route.iteration !== undefined
      ? `Single Text ${route.iteration}`
      : activeTab?.label,
    detail?.title,
  )

  return (
    <>
      <AppHeader user={user} onSignOut={onSignOut}>
        {detail && (
          <div className="negotiation-bar">
            <div className="negotiation-title">
              <h1>{detail.title}</h1>
              <span className="iteration-label">
                {current
                  ? `Single Text ${current.number}, circulated ${formatDate(current.createdAt)}`
                  : isObserver
                    ? 'Published national texts'
                    : 'Working draft, not yet circulated'}
              </span>
            </div>
            {writable.length > 0 && <LiveSaveStatus sessions={writable} terminal={terminal} />}
            {status.agreementReachedAt !== null && (
              <span className="agreement-badge">Agreement reached</span>
            )}
            <PresenceList people={people} />
            <ActivityFeed negotiationId={negotiationId} observer={isObserver} entries={activity} />
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
            <span
              className="role-badge"
              style={{ borderColor: myParty?.color ?? NEUTRAL_PARTY_COLOR }}
            >
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
      {detail && view && (
        <NegotiationContext.Provider value={view}>
          <div className="workspace" id="content" tabIndex={-1} ref={rescueFocus}>
            <RefusalNotice sessions={writable} />
            <ViewTabs tabs={tabs} activeKey={activeKey} onOpen={(next) => go(next)} />
            {tabs.length === 0 && (
              <main className="page">
                <p>There is nothing for your role here yet.</p>
              </main>
            )}
            {activeKey === 'text' && (
              <IterationView
                selected={route.view === 'text' ? (route.clauseId ?? null) : null}
                onSelect={(clauseId) => go({ view: 'text', clauseId })}
              />
            )}
            {activeKey === 'board' && <StatusBoard />}
            {activeTab?.route.view === 'suggest' && activeTab.document?.partyId && (
              <SuggestView
                key={activeTab.key}
                partyId={activeTab.document.partyId}
                session={copySession}
              />
            )}
            {activeKey === 'published' && (
              <PublishedView
                negotiationId={negotiationId}
                numbers={visibleIterations}
                published={
                  isObserver
                    ? new Set(visibleIterations)
                    : new Set(
                        status.iterations
                          .filter((meta) => meta.published)
                          .map((meta) => meta.number),
                      )
                }
                route={route.view === 'published' ? route : { view: 'published' }}
                onNavigate={go}
                {...(isObserver
                  ? {
                      onSupplementCreated: (document: string) => {
                        setSupplementsKey((count) => count + 1)
                        go({ view: 'document', name: document })
                      },
                    }
                  : {})}
              />
            )}
            {supplements
              .filter((supplement) => supplement.document === activeKey)
              .map((supplement) => (
                <SupplementView
                  key={supplement.id}
                  negotiationId={negotiationId}
                  supplement={supplement}
                />
              ))}
            {activeKey === 'compare' && (
              <CompareView
                negotiationId={negotiationId}
                numbers={visibleIterations}
                from={route.view === 'compare' ? route.from : undefined}
                to={route.view === 'compare' ? route.to : undefined}
                onChange={(from, to) => go({ view: 'compare', from, to }, { replace: true })}
              />
            )}
            {activeDocument &&
              sessions.get(activeDocument.name) &&
              activeKey === activeDocument.name && (
                <DocumentEditorView
                  key={activeDocument.name}
                  session={
                    sessions.get(activeDocument.name) as NonNullable<
                      ReturnType<typeof sessions.get>
                    >
                  }
                  document={activeDocument}
                />
              )}
          </div>
        </NegotiationContext.Provider>
      )}
    </>
  )
}

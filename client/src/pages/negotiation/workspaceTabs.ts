/**
 * The workspace's tabs for one person (the current text, each live document they may open, the
 * status board, the iterations, compare, their local supplements), each with the address it opens,
 * and which tab an address shows.
 */
import type { ApiDocument, NegotiationDetail } from '@onetext/shared/apiTypes'
import type { SupplementInfo } from '../../api'
import { documentLabel } from '../documentLabels'
import type { ViewRoute } from './viewRoute'

/** A tab: its key (a view name, or a live document's name), label and address. */
export interface WorkspaceTab {
  key: string
  label: string
  route: ViewRoute
  document?: ApiDocument
}

/** What decides which tabs a person has. */
export interface TabSources {
  detail: NegotiationDetail
  /** The current iteration's number, or null before the first circulation. */
  lastNumber: number | null
  /** True once the status document is open. */
  hasStatus: boolean
  /** How many iterations the person may read over HTTP. */
  readableIterations: number
  supplements: readonly SupplementInfo[]
}

/** The person's tabs, in order. */
export function workspaceTabs(sources: TabSources): WorkspaceTab[] {
  const { detail, lastNumber, hasStatus, readableIterations, supplements } = sources
  const list: WorkspaceTab[] = []
  if (lastNumber !== null && hasStatus)
    list.push({ key: 'text', label: `Single Text ${lastNumber}`, route: { view: 'text' } })
  if (lastNumber !== null && hasStatus) list.push(...suggestionTabs(detail))
  for (const document of detail.documents) {
    if (document.kind === 'status' || document.kind === 'suggest') continue
    list.push({
      key: document.name,
      label: documentLabel(document, detail.parties),
      route: { view: 'document', name: document.name },
      document,
    })
  }
  if (hasStatus) list.push({ key: 'board', label: 'Status board', route: { view: 'board' } })
  if (detail.me.role === 'observer')
    list.push({ key: 'published', label: 'National text', route: { view: 'published' } })
  else if (readableIterations >= 1)
    list.push({ key: 'published', label: 'All iterations', route: { view: 'published' } })
  if (readableIterations >= 2)
    list.push({ key: 'compare', label: 'Compare', route: { view: 'compare' } })
  for (const supplement of supplements)
    list.push({
      key: supplement.document,
      label: `Local supplement: ${supplement.title}`,
      route: { view: 'document', name: supplement.document },
    })
  return list
}

/**
 * The suggestion tabs: "Suggest changes" for a member of a party (its copy of the current
 * iteration, which the view opens itself: the copy changes with each circulation), and one tab per
 * party whose copy the person may read (the mediator).
 */
function suggestionTabs(detail: NegotiationDetail): WorkspaceTab[] {
  const list: WorkspaceTab[] = []
  for (const document of detail.documents) {
    if (document.kind !== 'suggest' || document.partyId === undefined) continue
    if (document.access === 'write')
      list.push({ key: 'suggest', label: 'Suggest changes', route: { view: 'suggest' }, document })
    else
      list.push({
        key: `suggest:${document.partyId}`,
        label: `${detail.parties.find((party) => party.id === document.partyId)?.name ?? 'Party'} suggestions`,
        route: { view: 'suggest', partyId: document.partyId },
        document,
      })
  }
  return list
}

/** The key of the tab `route` shows, or null for the default view. */
export function tabKeyOf(route: ViewRoute): string | null {
  switch (route.view) {
    case 'default':
      return null
    case 'suggest':
      return route.partyId === undefined ? 'suggest' : `suggest:${route.partyId}`
    case 'document':
      return route.name
    default:
      return route.view
  }
}

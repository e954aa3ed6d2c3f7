/**
 * The shared suggestions of the status document as the table's views use them: the open changes
 * written against the current iteration (drawn over it), those written against an older one or
 * outdated (shown only against their own iteration's text), and counts per clause.
 */
import type { NegotiationStatus, SharedSuggestion } from '@onetext/shared/statusDoc'
import { useMemo } from 'react'
import { fetchSuggestions } from '../../api'
import { useLatestResponse } from '../../components/useLatestResponse'
import type { OverlayChange } from '../../editor/overlayDecorations'
import type { NegotiationView } from './NegotiationContext'
import { partyColor } from './NegotiationContext'
import type { OverlayParty } from './SuggestionOverlay'

/** The negotiation's parties as the overlay shows them, in their order. */
export function overlayParties(view: NegotiationView): OverlayParty[] {
  return view.detail.parties.map((party, index) => ({
    id: party.id,
    name: party.name,
    color: partyColor(view, party.id),
    index,
  }))
}

/** True when a suggestion's changes are shown over iteration `current` (not outdated, same iteration). */
export function isCurrentSuggestion(suggestion: SharedSuggestion, current: number): boolean {
  return suggestion.iteration === current
}

/** The changes of `suggestions` with status `open` as overlay items, in the parties' order. */
export function overlayItems(
  view: NegotiationView,
  suggestions: readonly SharedSuggestion[],
  statuses: ReadonlySet<string> = OPEN,
): OverlayChange[] {
  const parties = overlayParties(view)
  const byId = new Map(parties.map((party) => [party.id, party]))
  return suggestions.flatMap((suggestion) => {
    const party = byId.get(suggestion.partyId)
    return suggestion.changes
      .filter((change) => statuses.has(change.status))
      .map((change) => ({
        key: `${suggestion.id}/${change.id}`,
        suggestionId: suggestion.id,
        clauseId: suggestion.clauseId,
        partyId: suggestion.partyId,
        partyName: party?.name ?? suggestion.partyId,
        partyIndex: party?.index ?? parties.length,
        color: party?.color ?? partyColor(view, null),
        change,
      }))
  })
}

const OPEN: ReadonlySet<string> = new Set(['open'])

/** The open changes written against iteration `current`, ready to draw over it. */
export function currentOverlayItems(view: NegotiationView, current: number): OverlayChange[] {
  return overlayItems(
    view,
    Object.values(view.status.suggestions).filter((s) => isCurrentSuggestion(s, current)),
  )
}

/**
 * Suggestions on clause `clauseId` that cannot be drawn over iteration `current`: written against
 * an older iteration with changes still open, or with outdated changes.
 */
export function earlierSuggestions(
  status: NegotiationStatus,
  clauseId: string,
  current: number,
): SharedSuggestion[] {
  return Object.values(status.suggestions).filter(
    (suggestion) =>
      suggestion.clauseId === clauseId &&
      suggestion.changes.some(
        (change) =>
          change.status === 'outdated' ||
          (change.status === 'open' && suggestion.iteration !== current),
      ),
  )
}

/** Open shared changes per clause, written against iteration `current`. */
export function openChangeCounts(
  status: NegotiationStatus,
  current: number,
): ReadonlyMap<string, number> {
  const counts = new Map<string, number>()
  for (const suggestion of Object.values(status.suggestions)) {
    if (suggestion.iteration !== current) continue
    const open = suggestion.changes.filter((change) => change.status === 'open').length
    if (open > 0) counts.set(suggestion.clauseId, (counts.get(suggestion.clauseId) ?? 0) + open)
  }
  return counts
}

/**
 * My party's draft (not yet shared) changes per clause, from the suggestion list; empty for the
 * mediator and observers, and while the list is loading. Read again when `key` changes.
 */
export function useDraftCounts(view: NegotiationView, key: string): ReadonlyMap<string, number> {
  const partyId = view.myParty?.id ?? null
  const { value } = useLatestResponse(
    () => (partyId === null ? null : fetchSuggestions(view.detail.id).catch(() => [])),
    [view.detail.id, partyId, key],
  )
  return useMemo(() => {
    const counts = new Map<string, number>()
    for (const suggestion of value ?? []) {
      if (suggestion.status !== 'draft' || suggestion.partyId !== partyId) continue
      counts.set(
        suggestion.clauseId,
        (counts.get(suggestion.clauseId) ?? 0) + suggestion.changes.length,
      )
    }
    return counts
  }, [value, partyId])
}

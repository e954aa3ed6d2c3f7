/**
 * A clause's shared suggestions side by side: the clause as it stands, then one column per party
 * with open shared changes on it, each the clause with that party's changes tracked in its colour
 * and pattern. Suggestions written against an earlier iteration are shown against that iteration's
 * own clause, under "written against Single Text N; the text changed", never over the new words.
 */
import { clauseIdOf, forEachClause } from '@onetext/shared/clauses'
import type { SharedSuggestion } from '@onetext/shared/statusDoc'
import type { JSONContent } from '@tiptap/core'
import { useMemo } from 'react'
import { fetchIteration, type IterationDetail } from '../../api'
import { useLatestResponse } from '../../components/useLatestResponse'
import type { OverlayChange } from '../../editor/overlayDecorations'
import { partyColor, useNegotiation } from './NegotiationContext'
import { PartySwatch, SuggestionOverlay } from './SuggestionOverlay'
import {
  currentOverlayItems,
  earlierSuggestions,
  overlayItems,
  overlayParties,
} from './sharedSuggestions'

type ClauseRow = IterationDetail['clauses'][number]

/** Clause `clauseId` of a ProseMirror JSON text, alone in a document of its own; null when absent. */
export function clauseDocument(doc: unknown, clauseId: string): JSONContent | null {
  let found: JSONContent | null = null
  forEachClause(doc as JSONContent, ({ node }) => {
    if (!found && clauseIdOf(node) === clauseId) found = node
  })
  return found ? { type: 'doc', content: [found] } : null
}

/** One party's column: the clause with its changes. */
function PartyColumn({
  doc,
  suggestions,
  title,
  note,
}: {
  doc: JSONContent
  suggestions: readonly SharedSuggestion[]
  title: string
  note?: string
}) {
  const view = useNegotiation()
  const first = suggestions[0]
  const items = useMemo(
    () => overlayItems(view, suggestions, new Set(['open', 'outdated'])),
    [view, suggestions],
  )
  const parties = useMemo(() => overlayParties(view), [view])
  if (!first) return null
  const party = parties.find((entry) => entry.id === first.partyId)
  return (
    <div className="alternative" style={{ borderTopColor: partyColor(view, first.partyId) }}>
      <p className="proposal-meta">
        {party && <PartySwatch party={party} />} <strong>{party?.name ?? first.partyId}</strong>{' '}
        (shared)
      </p>
      {note && <p className="outdated-note">{note}</p>}
      <SuggestionOverlay
        doc={doc}
        changes={items}
        parties={parties}
        label={title}
        toolbar={false}
        numbered={false}
      />
      {suggestions
        .filter((suggestion) => suggestion.rationale.trim() !== '')
        .map((suggestion) => (
          <p key={suggestion.id} className="rationale">
            Interest: {suggestion.rationale}
          </p>
        ))}
    </div>
  )
}

/** Suggestions written against iteration `number`, shown against its own clause. */
function EarlierColumns({
  number,
  clauseId,
  suggestions,
}: {
  number: number
  clauseId: string
  suggestions: readonly SharedSuggestion[]
}) {
  const view = useNegotiation()
  const { value: detail } = useLatestResponse(
    () => fetchIteration(view.detail.id, number),
    [view.detail.id, number],
  )
  const doc = useMemo(
    () => (detail ? clauseDocument(detail.doc, clauseId) : null),
    [detail, clauseId],
  )
  if (!doc) return null
  const byParty = groupByParty(suggestions)
  return (
    <>
      {[...byParty].map(([partyId, list]) => (
        <PartyColumn
          key={`${number}-${partyId}`}
          doc={doc}
          suggestions={list}
          title={`${view.party(partyId)?.name ?? partyId}’s suggestions on Single Text ${number}`}
          note={`Written against Single Text ${number}; the text changed.`}
        />
      ))}
    </>
  )
}

function groupByParty(suggestions: readonly SharedSuggestion[]): Map<string, SharedSuggestion[]> {
  const out = new Map<string, SharedSuggestion[]>()
  for (const suggestion of suggestions) {
    out.set(suggestion.partyId, [...(out.get(suggestion.partyId) ?? []), suggestion])
  }
  return out
}

/** The current text's column draws no changes. */
const NO_CHANGES: readonly OverlayChange[] = []

/** The clause and each party's shared suggestions on it, side by side. */
export function SuggestionColumns({ clause }: { clause: ClauseRow }) {
  const view = useNegotiation()
  const iteration = view.iteration
  const current = iteration?.number ?? 0
  const doc = useMemo(
    () => (iteration ? clauseDocument(iteration.doc, clause.id) : null),
    [iteration, clause.id],
  )
  const parties = useMemo(() => overlayParties(view), [view])
  const open = currentOverlayItems(view, current).filter((item) => item.clauseId === clause.id)
  const currentGroups = groupByParty(
    Object.values(view.status.suggestions).filter(
      (suggestion) =>
        suggestion.clauseId === clause.id &&
        suggestion.iteration === current &&
        suggestion.changes.some((change) => change.status === 'open'),
    ),
  )
  const earlier = earlierSuggestions(view.status, clause.id, current)
  const earlierByIteration = new Map<number, SharedSuggestion[]>()
  for (const suggestion of earlier) {
    earlierByIteration.set(suggestion.iteration, [
      ...(earlierByIteration.get(suggestion.iteration) ?? []),
      suggestion,
    ])
  }
  if (!doc || (open.length === 0 && earlier.length === 0)) return null
  return (
    <section className="panel-section" aria-labelledby={`suggestions-${clause.id}`}>
      <h3 id={`suggestions-${clause.id}`}>Shared suggestions side by side</h3>
      <div className="alternatives suggestion-columns">
        <div className="alternative">
          <p className="proposal-meta">
            <strong>Single Text {current}</strong> (current)
          </p>
          <SuggestionOverlay
            doc={doc}
            changes={NO_CHANGES}
            parties={parties}
            label={`Single Text ${current}, clause ${clause.number}`}
            toolbar={false}
            numbered={false}
          />
        </div>
        {[...currentGroups].map(([partyId, list]) => (
          <PartyColumn
            key={partyId}
            doc={doc}
            suggestions={list}
            title={`${view.party(partyId)?.name ?? partyId}’s suggestions on clause ${clause.number}`}
          />
        ))}
        {[...earlierByIteration].map(([number, list]) => (
          <EarlierColumns key={number} number={number} clauseId={clause.id} suggestions={list} />
        ))}
      </div>
    </section>
  )
}

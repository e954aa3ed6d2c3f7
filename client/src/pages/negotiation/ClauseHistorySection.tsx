/**
 * "How did this clause get its words?": its text in every iteration, the suggestions the parties
 * shared on it, the accepted changes (party, author, iteration, who accepted them and what each
 * did: "made bold", "inserted"; the suggestion's id in a tooltip), votes and sign-offs, in one
 * timeline.
 */
import { type ClauseHistory, fetchClauseHistory } from '../../api'
import { formatMoment } from '../../components/dates'
import { useLatestResponse } from '../../components/useLatestResponse'
import { changeVerb } from '../../editor/changeLook'
import { suggestionReference } from './changeWords'
import { describeOutcome, describePosition } from './voteSummary'

interface Entry {
  at: number
  key: string
  text: string
  detail?: string
  /** The tooltip of the entry's line (the suggestion's id). */
  title?: string
}

type ProvenanceEntry = NonNullable<ClauseHistory['provenance']>[number]
type HistoryChange = NonNullable<ClauseHistory['suggestions']>[number]['changes'][number]

/** The longest words of an accepted change said in its line rather than below it. */
const INLINE_WORDS = 80

/**
 * What an accepted change did, in words: "inserted", "deleted", "made bold" (its marks read from
 * the shared suggestion in `history`), or "formatting changed" when they are not there.
 */
function acceptedVerb(entry: ProvenanceEntry, history: ClauseHistory): string {
  if (entry.kind !== 'format') return entry.kind === 'insert' ? 'inserted' : 'deleted'
  const change = history.suggestions
    ?.find((suggestion) => suggestion.id === entry.suggestionId)
    ?.changes.find((candidate: HistoryChange) => candidate.id === entry.changeId)
  const verb = change ? changeVerb({ kind: 'format', marks: change.marks }) : 'reformatted'
  return verb === 'reformatted' ? 'formatting changed' : verb
}

/**
 * One provenance entry in words: an accepted change of a suggestion names who accepted it, the
 * party, the author and the iteration of the suggestion, and what the change did (its words
 * below it); a legacy entry names the adopted proposal. The suggestion's id is the tooltip.
 */
function provenanceEntry(
  entry: ProvenanceEntry,
  history: ClauseHistory,
  partyName: (id: string) => string,
): Pick<Entry, 'text' | 'detail' | 'title'> {
  const party = partyName(entry.partyId)
  const title = `Suggestion ${entry.suggestionId}`
  if (entry.changeId === undefined || entry.changeId === null || entry.kind === undefined) {
    return {
      text: `${entry.adoptedByName} adopted the ${party} proposal${entry.edited ? ' with edits' : ''} (on Single Text ${entry.iteration})`,
      title,
    }
  }
  const reference = suggestionReference(party, entry.authorName ?? '', entry.iteration)
  const line = `${entry.adoptedByName} accepted a change of ${reference}${entry.edited ? ', with edits' : ''}: ${acceptedVerb(entry, history)}`
  const words = entry.text?.trim() ?? ''
  if (words === '') return { text: line, title }
  // Short words read in the line ("made bold ‘no loss of employment’"); longer ones below it.
  return words.length <= INLINE_WORDS
    ? { text: `${line} ‘${words}’`, title }
    : { text: line, title, detail: words }
}

function timeline(history: ClauseHistory, partyName: (id: string) => string): Entry[] {
  const entries: Entry[] = []
  let previous: string | null = null
  for (const version of history.versions) {
    const words = version.text === null ? null : `${version.heading}\n${version.text}`
    const what =
      version.text === null
        ? 'not in this iteration'
        : previous === null
          ? 'first appears'
          : words === previous
            ? 'unchanged'
            : 'words changed'
    entries.push({
      at: version.createdAt,
      key: `v${version.iteration}`,
      text: `Single Text ${version.iteration}${version.number ? ` (clause ${version.number})` : ''}: ${what}`,
      ...(version.text !== null && words !== previous ? { detail: version.text } : {}),
    })
    previous = words
  }
  for (const suggestion of history.suggestions ?? []) {
    const words = suggestion.changes
      .map((change) => `${changeVerb(change)} “${change.text.trim()}” (${change.status})`)
      .join('\n')
    entries.push({
      at: suggestion.sharedAt ?? 0,
      key: `g${suggestion.id}`,
      text: `${partyName(suggestion.partyId)} suggestion shared${suggestion.sharedByName ? ` by ${suggestion.sharedByName}` : ''} (on Single Text ${suggestion.iteration}), ${suggestion.status}`,
      title: `Suggestion ${suggestion.id}`,
      detail: suggestion.rationale ? `${words}\nInterest: ${suggestion.rationale}` : words,
    })
  }
  for (const accepted of history.provenance ?? []) {
    entries.push({
      at: accepted.at,
      key: `a${accepted.at}-${accepted.suggestionId}-${accepted.changeId ?? ''}`,
      ...provenanceEntry(accepted, history, partyName),
    })
  }
  for (const vote of history.votes ?? []) {
    entries.push({
      at: vote.closedAt ?? vote.openedAt,
      key: `vote${vote.id}`,
      text: vote.result
        ? `Vote “${vote.question}”: ${describeOutcome(vote.result.outcome, vote.rule)}. ${vote.result.parties
            .map((party) => describePosition(party, partyName(party.partyId)))
            .join(' ')}`
        : `Vote “${vote.question}” open`,
    })
  }
  for (const signoff of history.signoffs ?? []) {
    entries.push({
      at: signoff.at,
      key: `s${signoff.partyId}`,
      text: `${partyName(signoff.partyId)} initialled ${signoff.initials} (${signoff.name}) on Single Text ${signoff.iteration}`,
    })
  }
  return entries.sort((a, b) => a.at - b.at)
}

export function ClauseHistorySection({
  negotiationId,
  clauseId,
  refreshKey,
  partyName,
}: {
  negotiationId: string
  clauseId: string
  refreshKey: string
  partyName: (id: string) => string
}) {
  const { value: history } = useLatestResponse(
    () => fetchClauseHistory(negotiationId, clauseId),
    [negotiationId, clauseId, refreshKey],
  )
  return (
    <section className="panel-section" aria-labelledby={`history-${clauseId}`}>
      <h3 id={`history-${clauseId}`}>History</h3>
      {!history && <p className="muted">Loading…</p>}
      {history && (
        <ol className="history-timeline">
          {timeline(history, partyName).map((entry) => (
            <li key={entry.key} className="history-entry">
              <span className="muted">{formatMoment(entry.at)}</span>{' '}
              <span {...(entry.title ? { title: entry.title } : {})}>{entry.text}</span>
              {entry.detail && <p className="clause-text history-detail">{entry.detail}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

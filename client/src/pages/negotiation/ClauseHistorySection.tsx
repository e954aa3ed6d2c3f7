/**
 * "How did this clause get its words?": its text in every iteration, the suggestions the parties
 * shared on it, the accepted changes (party, author, suggestion, iteration, who accepted them),
 * votes and sign-offs, in one timeline.
 */
import { type ClauseHistory, fetchClauseHistory } from '../../api'
import { formatMoment } from '../../components/dates'
import { useLatestResponse } from '../../components/useLatestResponse'
import { describeOutcome, describePosition } from './voteSummary'

interface Entry {
  at: number
  key: string
  text: string
  detail?: string
}

type ProvenanceEntry = NonNullable<ClauseHistory['provenance']>[number]

const KIND_WORDS = { insert: 'inserted', delete: 'struck', format: 'reformatted' } as const

/**
 * One provenance entry in words: an accepted change of a suggestion names the party, the author,
 * what the change did, the suggestion, the iteration it was accepted on and who accepted it; a
 * legacy entry names the adopted proposal.
 */
function provenanceEntry(
  entry: ProvenanceEntry,
  partyName: (id: string) => string,
): Pick<Entry, 'text' | 'detail'> {
  const party = partyName(entry.partyId)
  if (entry.changeId === undefined || entry.changeId === null || entry.kind === undefined) {
    return {
      text: `${entry.adoptedByName} adopted the ${party} proposal${entry.edited ? ' with edits' : ''} (on Single Text ${entry.iteration})`,
    }
  }
  const author = entry.authorName ? ` by ${entry.authorName}` : ''
  return {
    text: `${entry.adoptedByName} accepted a change of the ${party} suggestion${author}${entry.edited ? ', with edits' : ''}: ${KIND_WORDS[entry.kind]} (Single Text ${entry.iteration}, suggestion ${entry.suggestionId})`,
    ...(entry.text ? { detail: entry.text } : {}),
  }
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
      .map((change) => `${change.kind} “${change.text}” (${change.status})`)
      .join('\n')
    entries.push({
      at: suggestion.sharedAt ?? 0,
      key: `g${suggestion.id}`,
      text: `${partyName(suggestion.partyId)} suggestion shared${suggestion.sharedByName ? ` by ${suggestion.sharedByName}` : ''} (on Single Text ${suggestion.iteration}), ${suggestion.status}`,
      detail: suggestion.rationale ? `${words}\nInterest: ${suggestion.rationale}` : words,
    })
  }
  for (const accepted of history.provenance ?? []) {
    entries.push({
      at: accepted.at,
      key: `a${accepted.at}-${accepted.suggestionId}-${accepted.changeId ?? ''}`,
      ...provenanceEntry(accepted, partyName),
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
              <span className="muted">{formatMoment(entry.at)}</span> {entry.text}
              {entry.detail && <p className="clause-text history-detail">{entry.detail}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

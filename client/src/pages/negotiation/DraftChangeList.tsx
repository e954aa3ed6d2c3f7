/**
 * "Changes since Single Text N" with their provenance: each change of the working draft against
 * the iteration, clause by clause, as a tracked change in its words' context (inserted words
 * underlined, struck words struck through, with the words said for screen readers; reformatted
 * words as they will look, with what changed in words: "Bold added to ‘no loss of employment’"),
 * labelled with the accepted suggestion it came from (party, author, iteration, who accepted it;
 * the suggestion's id in a tooltip) or as the mediator's own edit.
 */
import { Fragment } from 'react'
import { type DraftChanges, fetchDraftChanges } from '../../api'
import { useLatestResponse } from '../../components/useLatestResponse'
import { formatLookStyle } from '../../editor/changeLook'
import { formatChangeWords, suggestionReference, wordGap } from './changeWords'

type ClauseChanges = DraftChanges['clauses'][number]
type Change = ClauseChanges['changes'][number]

/**
 * Where a change came from, in words ("From the Management suggestion by Sam Whitfield on Single
 * Text 1, accepted by Dana Reyes"), and the suggestion's id for a tooltip ('' for the mediator's
 * own edit).
 */
export function provenanceLine(
  change: Change,
  partyName: (id: string) => string,
): { text: string; title: string } {
  const from = change.provenance
  if (!from) return { text: 'Mediator’s edit', title: '' }
  const accepted = from.acceptedByName ? `, accepted by ${from.acceptedByName}` : ''
  const edited = from.edited ? ' (edited by the mediator)' : ''
  const reference = suggestionReference(partyName(from.partyId), from.authorName, from.iteration)
  return {
    text: `From ${reference}${accepted}${edited}`,
    title: `Suggestion ${from.suggestionId}`,
  }
}

/** A change's words, marked as inserted, struck or reformatted; the spaces around stay outside. */
function Marked({ change }: { change: Change }) {
  const words = change.text.trim()
  const leading = change.text.slice(0, change.text.length - change.text.trimStart().length)
  const trailing = change.text.slice(change.text.trimEnd().length)
  if (words === '') return <>{change.text}</>
  if (change.kind === 'format')
    return (
      <>
        {leading}
        <span className="tracked-format" style={formatLookStyle(change)}>
          {words}
        </span>
        {trailing}
      </>
    )
  const Mark = change.kind === 'insert' ? 'ins' : 'del'
  return (
    <>
      {leading}
      <Mark className={change.kind === 'insert' ? 'tracked-ins' : 'tracked-del'}>
        <span className="visually-hidden">
          {change.kind === 'insert' ? '[inserted:' : '[deleted:'}
          {'\u00a0'}
        </span>
        {words}
        <span className="visually-hidden">]</span>
      </Mark>
      {trailing}
    </>
  )
}

/**
 * One row's changes in their context: the words before, each change (a space put between any two
 * pieces whose words would run together), the words after.
 */
function RowText({ row }: { row: readonly Change[] }) {
  const first = row[0] as Change
  const last = row[row.length - 1] as Change
  return (
    <span className="clause-text">
      <span className="muted">{first.before}</span>
      {row.map((change, index) => (
        <Fragment key={change.kind}>
          {wordGap(index === 0 ? first.before : (row[index - 1] as Change).text, change.text)}
          <Marked change={change} />
        </Fragment>
      ))}
      {wordGap(last.text, last.after)}
      <span className="muted">{last.after}</span>
    </span>
  )
}

/** The changes of one clause, a replacement (a delete and its insert) on one line. */
function ClauseChangeRows({
  clause,
  partyName,
}: {
  clause: ClauseChanges
  partyName: (id: string) => string
}) {
  const rows: Change[][] = []
  const shown = new Set<number>()
  clause.changes.forEach((change, index) => {
    if (shown.has(index)) return
    shown.add(index)
    const paired = change.pairedWith === undefined ? undefined : clause.changes[change.pairedWith]
    if (paired && change.pairedWith !== undefined && !shown.has(change.pairedWith)) {
      shown.add(change.pairedWith)
      rows.push([change, paired])
    } else rows.push([change])
  })
  return (
    <ol className="draft-change-rows">
      {rows.map((row) => {
        const first = row[0] as Change
        const from = row.find((change) => change.provenance !== null) ?? first
        const provenance = provenanceLine(from, partyName)
        const formats = row.filter((change) => change.kind === 'format')
        // The spaces between the row's parts keep their words apart for whoever reads the text.
        return (
          <li
            key={`${first.kind}-${first.before}-${first.text}-${first.after}`}
            className={`draft-change${first.provenance ? ' from-suggestion' : ' mediator-edit'}`}
          >
            <RowText row={row} />{' '}
            {formats.map((change) => (
              <Fragment key={`format-${change.text}`}>
                <span className="draft-change-what">
                  {capitalized(formatChangeWords(change.marks, change.text))}
                </span>{' '}
              </Fragment>
            ))}
            <span
              className="draft-change-provenance"
              {...(provenance.title ? { title: provenance.title } : {})}
            >
              {provenance.text}
            </span>
          </li>
        )
      })}
    </ol>
  )
}

function capitalized(words: string): string {
  return `${words[0]?.toUpperCase() ?? ''}${words.slice(1)}`
}

/** Loads and shows the draft's changes since iteration `since`. */
export function DraftChangeList({
  negotiationId,
  since,
  partyName,
}: {
  negotiationId: string
  since: number
  partyName: (id: string) => string
}) {
  const { value, error } = useLatestResponse(
    () => fetchDraftChanges(negotiationId, since),
    [negotiationId, since],
  )
  if (error) {
    const message = error instanceof Error ? error.message : String(error)
    return <p className="form-error">The changes could not be loaded: {message}</p>
  }
  if (!value) return <p className="muted">Loading the changes…</p>
  if (value.clauses.length === 0)
    return <p className="muted">No words changed since Single Text {since}.</p>
  return (
    <div className="draft-changes">
      {value.clauses.map((clause) => (
        <div key={clause.clauseId} className="diff-clause">
          <p className="diff-clause-head">
            <strong>
              {clause.number}. {clause.heading}
            </strong>
            {clause.rewritten && <span className="muted"> (rewritten)</span>}
          </p>
          <ClauseChangeRows clause={clause} partyName={partyName} />
        </div>
      ))}
    </div>
  )
}

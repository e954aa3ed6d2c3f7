/**
 * "Changes since Single Text N" with their provenance: each change of the working draft against
 * the iteration, clause by clause, as a tracked change in its words' context (inserted words
 * underlined, struck words struck through, with the words said for screen readers), labelled
 * with the accepted suggestion it came from (party, author, suggestion, iteration, who accepted
 * it) or as the mediator's own edit.
 */
import { Fragment } from 'react'
import { type DraftChanges, fetchDraftChanges } from '../../api'
import { useLatestResponse } from '../../components/useLatestResponse'

type ClauseChanges = DraftChanges['clauses'][number]
type Change = ClauseChanges['changes'][number]

/** Where a change came from, in words. */
export function provenanceLine(change: Change, partyName: (id: string) => string): string {
  const from = change.provenance
  if (!from) return 'Mediator’s edit'
  const author = from.authorName ? `, ${from.authorName}` : ''
  const accepted = from.acceptedByName ? `, accepted by ${from.acceptedByName}` : ''
  const edited = from.edited ? ' (edited by the mediator)' : ''
  return `${partyName(from.partyId)}${author} · suggestion ${from.suggestionId} on Single Text ${from.iteration}${accepted}${edited}`
}

function Marked({ change }: { change: Change }) {
  if (change.kind === 'format') {
    const added = change.marks?.add.map((mark) => mark.replace(/^.*"type":"([^"]+)".*$/, '$1'))
    const removed = change.marks?.remove.map((mark) => mark.replace(/^.*"type":"([^"]+)".*$/, '$1'))
    return (
      <span className="tracked-format">
        {change.text}{' '}
        <span className="muted">
          (
          {[
            ...(added ?? []).map((m) => `${m} added`),
            ...(removed ?? []).map((m) => `${m} removed`),
          ].join(', ')}
          )
        </span>
      </span>
    )
  }
  const Mark = change.kind === 'insert' ? 'ins' : 'del'
  // The spaces stay outside the mark: the line covers words only.
  const words = change.text.trim()
  const leading = change.text.slice(0, change.text.length - change.text.trimStart().length)
  const trailing = change.text.slice(change.text.trimEnd().length)
  return (
    <>
      {leading}
      <Mark className={change.kind === 'insert' ? 'tracked-ins' : 'tracked-del'}>
        <span className="visually-hidden">
          {change.kind === 'insert' ? '[inserted:' : '[deleted:'}
          {'\u00a0'}
        </span>
        {words === '' ? change.text : words}
        <span className="visually-hidden">]</span>
      </Mark>
      {words === '' ? '' : trailing}
    </>
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
        const last = row[row.length - 1] as Change
        const from = row.find((change) => change.provenance !== null) ?? first
        return (
          <li
            key={`${first.kind}-${first.before}-${first.text}-${first.after}`}
            className={`draft-change${first.provenance ? ' from-suggestion' : ' mediator-edit'}`}
          >
            <span className="clause-text">
              <span className="muted">{first.before}</span>
              {row.map((change, index) => (
                <Fragment key={change.kind}>
                  {index > 0 && ' '}
                  <Marked change={change} />
                </Fragment>
              ))}
              <span className="muted">{last.after}</span>
            </span>
            <span className="draft-change-provenance">{provenanceLine(from, partyName)}</span>
          </li>
        )
      })}
    </ol>
  )
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

/**
 * The local tables' view: the national text as published by the mediator, iteration by iteration,
 * read-only, with each clause's history (published iterations only), and comparisons between
 * published iterations. No live drafts, layers or caucus notes.
 */

import { useState } from 'react'
import { createSupplement, fetchIteration } from '../../api'
import { ClauseText } from '../../components/ClauseText'
import { DownloadButton } from '../../components/DownloadButton'
import { formatMoment } from '../../components/dates'
import { useFormAction } from '../../components/useFormAction'
import { useLatestResponse } from '../../components/useLatestResponse'
import { ClauseHistorySection } from './ClauseHistorySection'
import type { ViewRoute } from './viewRoute'

function StartSupplement({
  negotiationId,
  number,
  onCreated,
}: {
  negotiationId: string
  number: number
  /** Called with the new supplement's document name. */
  onCreated: (document: string) => void
}) {
  const [title, setTitle] = useState('')
  const { busy, error, run } = useFormAction()
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault()
        void run(async () => {
          const created = await createSupplement(negotiationId, title, number)
          setTitle('')
          onCreated(created.document)
        })
      }}
    >
      <label htmlFor="supplement-title">Local supplement title</label>
      <input
        id="supplement-title"
        required
        value={title}
        onChange={(event) => setTitle(event.target.value)}
      />
      <button type="submit" disabled={busy}>
        Start a local supplement from Single Text {number}
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </form>
  )
}

export function PublishedView({
  negotiationId,
  numbers,
  published,
  route,
  onNavigate,
  onSupplementCreated,
}: {
  negotiationId: string
  numbers: readonly number[]
  /** Which of them are published to the local tables. */
  published: ReadonlySet<number>
  /** The iteration and clause the address names (the latest readable one when none). */
  route: Extract<ViewRoute, { view: 'published' }>
  /** Changes the address. */
  onNavigate: (route: ViewRoute) => void
  /** Set for local tables, who may start a local supplement from a published text. */
  onSupplementCreated?: (document: string) => void
}) {
  // The list arrives after the first render, and grows when the mediator publishes.
  const latest = numbers[numbers.length - 1] ?? 0
  const lastPublished = numbers.filter((candidate) => published.has(candidate)).pop()
  const number =
    route.iteration !== undefined && numbers.includes(route.iteration) ? route.iteration : latest
  const selected = route.clauseId ?? null
  const setSelected = (clauseId: string) =>
    onNavigate({ view: 'published', iteration: number, clauseId })
  const { value: iteration } = useLatestResponse(
    () => (number ? fetchIteration(negotiationId, number) : null),
    [negotiationId, number],
  )
  if (numbers.length === 0) {
    return (
      <main className="page">
        <p>The mediator has not published a national text to local tables yet.</p>
      </main>
    )
  }
  return (
    <div className="iteration-layout">
      <nav className="left-pane outline" aria-label="Clauses">
        <h2 className="pane-title">Clauses</h2>
        <ol>
          {iteration?.clauses.map((clause) => (
            <li key={clause.id}>
              <button
                type="button"
                className="outline-link"
                aria-current={clause.id === selected ? 'true' : undefined}
                onClick={() => setSelected(clause.id)}
              >
                {clause.number}. {clause.heading}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <main className="iteration-main">
        <div className="inline-form">
          <label htmlFor="published-iteration">
            {onSupplementCreated ? 'Published text' : 'Text as of'}
          </label>
          <select
            id="published-iteration"
            value={number}
            onChange={(event) =>
              onNavigate({
                view: 'published',
                iteration: Number(event.target.value),
                ...(selected ? { clauseId: selected } : {}),
              })
            }
          >
            {numbers.map((candidate) => (
              <option key={candidate} value={candidate}>
                Single Text {candidate}
                {candidate === lastPublished
                  ? ' (latest published)'
                  : published.has(candidate)
                    ? ' (published)'
                    : ''}
              </option>
            ))}
          </select>
        </div>
        {iteration && <IterationExports negotiationId={negotiationId} number={iteration.number} />}
        {iteration && onSupplementCreated && (
          <StartSupplement
            negotiationId={negotiationId}
            number={iteration.number}
            onCreated={onSupplementCreated}
          />
        )}
        {iteration && (
          <p className="muted">
            Single Text {iteration.number}, circulated {formatMoment(iteration.createdAt)}
            {iteration.note ? `: ${iteration.note}` : ''}. Read-only.
          </p>
        )}
        <div className="paper iteration-paper">
          {iteration?.clauses.map((clause) => (
            <section
              key={clause.id}
              className={`clause-card${clause.id === selected ? ' selected' : ''}`}
              aria-labelledby={`published-${clause.id}`}
            >
              <div className="clause-head">
                <h3 id={`published-${clause.id}`}>
                  <button
                    type="button"
                    className="clause-select"
                    onClick={() => setSelected(clause.id)}
                    aria-pressed={clause.id === selected}
                  >
                    <span className="clause-number">{clause.number}.</span> {clause.heading}
                  </button>
                </h3>
              </div>
              <ClauseText text={clause.text} />
            </section>
          ))}
        </div>
      </main>
      <aside className="clause-panel" aria-label="Clause history">
        {selected ? (
          <ClauseHistorySection
            key={selected}
            negotiationId={negotiationId}
            clauseId={selected}
            refreshKey={String(number)}
            partyName={() => ''}
          />
        ) : (
          <p className="muted">Choose a clause to see how its words came to be.</p>
        )}
      </aside>
    </div>
  )
}

/** What each export format is called on its button. */
const EXPORT_LABELS = {
  docx: 'Word',
  pdf: 'PDF',
  html: 'HTML',
  md: 'Markdown',
  akn: 'Akoma Ntoso (XML)',
} as const

/** Download buttons for one iteration in every export format. */
export function IterationExports({
  negotiationId,
  number,
}: {
  negotiationId: string
  number: number
}) {
  return (
    <div className="button-row">
      <span className="muted">Download Single Text {number}:</span>
      {(['docx', 'pdf', 'html', 'md', 'akn'] as const).map((format) => (
        <DownloadButton
          key={format}
          href={`/api/negotiations/${encodeURIComponent(negotiationId)}/iterations/${number}/export?format=${format}`}
          label={EXPORT_LABELS[format]}
        />
      ))}
    </div>
  )
}

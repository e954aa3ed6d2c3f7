/**
 * Compare any two iterations: the list of changed clauses, then every clause aligned by its id,
 * either as an inline redline (insertions underlined, deletions struck through) or side by side,
 * optionally the changed clauses only (on a 300-page text, the few that changed). Renumbering alone
 * is not a change; a clause that changed place shows as moved.
 */
import { useEffect, useState } from 'react'
import { type ClauseDiffRow, fetchDiff } from '../../api'
import { bodyOps } from '../../components/clauseBlocks'
import { DownloadButton } from '../../components/DownloadButton'
import { TrackedBlocks } from '../../components/TrackedText'

const CHANGE_LABELS: Record<ClauseDiffRow['change'], string> = {
  added: 'Added',
  removed: 'Removed',
  changed: 'Changed',
  moved: 'Moved',
  same: 'Unchanged',
}

const INK = '#1c1f24'

/** The operations without the unchanged heading line the header already shows. */
function IterationSelect({
  id,
  label,
  value,
  numbers,
  onChange,
}: {
  id: string
  label: string
  value: number
  numbers: readonly number[]
  onChange: (value: number) => void
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(Number(event.target.value))}>
        {numbers.map((number) => (
          <option key={number} value={number}>
            Single Text {number}
          </option>
        ))}
      </select>
    </>
  )
}

export function CompareView({
  negotiationId,
  numbers,
  from: wantedFrom,
  to: wantedTo,
  onChange,
}: {
  negotiationId: string
  numbers: readonly number[]
  /** The iterations the address names (the last two readable ones when absent or unreadable). */
  from: number | undefined
  to: number | undefined
  /** Chooses two iterations (changes the address). */
  onChange: (from: number, to: number) => void
}) {
  const last = numbers[numbers.length - 1] ?? 1
  const readable = (number: number | undefined): number is number =>
    number !== undefined && numbers.includes(number)
  const from = readable(wantedFrom) ? wantedFrom : (numbers[numbers.length - 2] ?? last)
  const to = readable(wantedTo) ? wantedTo : last
  const setFrom = (next: number) => onChange(next, to)
  const setTo = (next: number) => onChange(from, next)
  const [mode, setMode] = useState<'redline' | 'side'>('redline')
  const [changesOnly, setChangesOnly] = useState(false)
  const [clauses, setClauses] = useState<ClauseDiffRow[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let cancelled = false
    setClauses(null)
    fetchDiff(negotiationId, from, to).then(
      (diff) => {
        if (!cancelled) setClauses(diff.clauses)
      },
      (reason: unknown) => setError(String(reason)),
    )
    return () => {
      cancelled = true
    }
  }, [negotiationId, from, to])

  const changed = (clauses ?? []).filter((clause) => clause.change !== 'same')
  const shown = changesOnly ? changed : (clauses ?? [])
  const hidden = (clauses?.length ?? 0) - shown.length
  return (
    <main className="page wide compare-view">
      <h2>Compare iterations</h2>
      <div className="inline-form">
        <IterationSelect
          id="compare-from"
          label="From"
          value={from}
          numbers={numbers}
          onChange={setFrom}
        />
        <IterationSelect id="compare-to" label="To" value={to} numbers={numbers} onChange={setTo} />
        <fieldset className="button-row">
          <legend className="visually-hidden">Show as</legend>
          <button
            type="button"
            aria-pressed={mode === 'redline'}
            onClick={() => setMode('redline')}
          >
            Redline
          </button>
          <button type="button" aria-pressed={mode === 'side'} onClick={() => setMode('side')}>
            Side by side
          </button>
        </fieldset>
        <label className="checkbox-label">
          <input
            type="checkbox"
            checked={changesOnly}
            onChange={(event) => setChangesOnly(event.target.checked)}
          />{' '}
          Changed clauses only
        </label>
      </div>
      <div className="button-row">
        <span className="muted">
          Blackline of {to} against {from}:
        </span>
        {(['docx', 'pdf', 'html'] as const).map((format) => (
          <DownloadButton
            key={format}
            href={`/api/negotiations/${encodeURIComponent(negotiationId)}/blackline?from=${from}&to=${to}&format=${format}`}
            label={format === 'docx' ? 'Word (tracked changes)' : format.toUpperCase()}
          />
        ))}
      </div>
      {error && <p role="alert">{error}</p>}
      {clauses && (
        <>
          {mode === 'side' && (
            <div className="side-by-side side-by-side-heads" aria-hidden="true">
              <p className="pane-title">Single Text {from}</p>
              <p className="pane-title">Single Text {to}</p>
            </div>
          )}
          <section aria-labelledby="changed-heading" className="card">
            <h3 id="changed-heading">
              {changed.length === 0
                ? 'No clause changed'
                : `${changed.length} clause${changed.length === 1 ? '' : 's'} changed`}
            </h3>
            <ul className="changed-list">
              {changed.map((clause) => (
                <li key={clause.id}>
                  <a href={`#diff-${clause.id}`}>
                    {clause.number}. {clause.heading}
                  </a>{' '}
                  <span className={`change-chip change-${clause.change}`}>
                    {CHANGE_LABELS[clause.change]}
                  </span>
                  {clause.fromNumber && clause.fromNumber !== clause.number
                    ? ` (was ${clause.fromNumber})`
                    : ''}
                </li>
              ))}
            </ul>
          </section>
          <div className="paper diff-paper">
            {hidden > 0 && (
              <p className="muted">
                {hidden} unchanged clause{hidden === 1 ? '' : 's'} not shown.
              </p>
            )}
            {shown.map((clause) => (
              <section
                key={clause.id}
                id={`diff-${clause.id}`}
                className={`diff-clause change-${clause.change}`}
                aria-label={`Clause ${clause.number}`}
              >
                <p className="diff-clause-head">
                  <strong>
                    {clause.number}. {clause.heading}
                  </strong>{' '}
                  <span className={`change-chip change-${clause.change}`}>
                    {CHANGE_LABELS[clause.change]}
                  </span>
                </p>
                {mode === 'redline' ? (
                  <TrackedBlocks ops={bodyOps(clause.ops, clause.heading)} color={INK} />
                ) : (
                  <div className="side-by-side">
                    <TrackedBlocks
                      ops={bodyOps(clause.ops, clause.heading).filter(([kind]) => kind !== '+')}
                      color={INK}
                      side="before"
                    />
                    <TrackedBlocks
                      ops={bodyOps(clause.ops, clause.heading).filter(([kind]) => kind !== '-')}
                      color={INK}
                    />
                  </div>
                )}
              </section>
            ))}
          </div>
        </>
      )}
    </main>
  )
}

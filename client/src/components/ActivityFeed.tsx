/**
 * The activity feed in the top bar: what happened in the negotiation (new iterations, shared
 * suggestions, votes, reopen requests, agreed clauses, publications), with the count of what is new
 * since this person last looked (kept with their account, so every browser agrees), "mark as
 * read", and which events e-mail them.
 */
import type { ActivityEntry } from '@onetext/shared/statusDoc'
import { useState } from 'react'
import { updateActivityReader } from '../api'
import { ActivityMailChoice } from './ActivityMailChoice'
import { formatMoment } from './dates'
import { useActivityReader } from './useActivityReader'

/** How many earlier entries the panel lists below the new ones. */
const EARLIER_SHOWN = 20

export function ActivityFeed({
  negotiationId,
  observer,
  entries,
}: {
  negotiationId: string
  /** A local table (told of publications only). */
  observer: boolean
  /** Every entry the person may see, oldest first. */
  entries: readonly ActivityEntry[]
}) {
  const [reader, setReader] = useActivityReader(negotiationId)
  const [open, setOpen] = useState(false)
  const lastSeen = reader?.seenAt ?? Number.POSITIVE_INFINITY
  const newest = [...entries].reverse()
  const unread = newest.filter((entry) => entry.at > lastSeen)
  const earlier = newest.filter((entry) => entry.at <= lastSeen).slice(0, EARLIER_SHOWN)
  const markRead = () => {
    const at = entries[entries.length - 1]?.at ?? Date.now()
    if (reader) setReader({ ...reader, seenAt: Math.max(reader.seenAt, at) })
    updateActivityReader(negotiationId, { seenAt: at }).then(setReader, () => {})
  }
  const item = (entry: ActivityEntry) => (
    <li key={entry.id}>
      <time className="activity-time" dateTime={new Date(entry.at).toISOString()}>
        {formatMoment(entry.at)}
      </time>{' '}
      {entry.text}
    </li>
  )
  return (
    <div className="activity-feed">
      <button
        type="button"
        className="activity-toggle"
        aria-expanded={open}
        aria-controls="activity-panel"
        onClick={() => setOpen(!open)}
      >
        Activity
        {unread.length > 0 && <span className="activity-count"> {unread.length} new</span>}
      </button>
      {open && (
        <section id="activity-panel" className="activity-panel" aria-label="Activity">
          <h2 className="activity-heading">Since you last looked</h2>
          {unread.length === 0 ? (
            <p className="muted">Nothing new.</p>
          ) : (
            <>
              <ul className="activity-list">{unread.map(item)}</ul>
              <button type="button" onClick={markRead}>
                Mark all as read
              </button>
            </>
          )}
          {earlier.length > 0 && (
            <>
              <h2 className="activity-heading">Earlier</h2>
              <ul className="activity-list">{earlier.map(item)}</ul>
            </>
          )}
          {reader?.mailAvailable && (
            <ActivityMailChoice
              negotiationId={negotiationId}
              chosen={reader.mailKinds}
              observer={observer}
              onChanged={(mailKinds) => setReader({ ...reader, mailKinds })}
            />
          )}
        </section>
      )}
    </div>
  )
}

/**
 * Annotations on one clause from every document I can read (my party's layer, my caucus notes, the
 * table), re-anchored to this iteration's text; and a form to add one: objection, question,
 * interest or support, written where I choose.
 */
import {
  ANNOTATION_KINDS,
  type Annotation,
  type AnnotationKind,
  addAnnotation,
  findQuote,
  MAX_QUOTE_LENGTH,
  readAnnotations,
  reanchor,
  replyToAnnotation,
  setAnnotationResolved,
} from '@onetext/shared/annotations'
import { useMemo, useState } from 'react'
import type { CollabSession } from '../../collab/CollabSession'
import { useYValue } from '../../collab/useYValue'
import { useNegotiation } from './NegotiationContext'

const NONE: Annotation[] = []

interface Place {
  label: string
  /** Who reads an annotation written here, shown before it is sent. */
  readers: string
  session: CollabSession
}

function PlaceAnnotations({
  place,
  clauseId,
  clauseText,
}: {
  place: Place
  clauseId: string
  clauseText: string
}) {
  const view = useNegotiation()
  const all = useYValue(place.session.doc, readAnnotations, NONE)
  const [reply, setReply] = useState<Record<string, string>>({})
  const mine = all.filter((annotation) => annotation.clauseId === clauseId)
  if (mine.length === 0) return null
  return (
    <>
      {mine.map((annotation) => {
        const anchored = reanchor(annotation, clauseText)
        return (
          <li
            key={annotation.id}
            className={`annotation annotation-${annotation.kind}${annotation.resolved ? ' resolved' : ''}`}
          >
            <p className="annotation-meta">
              <span className="annotation-kind">{annotation.kind}</span> in {place.label} by{' '}
              {annotation.authorName}
              {annotation.resolved ? ' (resolved)' : ''}
            </p>
            {annotation.quote && (
              <blockquote>
                “{annotation.quote}”
                {anchored === null && annotation.iteration !== view.iteration?.number
                  ? ' (no longer in this text)'
                  : ''}
              </blockquote>
            )}
            <p>{annotation.body}</p>
            {annotation.replies.map((entry) => (
              <p key={`${entry.at}-${entry.authorName}`} className="annotation-reply">
                <strong>{entry.authorName}:</strong> {entry.body}
              </p>
            ))}
            <form
              className="inline-form"
              onSubmit={(event) => {
                event.preventDefault()
                const body = (reply[annotation.id] ?? '').trim()
                if (!body) return
                replyToAnnotation(place.session.doc, annotation.id, {
                  authorName: view.user.name,
                  body,
                  at: Date.now(),
                })
                setReply({ ...reply, [annotation.id]: '' })
              }}
            >
              <label htmlFor={`reply-${annotation.id}`} className="visually-hidden">
                Reply
              </label>
              <input
                id={`reply-${annotation.id}`}
                placeholder="Reply"
                value={reply[annotation.id] ?? ''}
                onChange={(event) => setReply({ ...reply, [annotation.id]: event.target.value })}
              />
              <button type="submit">Reply</button>
              <button
                type="button"
                onClick={() =>
                  setAnnotationResolved(place.session.doc, annotation.id, !annotation.resolved)
                }
              >
                {annotation.resolved ? 'Reopen' : 'Resolve'}
              </button>
            </form>
          </li>
        )
      })}
    </>
  )
}

export function AnnotationsSection({
  clauseId,
  clauseText,
}: {
  clauseId: string
  clauseText: string
}) {
  const view = useNegotiation()
  const places: Place[] = []
  const layer = view.session('layer', view.myParty?.id)
  const caucus = view.session('caucus', view.myParty?.id)
  const table = view.session('table')
  // The writer's own party first: posting to the table (the other parties read it) is a choice.
  const party = view.myParty?.name ?? 'your party'
  if (caucus)
    places.push({
      label: `${party} caucus notes`,
      readers: `${party} only (not the mediator, not the other parties)`,
      session: caucus,
    })
  if (layer)
    places.push({
      label: `${party} layer`,
      readers: `${party} and the mediator (not the other parties)`,
      session: layer,
    })
  if (table)
    places.push({
      label: 'the table',
      readers: 'everyone at the table, including the other parties',
      session: table,
    })
  const [kind, setKind] = useState<AnnotationKind>('objection')
  const [where, setWhere] = useState(0)
  const [body, setBody] = useState('')
  // The quote is typed or pasted (the keyboard's way), or taken from a selection in the clause.
  const [quoteTyped, setQuoteTyped] = useState('')
  const found = useMemo(() => findQuote(clauseText, quoteTyped), [clauseText, quoteTyped])
  return (
    <section className="panel-section" aria-labelledby={`annotations-${clauseId}`}>
      <h3 id={`annotations-${clauseId}`}>Annotations</h3>
      <ul className="annotation-list">
        {places.map((place) => (
          <PlaceAnnotations
            key={place.session.docName}
            place={place}
            clauseId={clauseId}
            clauseText={clauseText}
          />
        ))}
      </ul>
      {places.length > 0 && (
        <form
          className="annotation-form"
          onSubmit={(event) => {
            event.preventDefault()
            const place = places[where]
            if (!place || !body.trim()) return
            addAnnotation(place.session.doc, {
              id: crypto.randomUUID(),
              clauseId,
              iteration: view.iteration?.number ?? 0,
              quote: found?.quote ?? '',
              offset: found?.offset ?? 0,
              kind,
              body: body.trim(),
              authorId: view.user.id,
              authorName: view.user.name,
              partyId: view.myParty?.id ?? null,
            })
            setBody('')
            setQuoteTyped('')
          }}
        >
          <label htmlFor={`annotation-quote-${clauseId}`}>
            Quote <span className="muted">(optional: type or paste words of the clause)</span>
          </label>
          <div className="inline-form">
            <input
              id={`annotation-quote-${clauseId}`}
              value={quoteTyped}
              maxLength={MAX_QUOTE_LENGTH}
              aria-describedby={`annotation-quote-found-${clauseId}`}
              onChange={(event) => setQuoteTyped(event.target.value)}
            />
            <button
              type="button"
              onClick={() => {
                const selected = window.getSelection()?.toString().trim() ?? ''
                if (selected) setQuoteTyped(selected.slice(0, MAX_QUOTE_LENGTH))
              }}
            >
              Use the words selected in the clause
            </button>
          </div>
          <p className="muted" id={`annotation-quote-found-${clauseId}`} aria-live="polite">
            {quoteTyped.trim() === ''
              ? ''
              : found
                ? `Quotes: “${found.quote}”`
                : 'Not in this clause’s text: the annotation will have no quote.'}
          </p>
          <div className="inline-form">
            <label htmlFor={`annotation-kind-${clauseId}`}>Kind</label>
            <select
              id={`annotation-kind-${clauseId}`}
              value={kind}
              onChange={(event) => setKind(event.target.value as AnnotationKind)}
            >
              {ANNOTATION_KINDS.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {candidate}
                </option>
              ))}
            </select>
            <label htmlFor={`annotation-where-${clauseId}`}>Where</label>
            <select
              id={`annotation-where-${clauseId}`}
              value={where}
              onChange={(event) => setWhere(Number(event.target.value))}
            >
              {places.map((place, index) => (
                <option key={place.session.docName} value={index}>
                  {place.label}
                </option>
              ))}
            </select>
          </div>
          <label htmlFor={`annotation-body-${clauseId}`}>Comment</label>
          <textarea
            id={`annotation-body-${clauseId}`}
            rows={2}
            value={body}
            onChange={(event) => setBody(event.target.value)}
          />
          <p className="annotation-readers" id={`annotation-readers-${clauseId}`}>
            Read by: {places[where]?.readers}
          </p>
          <button type="submit" aria-describedby={`annotation-readers-${clauseId}`}>
            Add annotation
          </button>
        </form>
      )}
    </section>
  )
}

/**
 * Annotations: comments anchored to a span of a clause, typed, threaded and resolvable. They live in
 * the `annotations` root map of the document they are written in: a party layer (private to the
 * party), the caucus notes, or the table (shared). Each is a Y.Map:
 *
 * | key | type | meaning |
 * | --- | --- | --- |
 * | id, clauseId | string | the annotation and its clause |
 * | iteration | number | the iteration whose text it was written on |
 * | quote, offset | string, number | the annotated span of that iteration's clause text |
 * | kind | objection, question, interest, support | |
 * | body | string | the comment |
 * | authorId, authorName, partyId | string | who wrote it |
 * | createdAt | number | |
 * | resolved | boolean | |
 * | replies | Y.Array of {authorName, body, at} | the thread |
 *
 * In a later iteration an annotation is re-anchored to the same clause: to its quote where that
 * text still appears, else to the clause as a whole.
 */
import * as Y from 'yjs'

/** Root map of annotations. */
export const ANNOTATIONS_ROOT = 'annotations'

/** The kinds of annotation. */
export const ANNOTATION_KINDS = ['objection', 'question', 'interest', 'support'] as const
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number]

/** One reply in a thread. */
export interface AnnotationReply {
  authorName: string
  body: string
  at: number
}

/** An annotation read into plain values. */
export interface Annotation {
  id: string
  clauseId: string
  iteration: number
  quote: string
  offset: number
  kind: AnnotationKind
  body: string
  authorId: string
  authorName: string
  partyId: string | null
  createdAt: number
  resolved: boolean
  replies: AnnotationReply[]
}

/** Reads every annotation of a document, oldest first. */
export function readAnnotations(doc: Y.Doc): Annotation[] {
  const out: Annotation[] = []
  for (const value of doc.getMap<unknown>(ANNOTATIONS_ROOT).values()) {
    if (!(value instanceof Y.Map)) continue
    const id = value.get('id')
    const clauseId = value.get('clauseId')
    const kind = value.get('kind')
    if (typeof id !== 'string' || typeof clauseId !== 'string') continue
    const replies = value.get('replies')
    out.push({
      id,
      clauseId,
      iteration: Number(value.get('iteration') ?? 0),
      quote: String(value.get('quote') ?? ''),
      offset: Number(value.get('offset') ?? 0),
      kind: (ANNOTATION_KINDS as readonly string[]).includes(String(kind))
        ? (kind as AnnotationKind)
        : 'question',
      body: String(value.get('body') ?? ''),
      authorId: String(value.get('authorId') ?? ''),
      authorName: String(value.get('authorName') ?? ''),
      partyId: typeof value.get('partyId') === 'string' ? (value.get('partyId') as string) : null,
      createdAt: Number(value.get('createdAt') ?? 0),
      resolved: value.get('resolved') === true,
      replies: replies instanceof Y.Array ? (replies.toArray() as AnnotationReply[]) : [],
    })
  }
  return out.sort((a, b) => a.createdAt - b.createdAt)
}

/** Adds an annotation. */
export function addAnnotation(
  doc: Y.Doc,
  fields: Omit<Annotation, 'resolved' | 'replies' | 'createdAt'>,
): void {
  doc.transact(() => {
    const map = new Y.Map<unknown>()
    for (const [key, value] of Object.entries(fields)) map.set(key, value)
    map.set('createdAt', Date.now())
    map.set('resolved', false)
    map.set('replies', new Y.Array<AnnotationReply>())
    doc.getMap<unknown>(ANNOTATIONS_ROOT).set(fields.id, map)
  })
}

/** Adds a reply to an annotation's thread. */
export function replyToAnnotation(doc: Y.Doc, id: string, reply: AnnotationReply): void {
  const map = doc.getMap<unknown>(ANNOTATIONS_ROOT).get(id)
  const replies = map instanceof Y.Map ? map.get('replies') : null
  if (replies instanceof Y.Array) replies.push([reply])
}

/** Marks an annotation resolved (or not). */
export function setAnnotationResolved(doc: Y.Doc, id: string, resolved: boolean): void {
  const map = doc.getMap<unknown>(ANNOTATIONS_ROOT).get(id)
  if (map instanceof Y.Map) map.set('resolved', resolved)
}

/**
 * Where an annotation written on one iteration's clause text falls in another's: the offset of its
 * quote (nearest to the original offset), or null when the quote no longer appears.
 */
export function reanchor(
  annotation: Pick<Annotation, 'quote' | 'offset'>,
  clauseText: string,
): number | null {
  if (annotation.quote === '') return null
  let best: number | null = null
  let index = clauseText.indexOf(annotation.quote)
  while (index >= 0) {
    if (best === null || Math.abs(index - annotation.offset) < Math.abs(best - annotation.offset))
      best = index
    index = clauseText.indexOf(annotation.quote, index + 1)
  }
  return best
}

/** The longest quote kept (characters of the clause's text). */
export const MAX_QUOTE_LENGTH = 500

/**
 * The passage of `clauseText` that `typed` names, so that a quote can be typed (or pasted) rather
 * than selected with a mouse: the same words in the same order, ignoring case, the spaces between
 * them and straight or curly apostrophes and quotation marks. Returns the clause's own spelling of
 * the passage and its offset (the first occurrence), or null when the words are not there (or
 * `typed` is blank or longer than {@link MAX_QUOTE_LENGTH}).
 */
export function findQuote(
  clauseText: string,
  typed: string,
): { quote: string; offset: number } | null {
  const words = typed.trim().split(/\s+/).filter(Boolean)
  if (words.length === 0 || typed.length > MAX_QUOTE_LENGTH) return null
  const pattern = words
    .map((word) =>
      word
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/['\u2018\u2019]/g, "['\u2018\u2019]")
        .replace(/["\u201c\u201d]/g, '["\u201c\u201d]'),
    )
    .join('\\s+')
  const match = new RegExp(pattern, 'iu').exec(clauseText)
  // Words typed with single spaces can match a passage with long runs of them: still a quote's size.
  if (!match || match[0].length > MAX_QUOTE_LENGTH) return null
  return { quote: match[0], offset: match.index }
}

/**
 * What may happen to annotations in the documents that hold them (party layers, caucus notes, the
 * table), checked by an {@link EntryGuard}: everyone who may write the document may annotate, reply
 * and resolve, but nobody may speak for somebody else (see shared/src/annotations.ts for the fields):
 * - a new annotation must carry its writer's own identity (authorId, authorName, partyId);
 * - an existing annotation's fields stay as written, except `resolved`, which anyone may set;
 * - its thread only grows (earlier replies unchanged, in order), and each new reply carries its
 *   writer's name;
 * - only its author may delete it; the annotations map holds annotations and nothing else;
 * - its quote is a string of at most MAX_QUOTE_LENGTH characters (the page never sends more).
 */

import { ANNOTATIONS_ROOT, MAX_QUOTE_LENGTH } from '@onetext/shared/annotations'
import type { PresenceUser } from '@onetext/shared/apiTypes'
import * as Y from 'yjs'
import { deletedOnlyByAuthor, type EntryRules, type EntryState } from './EntryGuard'

/** Fields an annotation keeps as its author wrote them. */
const FIXED_FIELDS = [
  'id',
  'clauseId',
  'iteration',
  'quote',
  'offset',
  'kind',
  'body',
  'authorId',
  'authorName',
  'partyId',
  'createdAt',
] as const

/** An annotation's quote: absent, or a string no longer than the page's form allows. */
function quoteAllowed(quote: unknown): boolean {
  return quote === undefined || (typeof quote === 'string' && quote.length <= MAX_QUOTE_LENGTH)
}

function replies(state: Record<string, unknown>): unknown[] {
  return Array.isArray(state.replies) ? state.replies : []
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * The replies in `now` that are not in `earlier`, when `now` holds every earlier reply unchanged and
 * in the same order (null otherwise). The new ones may sit anywhere, not only at the end: two
 * replies written at the same time are ordered by Yjs, so the one applied second may land before
 * the first.
 */
function addedReplies(earlier: readonly unknown[], now: readonly unknown[]): unknown[] | null {
  const added: unknown[] = []
  let next = 0
  for (const reply of now) {
    if (next < earlier.length && sameValue(reply, earlier[next])) next++
    else added.push(reply)
  }
  return next === earlier.length ? added : null
}

function repliesBy(list: readonly unknown[], author: PresenceUser): boolean {
  return list.every(
    (reply) =>
      typeof reply === 'object' &&
      reply !== null &&
      (reply as { authorName?: unknown }).authorName === author.name,
  )
}

/** True when `after` differs from `before` only in ways `author` may make. */
export function annotationChangesAllowed(
  before: ReadonlyMap<string, EntryState>,
  after: ReadonlyMap<string, EntryState>,
  author: PresenceUser,
): boolean {
  for (const [id, state] of after) {
    if (state === null) return false
    const previous = before.get(id)
    if (previous === undefined || previous === null) {
      // New: written by its author, in their own name.
      if (
        state.id !== id ||
        state.authorId !== author.id ||
        state.authorName !== author.name ||
        (state.partyId ?? null) !== author.partyId ||
        !quoteAllowed(state.quote) ||
        !repliesBy(replies(state), author)
      )
        return false
      continue
    }
    if (FIXED_FIELDS.some((field) => !sameValue(state[field], previous[field]))) return false
    const added = addedReplies(replies(previous), replies(state))
    if (added === null || !repliesBy(added, author)) return false
    if (state.resolved !== undefined && typeof state.resolved !== 'boolean') return false
  }
  return deletedOnlyByAuthor(before, after, author)
}

/** The annotations root's rules, for {@link EntryGuard}. */
export const ANNOTATION_RULES: EntryRules = {
  root: ANNOTATIONS_ROOT,
  refusal: 'Your change altered annotations that are not yours and was refused.',
  read: (value) => (value instanceof Y.Map ? (value.toJSON() as Record<string, unknown>) : null),
  allowed: annotationChangesAllowed,
}

/**
 * Keeps annotations honest in the documents that hold them (party layers, caucus notes, the table):
 * everyone who may write the document may annotate, reply and resolve, but nobody may speak for
 * somebody else. A client's update is applied to a shadow copy first and the annotations compared
 * before and after (see shared/src/annotations.ts for their fields):
 * - a new annotation must carry its writer's own identity (authorId, authorName, partyId);
 * - an existing annotation's fields stay as written, except `resolved`, which anyone may set;
 * - its thread only grows, and each new reply carries its writer's name;
 * - only its author may delete it; the annotations map holds annotations and nothing else.
 * A refused update leaves the shadow diverged, so it is rebuilt from the real document on the next
 * check.
 */

import { ANNOTATIONS_ROOT } from '@onetext/shared/annotations'
import type { PresenceUser } from '@onetext/shared/apiTypes'
import * as Y from 'yjs'
import type { UpdateValidator } from '../sync/UpdateValidator'
import { ShadowCopy } from './ShadowCopy'

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

/** An annotation's fields as plain values, or null for an entry that is not an annotation map. */
type AnnotationState = Record<string, unknown> | null

/** The states of the annotations under `keys` in `doc` (absent keys are left out). */
function annotationStates(doc: Y.Doc, keys: Iterable<string>): Map<string, AnnotationState> {
  const root = doc.getMap<unknown>(ANNOTATIONS_ROOT)
  const states = new Map<string, AnnotationState>()
  for (const key of keys) {
    if (!root.has(key)) continue
    const value = root.get(key)
    states.set(key, value instanceof Y.Map ? (value.toJSON() as Record<string, unknown>) : null)
  }
  return states
}

function replies(state: Record<string, unknown>): unknown[] {
  return Array.isArray(state.replies) ? state.replies : []
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
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
  before: ReadonlyMap<string, AnnotationState>,
  after: ReadonlyMap<string, AnnotationState>,
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
        !repliesBy(replies(state), author)
      )
        return false
      continue
    }
    if (FIXED_FIELDS.some((field) => !sameValue(state[field], previous[field]))) return false
    const earlier = replies(previous)
    const now = replies(state)
    if (now.length < earlier.length) return false
    if (earlier.some((reply, index) => !sameValue(reply, now[index]))) return false
    if (!repliesBy(now.slice(earlier.length), author)) return false
    if (state.resolved !== undefined && typeof state.resolved !== 'boolean') return false
  }
  for (const [id, state] of before) {
    if (after.has(id) || state === null) continue
    if (state.authorId !== author.id) return false
  }
  return true
}

export class AnnotationGuard implements UpdateValidator {
  readonly refusal = 'Your change altered annotations that are not yours and was refused.'
  private readonly shadow: ShadowCopy

  constructor(private readonly doc: Y.Doc) {
    this.shadow = new ShadowCopy(doc)
  }

  /**
   * Only the annotations the update touches are compared (typing in a proposal touches none). Their
   * state before it is read from the document itself, which the shadow equals until the update is
   * applied to it.
   */
  accept(update: Uint8Array, author: PresenceUser): boolean {
    const root = this.shadow.current().getMap<unknown>(ANNOTATIONS_ROOT)
    const touched = new Set<string>()
    const observe = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
      for (const event of events) {
        if (event.target === root) for (const key of event.changes.keys.keys()) touched.add(key)
        else if (typeof event.path[0] === 'string') touched.add(event.path[0])
      }
    }
    root.observeDeep(observe)
    try {
      this.shadow.apply(update)
    } finally {
      root.unobserveDeep(observe)
    }
    if (touched.size === 0) return true
    const before = annotationStates(this.doc, touched)
    const after = annotationStates(this.shadow.current(), touched)
    if (annotationChangesAllowed(before, after, author)) return true
    this.shadow.drop()
    return false
  }
}

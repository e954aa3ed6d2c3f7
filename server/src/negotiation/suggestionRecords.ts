/**
 * Suggestions as records: a party copy's changes with their authors, the keys that match a copy's
 * change with a shared one, the list's view of drafts and shared suggestions, freezing a clause's
 * changes for the status document, and choosing the changes a decision acts on.
 */
import type {
  SuggestionChangeSummary,
  SuggestionSummary,
} from '@onetext/shared/api/suggestionSchemas'
import {
  type NegotiationStatus,
  type SharedChange,
  type SharedSuggestion,
  suggestionStatus,
} from '@onetext/shared/statusDoc'
import type { ChangeAuthor } from '@onetext/shared/suggestions/attribution'
import type { ClauseChange } from '@onetext/shared/suggestions/diff'
import { NegotiationError } from './NegotiationError'

/** A change of a party's copy with its author (null when unknown) and its index in its diff. */
export interface AuthoredChange {
  change: ClauseChange
  author: ChangeAuthor | null
  /** Its index in the clause diff's `changes` (what `pairedWith` refers to). */
  index: number
}

/** A clause's changes in a party's copy that are not shared yet (or, when sharing, not decided). */
export interface DraftGroup {
  clauseId: string
  changes: AuthoredChange[]
  rationale: string
}

/**
 * What identifies a change of one clause written against one iteration: its kind, base span, words
 * and marks. A party's copy keeps a change's words after it is shared; the same key finds it again.
 */
export function changeKey(
  clauseId: string,
  change: Pick<ClauseChange, 'kind' | 'base' | 'text' | 'marks'>,
): string {
  return JSON.stringify([
    clauseId,
    change.kind,
    change.base.from,
    change.base.to,
    change.text,
    change.marks ?? null,
  ])
}

/** The keys of the shared changes of `partyId` written against `iteration` that `include` takes. */
export function sharedChangeKeys(
  suggestions: Iterable<SharedSuggestion>,
  partyId: string,
  iteration: number,
  include: (change: SharedChange) => boolean,
): Set<string> {
  const keys = new Set<string>()
  for (const suggestion of suggestions) {
    if (suggestion.partyId !== partyId || suggestion.iteration !== iteration) continue
    for (const change of suggestion.changes)
      if (include(change)) keys.add(changeKey(suggestion.clauseId, change))
  }
  return keys
}

function changeId(index: number): string {
  return `c${index}`
}

/** The id the list gives the draft of `partyId` on `clauseId` of `iteration`. */
export function draftId(partyId: string, iteration: number, clauseId: string): string {
  return `draft.${partyId}.${iteration}.${clauseId}`
}

/** The earliest-dated author of `changes` (`''` when none is known). */
function firstAuthor(
  changes: ReadonlyArray<{ authorId: string; authorName: string; at: number }>,
): { authorId: string; authorName: string } {
  const known = changes.filter((change) => change.authorId !== '')
  const first = [...known].sort((a, b) => a.at - b.at)[0]
  return { authorId: first?.authorId ?? '', authorName: first?.authorName ?? '' }
}

/** The list's view of a party's draft on one clause (ids `c<index in the diff>`). */
export function draftSummary(
  partyId: string,
  iteration: number,
  group: DraftGroup,
): SuggestionSummary {
  const present = new Set(group.changes.map((entry) => entry.index))
  const changes: SuggestionChangeSummary[] = group.changes.map(({ change, author, index }) => ({
    id: changeId(index),
    kind: change.kind,
    text: change.text,
    authorId: author?.userId ?? '',
    authorName: author?.name ?? '',
    at: author?.at ?? 0,
    status: 'draft',
    ...(change.pairedWith !== undefined && present.has(change.pairedWith)
      ? { pairedWith: changeId(change.pairedWith) }
      : {}),
    ...(change.marks ? { marks: change.marks } : {}),
  }))
  return {
    id: draftId(partyId, iteration, group.clauseId),
    clauseId: group.clauseId,
    partyId,
    ...firstAuthor(changes),
    status: 'draft',
    iteration,
    changes,
    rationale: group.rationale,
  }
}

/** The list's view of a shared suggestion. */
export function sharedSummary(suggestion: SharedSuggestion): SuggestionSummary {
  const changes: SuggestionChangeSummary[] = suggestion.changes.map((change) => ({
    id: change.id,
    kind: change.kind,
    text: change.text,
    authorId: change.authorId,
    authorName: change.authorName,
    at: change.at,
    status: change.status,
    ...(change.pairedWith !== undefined ? { pairedWith: change.pairedWith } : {}),
    ...(change.marks ? { marks: change.marks } : {}),
  }))
  return {
    id: suggestion.id,
    clauseId: suggestion.clauseId,
    partyId: suggestion.partyId,
    ...firstAuthor(changes),
    status: suggestionStatus(suggestion),
    iteration: suggestion.iteration,
    changes,
    rationale: suggestion.rationale,
    sharedByName: suggestion.sharedByName,
    sharedAt: suggestion.sharedAt,
    ...(suggestion.supersedes !== undefined ? { supersedes: suggestion.supersedes } : {}),
  }
}

/** A clause's changes frozen for the status document, open, with ids `c1`, `c2`, ... */
export function freezeChanges(changes: readonly AuthoredChange[]): SharedChange[] {
  const ids = new Map(changes.map((entry, position) => [entry.index, `c${position + 1}`]))
  return changes.map(({ change, author, index }) => {
    const paired = change.pairedWith === undefined ? undefined : ids.get(change.pairedWith)
    return {
      id: ids.get(index) ?? changeId(index),
      kind: change.kind,
      text: change.text,
      authorId: author?.userId ?? '',
      authorName: author?.name ?? '',
      at: author?.at ?? 0,
      base: { from: change.base.from, to: change.base.to },
      context: { before: change.context.before, after: change.context.after },
      ...(change.content !== undefined ? { content: change.content } : {}),
      ...(change.marks
        ? { marks: { add: [...change.marks.add], remove: [...change.marks.remove] } }
        : {}),
      ...(paired !== undefined ? { pairedWith: paired } : {}),
      status: 'open',
    }
  })
}

/** A decision on a shared suggestion: one change, or every open one. */
export type ChangeChoice = string | 'all'

/**
 * The open changes `choice` names. Naming a change already decided the same way names nothing
 * (the decision stands); naming one decided otherwise is refused with `decided`.
 */
export function pick(
  suggestion: SharedSuggestion,
  choice: ChangeChoice,
  decision: 'accepted' | 'rejected',
): SharedChange[] {
  if (choice === 'all') return suggestion.changes.filter((change) => change.status === 'open')
  const change = suggestion.changes.find((candidate) => candidate.id === choice)
  if (!change) throw new NegotiationError('not-found', 'not-found', 'There is no such change.')
  if (change.status === 'open') return [change]
  if (change.status === decision) return []
  throw new NegotiationError(
    'conflict',
    'decided',
    `This change was already ${change.status === 'outdated' ? 'marked outdated' : change.status}.`,
  )
}

/** The open shared suggestion of a party on a clause of an iteration, if any. */
export function openSuggestion(
  status: NegotiationStatus,
  partyId: string,
  clauseId: string,
  iteration: number,
): SharedSuggestion | undefined {
  return Object.values(status.suggestions).find(
    (suggestion) =>
      suggestion.partyId === partyId &&
      suggestion.clauseId === clauseId &&
      suggestion.iteration === iteration &&
      suggestionStatus(suggestion) === 'shared',
  )
}

/** True when `suggestion`'s open changes are `changes` (by what they do, not their ids). */
export function sameChanges(
  suggestion: SharedSuggestion,
  changes: readonly SharedChange[],
): boolean {
  const open = suggestion.changes.filter((change) => change.status === 'open')
  if (open.length !== changes.length) return false
  const keys = new Set(open.map((change) => changeKey(suggestion.clauseId, change)))
  return changes.every((change) => keys.has(changeKey(suggestion.clauseId, change)))
}

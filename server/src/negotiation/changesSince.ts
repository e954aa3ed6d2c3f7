/**
 * "Changes since Single Text N": the word diff of iteration N against the working draft, clause by
 * clause (the same token diff as suggestions, diff.ts), each change labelled with where it came
 * from. A change of the draft that is an accepted change of a suggestion written against N (same
 * kind and span, and the same words or marks) names that suggestion, its party, author and who
 * accepted it; one that contains or overlaps an accepted change's span with other words too names
 * it as edited; every other change is the mediator's own edit (provenance null). Each change comes
 * with the words around it in the iteration, up to six words each side within its paragraph,
 * and a change that starts a paragraph of its own starts with a newline, so that no word of the
 * paragraph before runs into it.
 */
import type {
  DraftChangeProvenanceSummary,
  DraftChangeSummary,
  DraftChangesSummary,
} from '@onetext/shared/api/draftChangeSchemas'
import { type ClauseTreeEntry, clauseTree } from '@onetext/shared/clauses'
import { getDocumentSchema } from '@onetext/shared/schema'
import type { SharedChange, SharedSuggestion } from '@onetext/shared/statusDoc'
import { type ClauseChange, type ClauseDiff, diffDocument } from '@onetext/shared/suggestions/diff'
import type { ClauseToken } from '@onetext/shared/suggestions/tokens'
import type { JSONContent } from '@tiptap/core'

/** An accepted change and its suggestion. */
interface Accepted {
  suggestion: SharedSuggestion
  change: SharedChange
}

function sameMarks(a: ClauseChange['marks'], b: SharedChange['marks']): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

function provenanceOf(
  { suggestion, change }: Accepted,
  edited: boolean,
): DraftChangeProvenanceSummary {
  return {
    partyId: suggestion.partyId,
    authorId: change.authorId,
    authorName: change.authorName,
    suggestionId: suggestion.id,
    changeId: change.id,
    iteration: suggestion.iteration,
    acceptedBy: change.decidedBy ?? '',
    acceptedByName: change.decidedByName ?? '',
    acceptedAt: change.decidedAt ?? 0,
    edited,
  }
}

/** The accepted change `hunk` is, exactly or edited, or null. */
function matchOf(
  hunk: ClauseChange,
  accepted: readonly Accepted[],
): DraftChangeProvenanceSummary | null {
  for (const entry of accepted) {
    const { change } = entry
    if (change.kind !== hunk.kind) continue
    if (change.base.from !== hunk.base.from || change.base.to !== hunk.base.to) continue
    if (change.kind === 'format' ? sameMarks(hunk.marks, change.marks) : change.text === hunk.text)
      return provenanceOf(entry, false)
  }
  for (const entry of accepted) {
    const { change } = entry
    if (change.kind !== hunk.kind) continue
    const overlaps =
      change.kind === 'insert'
        ? change.base.from >= hunk.base.from && change.base.from <= hunk.base.to
        : change.base.from < hunk.base.to && hunk.base.from < change.base.to
    if (overlaps && (change.kind === 'format' || hunk.text.includes(change.text.trim())))
      return provenanceOf(entry, true)
  }
  return null
}

/** How many words of context a change shows on each side, within its paragraph. */
const CONTEXT_WORDS = 6

function isTextToken(token: ClauseToken | undefined): token is ClauseToken {
  return token?.kind === 'word' || token?.kind === 'space' || token?.kind === 'punct'
}

/**
 * The words around `hunk` in the iteration's tokens `tokens`, up to {@link CONTEXT_WORDS} words
 * each side (starting and ending at a word or a punctuation mark), stopping at a paragraph's or a
 * line's edge.
 */
function contextOf(
  tokens: readonly ClauseToken[],
  hunk: ClauseChange,
): { before: string; after: string } {
  const before: ClauseToken[] = []
  let words = 0
  for (let at = hunk.base.from - 1; at >= 0; at--) {
    const token = tokens[at]
    if (!isTextToken(token) || (token.kind === 'word' && words === CONTEXT_WORDS)) break
    if (token.kind === 'word') words++
    before.unshift(token)
  }
  const after: ClauseToken[] = []
  words = 0
  for (let at = hunk.base.to; at < tokens.length; at++) {
    const token = tokens[at]
    if (!isTextToken(token) || (token.kind === 'word' && words === CONTEXT_WORDS)) break
    if (token.kind === 'word') words++
    after.push(token)
  }
  while (before[0]?.kind === 'space' && before.length > 1) before.shift()
  while (after[after.length - 1]?.kind === 'space' && after.length > 1) after.pop()
  return {
    before: before.map((token) => token.text).join(''),
    after: after.map((token) => token.text).join(''),
  }
}

/**
 * The text of `hunk` as the list shows it after `before`: a change whose span opens a paragraph
 * (a new or struck paragraph) starts on a line of its own when words come before it.
 */
function shownText(diff: ClauseDiff, hunk: ClauseChange, before: string): string {
  const span =
    hunk.kind === 'insert'
      ? diff.copyTokens.slice(hunk.copy.from, hunk.copy.to)
      : diff.baseTokens.slice(hunk.base.from, hunk.base.to)
  const opensBlock = span.length > 1 && span[0]?.kind === 'block'
  return opensBlock && before !== '' && !hunk.text.startsWith('\n') ? `\n${hunk.text}` : hunk.text
}

/** Clause numbers and headings of `doc` by clause id. */
function clauseLabels(doc: JSONContent): Map<string, { number: string; heading: string }> {
  const labels = new Map<string, { number: string; heading: string }>()
  const walk = (entries: readonly ClauseTreeEntry[]) => {
    for (const entry of entries) {
      labels.set(entry.id, { number: entry.number, heading: entry.heading })
      walk(entry.children)
    }
  }
  walk(clauseTree(doc))
  return labels
}

/**
 * The working draft `draft` (ProseMirror JSON) against iteration `since` (its number and JSON),
 * clause by clause in the draft's order; `suggestions` are the status document's shared
 * suggestions (the accepted changes of those written against `since` label their changes).
 */
export function changesSince(
  since: { number: number; doc: JSONContent },
  draft: JSONContent,
  suggestions: Iterable<SharedSuggestion>,
): DraftChangesSummary {
  const schema = getDocumentSchema()
  const accepted = new Map<string, Accepted[]>()
  for (const suggestion of suggestions) {
    if (suggestion.iteration !== since.number) continue
    for (const change of suggestion.changes) {
      if (change.status !== 'accepted') continue
      const list = accepted.get(suggestion.clauseId) ?? []
      list.push({ suggestion, change })
      accepted.set(suggestion.clauseId, list)
    }
  }
  const labels = clauseLabels(draft)
  const diffs = diffDocument(schema.nodeFromJSON(since.doc), schema.nodeFromJSON(draft))
  const clauses: DraftChangesSummary['clauses'] = []
  for (const [clauseId, label] of labels) {
    const diff = diffs.get(clauseId)
    if (!diff || diff.changes.length === 0) continue
    const candidates = accepted.get(clauseId) ?? []
    const changes = diff.changes.map((hunk): DraftChangeSummary => {
      const { before, after } = contextOf(diff.baseTokens, hunk)
      return {
        kind: hunk.kind,
        text: shownText(diff, hunk, before),
        before,
        after,
        ...(hunk.pairedWith !== undefined ? { pairedWith: hunk.pairedWith } : {}),
        ...(hunk.marks ? { marks: hunk.marks } : {}),
        provenance: diff.rewritten ? null : matchOf(hunk, candidates),
      }
    })
    clauses.push({ clauseId, ...label, rewritten: diff.rewritten, changes })
  }
  return { since: since.number, clauses }
}

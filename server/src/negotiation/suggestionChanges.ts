/**
 * Placing shared changes on the working draft: finding a clause in a ProseMirror document, where
 * each change lands in the draft clause's words (rebased from the iteration it was written
 * against), applying them from the end of the clause backwards, and telling whether the draft
 * already shows their result.
 */
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import type { SharedChange, SharedSuggestion } from '@onetext/shared/statusDoc'
import { applyChange } from '@onetext/shared/suggestions/applyChange'
import { type ClauseChange, diffClause } from '@onetext/shared/suggestions/diff'
import { rebaseSpan } from '@onetext/shared/suggestions/rebase'
import { type ClauseToken, clauseTokens } from '@onetext/shared/suggestions/tokens'
import type { Node as PMNode, Schema } from '@tiptap/pm/model'

/** A token span of a clause. */
export interface Span {
  from: number
  to: number
}

/** The clause node with `clauseId` in `doc` (any depth), or null. */
export function findClauseNode(doc: PMNode, clauseId: string): PMNode | null {
  let found: PMNode | null = null
  doc.descendants((node) => {
    if (found) return false
    if (node.type.name === CLAUSE_NODE && node.attrs[CLAUSE_ID_ATTRIBUTE] === clauseId) {
      found = node
      return false
    }
    return true
  })
  return found
}

/**
 * Every clause node of `doc` (any depth) with a clause id, by id, in document order, as
 * {@link findClauseNode} finds each (of two with one id, the first): one walk for many look-ups.
 */
export function clauseNodesById(doc: PMNode): Map<string, PMNode> {
  const byId = new Map<string, PMNode>()
  doc.descendants((node) => {
    if (node.type.name === CLAUSE_NODE) {
      const id = node.attrs[CLAUSE_ID_ATTRIBUTE]
      if (typeof id === 'string' && id !== '' && !byId.has(id)) byId.set(id, node)
    }
    // No clause inside a paragraph or a heading.
    return !node.isTextblock
  })
  return byId
}

/** The diff change a shared change was frozen from, as applyChange and rebaseSpan take it. */
function asClauseChange(clauseId: string, change: SharedChange): ClauseChange {
  return {
    kind: change.kind,
    clauseId,
    text: change.text,
    base: change.base,
    copy: { from: 0, to: 0 },
    context: change.context,
    ...(change.content !== undefined ? { content: change.content } : {}),
    ...(change.marks ? { marks: change.marks } : {}),
  }
}

/** A shared change and where it lands in a clause's tokens. */
export interface Placement {
  change: SharedChange
  span: Span
}

/** Changes to place on the draft, written against `tokens`. */
export interface ChangesToPlace {
  tokens: ClauseToken[]
  changes: SharedChange[]
}

/**
 * What accepting `chosen` of `suggestion` asks of the draft, written against the clause of the
 * suggestion's iteration (`baseClause`, tokens `baseTokens`). Mostly `chosen` as they are; but when
 * a chosen change pairs with one accepted before it (the two halves of a replacement), their words
 * may now be one token ("thisOtherwise"), so the clause with the accepted halves applied is
 * compared with the clause with every half applied, and that difference is what is placed. Throws
 * a RangeError when the changes do not apply to the base clause.
 */
export function changesToPlace(
  suggestion: SharedSuggestion,
  chosen: readonly SharedChange[],
  baseClause: PMNode,
  baseTokens: ClauseToken[],
  schema: Schema,
): ChangesToPlace {
  const partners = acceptedPartners(suggestion, chosen)
  if (partners.length === 0) return { tokens: baseTokens, changes: [...chosen] }
  const atBase = (changes: readonly SharedChange[]) =>
    changes.map((change) => ({ change, span: change.base }))
  const clauseId = suggestion.clauseId
  const before = applyPlaced(clauseId, baseClause, baseTokens, atBase(partners), schema)
  const after = applyPlaced(
    clauseId,
    baseClause,
    baseTokens,
    atBase([...partners, ...chosen]),
    schema,
  )
  const diff = diffClause(before, after)
  const changes = diff.changes.map(
    (change, index): SharedChange => ({
      id: chosen[0]?.id ?? `d${index}`,
      kind: change.kind,
      text: change.text,
      authorId: '',
      authorName: '',
      at: 0,
      base: change.base,
      context: change.context,
      ...(change.content !== undefined ? { content: change.content } : {}),
      ...(change.marks ? { marks: change.marks } : {}),
      status: 'open',
    }),
  )
  return { tokens: diff.baseTokens, changes }
}

/** The accepted changes that `chosen` pair with (and that are not chosen themselves). */
export function acceptedPartners(
  suggestion: SharedSuggestion,
  chosen: readonly SharedChange[],
): SharedChange[] {
  const ids = new Set(chosen.map((change) => change.id))
  return suggestion.changes.filter(
    (candidate) =>
      candidate.status === 'accepted' &&
      !ids.has(candidate.id) &&
      chosen.some((change) => change.pairedWith === candidate.id),
  )
}

/**
 * Where each change (written against `baseTokens`) lands in `tokens`, or the first change that is
 * outdated there.
 */
export function placeChanges(
  changes: readonly SharedChange[],
  baseTokens: ClauseToken[],
  tokens: ClauseToken[],
): Placement[] | { outdated: SharedChange } {
  const placed: Placement[] = []
  for (const change of changes) {
    const span = rebaseSpan(change, baseTokens, tokens)
    if (span === 'outdated') return { outdated: change }
    placed.push({ change, span })
  }
  return placed
}

/**
 * Applies placed changes to `clause` (whose tokens are `tokens`) from the end of the clause
 * backwards, so that each change's span still holds when it is applied (at one place, a span's
 * words are removed or reformatted before the words inserted there go in). Throws a RangeError
 * for changes whose spans overlap, or whose result breaks the schema.
 */
export function applyPlaced(
  clauseId: string,
  clause: PMNode,
  tokens: ClauseToken[],
  placements: readonly Placement[],
  schema: Schema,
): PMNode {
  const ordered = [...placements].sort(
    (a, b) => b.span.from - a.span.from || b.span.to - b.span.from - (a.span.to - a.span.from),
  )
  let result = clause
  let limit = Number.POSITIVE_INFINITY
  for (const { change, span } of ordered) {
    if (span.to > limit) throw new RangeError(`change ${change.id} overlaps another`)
    result = applyChange(result, tokens, span, asClauseChange(clauseId, change), schema)
    limit = span.from
  }
  return result
}

/**
 * True when `tokens` (a clause of the working draft) already show the result of applying
 * `changes` to the clause they were written against (`baseClause`, tokens `baseTokens`): the
 * words of the result around the changes, with their neighbours, are there. This is how an
 * acceptance whose draft write reached the disk but whose decision did not is recognised.
 */
export function showsResult(
  clauseId: string,
  baseClause: PMNode,
  baseTokens: ClauseToken[],
  changes: readonly SharedChange[],
  tokens: ClauseToken[],
  schema: Schema,
): boolean {
  if (changes.length === 0) return true
  let result: PMNode
  try {
    const placements = changes.map((change) => ({ change, span: change.base }))
    result = applyPlaced(clauseId, baseClause, baseTokens, placements, schema)
  } catch (error) {
    if (error instanceof RangeError) return false
    throw error
  }
  const resultTokens = clauseTokens(result)
  const from = Math.min(...changes.map((change) => change.base.from))
  const to =
    Math.max(...changes.map((change) => change.base.to)) + resultTokens.length - baseTokens.length
  const onlyFormat = changes.every((change) => change.kind === 'format')
  const marks = onlyFormat && changes.length === 1 ? changes[0]?.marks : undefined
  const probe: Pick<ClauseChange, 'kind' | 'base' | 'marks'> = {
    kind: from === to ? 'insert' : onlyFormat ? 'format' : 'delete',
    base: { from, to },
    ...(marks ? { marks } : {}),
  }
  return rebaseSpan(probe, resultTokens, tokens) !== 'outdated'
}

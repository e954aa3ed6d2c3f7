/**
 * Carrying a change written against one text onto another: the two clauses' tokens are aligned
 * (blocks first, so that a moved paragraph or child clause keeps its words' identity, then words
 * inside the blocks that changed), and a change lands where its tokens and their neighbours are
 * all still there, in order, with nothing between them. Anything else is 'outdated': a
 * suggestion is never shown as striking out words it never saw.
 */

import { alignTokens, boundedDiffArrays } from './align'
import type { ClauseChange } from './diff'
import { type ClauseToken, isStructural } from './tokens'

interface Segment {
  start: number
  end: number
  signature: string
}

/** A block, a child clause or the heading, with the inline tokens up to the next one. */
function segments(tokens: readonly ClauseToken[]): Segment[] {
  const out: Segment[] = []
  let start = 0
  const close = (end: number) => {
    if (end <= start) return
    const parts: string[] = []
    for (let index = start; index < end; index++) {
      const token = tokens[index] as ClauseToken
      parts.push(`${token.kind}\u0001${token.key}\u0001${token.marks}`)
    }
    out.push({ start, end, signature: parts.join('\u0000') })
    start = end
  }
  tokens.forEach((token, index) => {
    if (index > 0 && isStructural(token)) close(index)
  })
  close(tokens.length)
  return out
}

/**
 * For every token of `from`, the index of the same token in `onto`, or -1 where it has none.
 * Blocks are aligned first, as whole units by content; blocks that appear once among the removed
 * and once among the added are a move and keep their tokens' identity; the words of the blocks
 * left in each changed stretch are then aligned with jsdiff. Null when jsdiff gives up
 * ({@link boundedDiffArrays}).
 */
export function alignClauseTokens(
  from: readonly ClauseToken[],
  onto: readonly ClauseToken[],
): Int32Array | null {
  const map = new Int32Array(from.length).fill(-1)
  const fromSegments = segments(from)
  const ontoSegments = segments(onto)
  const runs = boundedDiffArrays(fromSegments, ontoSegments, (a, b) => a.signature === b.signature)
  if (!runs) return null
  const gaps: Array<{ removed: Segment[]; added: Segment[] }> = []
  let fromIndex = 0
  let ontoIndex = 0
  let gap: { removed: Segment[]; added: Segment[] } | null = null
  for (const run of runs) {
    const count = run.count ?? run.value.length
    if (run.added || run.removed) {
      if (!gap) {
        gap = { removed: [], added: [] }
        gaps.push(gap)
      }
      if (run.removed) gap.removed.push(...fromSegments.slice(fromIndex, fromIndex + count))
      else gap.added.push(...ontoSegments.slice(ontoIndex, ontoIndex + count))
    } else {
      gap = null
      for (let offset = 0; offset < count; offset++) {
        const a = fromSegments[fromIndex + offset] as Segment
        const b = ontoSegments[ontoIndex + offset] as Segment
        for (let index = a.start; index < a.end; index++) map[index] = b.start + index - a.start
      }
    }
    if (!run.added) fromIndex += count
    if (!run.removed) ontoIndex += count
  }
  // Moves: a block removed in one place and added in another, unique on both sides.
  const removedCount = new Map<string, number>()
  const added = new Map<string, Segment[]>()
  for (const { removed, added: addedHere } of gaps) {
    for (const segment of removed)
      removedCount.set(segment.signature, (removedCount.get(segment.signature) ?? 0) + 1)
    for (const segment of addedHere) {
      const list = added.get(segment.signature) ?? []
      list.push(segment)
      added.set(segment.signature, list)
    }
  }
  const moved = new Set<Segment>()
  for (const { removed } of gaps) {
    for (const segment of removed) {
      const targets = added.get(segment.signature)
      if (removedCount.get(segment.signature) !== 1 || targets?.length !== 1) continue
      const target = targets[0] as Segment
      moved.add(segment)
      moved.add(target)
      for (let index = segment.start; index < segment.end; index++)
        map[index] = target.start + index - segment.start
    }
  }
  for (const { removed, added: addedHere } of gaps) {
    const fromIndexes = removed
      .filter((segment) => !moved.has(segment))
      .flatMap((segment) => range(segment.start, segment.end))
    const ontoIndexes = addedHere
      .filter((segment) => !moved.has(segment))
      .flatMap((segment) => range(segment.start, segment.end))
    if (fromIndexes.length === 0 || ontoIndexes.length === 0) continue
    const inner = alignTokens(
      fromIndexes.map((index) => from[index] as ClauseToken),
      ontoIndexes.map((index) => onto[index] as ClauseToken),
    )
    if (!inner) return null
    for (const run of inner) {
      if (run.kind !== 'equal') continue
      for (let offset = 0; offset < run.count; offset++)
        map[fromIndexes[run.oldStart + offset] as number] = ontoIndexes[
          run.newStart + offset
        ] as number
    }
  }
  return map
}

function range(start: number, end: number): number[] {
  const out: number[] = []
  for (let index = start; index < end; index++) out.push(index)
  return out
}

/** True when position `index` of `tokens` is a block boundary: the end, or a heading, block or clause token. */
function boundaryAt(tokens: readonly ClauseToken[], index: number): boolean {
  const token = tokens[index]
  return token === undefined || isStructural(token)
}

/** Options of {@link rebaseSpan}. */
export interface RebaseOptions {
  /**
   * The base span of the change this one is paired with ({@link ClauseChange.pairedWith}), so
   * that one half of a replacement still lands after the other half was applied: an insert lands
   * where its paired delete's tokens were (when they are all gone and their neighbours meet), and
   * a delete accepts anything inserted right after its tokens (where its insert went).
   */
  paired?: { from: number; to: number }
}

/** A change as {@link rebaseSpan} reads it. */
export type RebasedChange = Pick<ClauseChange, 'kind' | 'base' | 'marks'>

/** Where a change written against tokens `from` lands in tokens `onto`, or 'outdated' when any token of the change's span or its one-token context changed, moved apart, or got something inserted between (format: also its marks). A context token that is whitespace extends to the next word or punctuation beyond it, so that a space alone never anchors a change. A context that is a block boundary (the span starts a whole block, or ends where a block or the clause ends) only needs to be a block boundary in `onto` too. Throws RangeError when the span is outside `from`. */
export function rebaseSpan(
  change: RebasedChange,
  from: ClauseToken[],
  onto: ClauseToken[],
  options: RebaseOptions = {},
): { from: number; to: number } | 'outdated' {
  return clauseRebaser(from, onto)(change, options)
}

/**
 * {@link rebaseSpan} for many changes of one clause: answers a function that rebases a change
 * written against tokens `from` onto tokens `onto` exactly as `rebaseSpan` does, aligning the two
 * clauses ({@link alignClauseTokens}) once, on the first change with a valid span, however many
 * changes it is then given. `from` and `onto` must not change while it is in use.
 */
export function clauseRebaser(
  from: ClauseToken[],
  onto: ClauseToken[],
): (change: RebasedChange, options?: RebaseOptions) => { from: number; to: number } | 'outdated' {
  let aligned: { map: Int32Array | null } | null = null
  return (change, options = {}) => {
    validateSpan(change, from)
    aligned ??= { map: alignClauseTokens(from, onto) }
    return aligned.map ? rebaseAligned(change, from, onto, aligned.map, options) : 'outdated'
  }
}

/** Throws RangeError when the change's span is outside `from` (or empty for a delete or format). */
function validateSpan(change: RebasedChange, from: readonly ClauseToken[]): void {
  const { from: start, to: end } = change.base
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(end) ||
    start < 0 ||
    end < start ||
    end > from.length
  )
    throw new RangeError(`base span [${start}, ${end}) is outside 0..${from.length}`)
  if (change.kind !== 'insert' && start === end)
    throw new RangeError(`a ${change.kind} needs a non-empty span`)
}

/** {@link rebaseSpan} with the clauses' alignment `map` ({@link alignClauseTokens}) given. */
function rebaseAligned(
  change: RebasedChange,
  from: readonly ClauseToken[],
  onto: readonly ClauseToken[],
  map: Int32Array,
  options: RebaseOptions,
): { from: number; to: number } | 'outdated' {
  const { from: start, to: end } = change.base
  const at = (index: number) => (index >= 0 && index < map.length ? (map[index] as number) : -1)
  /** True when tokens [a, b) of `from` all map, in order, with nothing between them in `onto`. */
  const consecutive = (a: number, b: number) => {
    for (let index = a; index < b; index++) {
      const mapped = at(index)
      if (mapped < 0 || (index > a && mapped !== at(index - 1) + 1)) return false
    }
    return true
  }
  const isSpace = (index: number) => from[index]?.kind === 'space'
  /** The left context: from the first non-whitespace token before `index`. */
  let left = start - 1
  while (left > 0 && isSpace(left)) left--
  /** The right context: up to the first non-whitespace token at or after `index` (exclusive end). */
  let right = end
  while (isSpace(right)) right++
  const rightIsBoundary = boundaryAt(from, right)
  /** True when the right context holds: [a, right] consecutive, or a boundary stays a boundary. */
  const rightHolds = (a: number) =>
    rightIsBoundary
      ? consecutive(a, right) && (a === right ? true : boundaryAt(onto, at(right - 1) + 1))
      : consecutive(a, right + 1)

  if (change.kind === 'insert') {
    if (start === 0) return at(0) === 0 ? { from: 0, to: 0 } : 'outdated'
    const landed = at(start - 1) + 1
    if (landed > 0 && consecutive(left, start) && rightHolds(left)) {
      if (right > start || !rightIsBoundary || boundaryAt(onto, landed))
        return { from: landed, to: landed }
    }
    const paired = options.paired
    if (paired && paired.to === start && paired.from > 0 && paired.from < paired.to) {
      // The paired delete was applied: its tokens are gone and its neighbours meet.
      for (let index = paired.from; index < paired.to; index++)
        if (at(index) >= 0) return 'outdated'
      const meet = at(paired.from - 1)
      if (meet < 0) return 'outdated'
      if (rightIsBoundary ? boundaryAt(onto, meet + 1) : at(start) === meet + 1)
        return { from: meet + 1, to: meet + 1 }
    }
    return 'outdated'
  }

  if (!consecutive(start, end)) return 'outdated'
  if (change.kind === 'format') {
    for (let index = start; index < end; index++)
      if ((from[index] as ClauseToken).marks !== onto[at(index)]?.marks) return 'outdated'
  }
  const first = at(start)
  const last = at(end - 1)
  const wholeBlocks = isStructural(from[start] as ClauseToken) && rightIsBoundary
  if (!wholeBlocks && (start === 0 || !consecutive(left, end))) return 'outdated'
  const pairedAfter = change.kind === 'delete' && options.paired?.from === end
  if (pairedAfter) {
    // The paired insert may stand right after the struck tokens.
    const next = at(right)
    if (!rightIsBoundary && (next <= last || !consecutive(end, right + 1))) return 'outdated'
  } else if (!rightHolds(start)) return 'outdated'
  return { from: first, to: last + 1 }
}

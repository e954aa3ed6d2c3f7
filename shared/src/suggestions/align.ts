/**
 * Aligning two clauses' token lists: jsdiff's `diffArrays` bounded in edits and time, and the
 * clean-ups that make its runs read as a person's edits (changes joined across whitespace, a new
 * block's insert starting with its block token).
 */
import { type ChangeObject, diffArrays } from 'diff'
import { type ClauseToken, sameToken } from './tokens'

/** jsdiff gives up past this many edits (the clause then shows as rewritten). */
export const MAX_EDIT_LENGTH = 2000
/** jsdiff gives up after this many milliseconds (the clause then shows as rewritten)... */
export const DIFF_TIMEOUT_MS = 5
/**
 * ...unless that first attempt ran out of time rather than edits (a cold start, a busy machine):
 * it is then tried once more with this budget, so that the same texts give the same diff.
 */
export const DIFF_RETRY_TIMEOUT_MS = 250

/**
 * jsdiff's `diffArrays` with {@link MAX_EDIT_LENGTH} and {@link DIFF_TIMEOUT_MS} (retried once
 * with {@link DIFF_RETRY_TIMEOUT_MS} when the time ran out first). Undefined when it gave up.
 */
export function boundedDiffArrays<T>(
  oldItems: readonly T[],
  newItems: readonly T[],
  comparator: (a: T, b: T) => boolean,
): ChangeObject<T[]>[] | undefined {
  const attempt = (timeout: number) =>
    diffArrays(oldItems as T[], newItems as T[], {
      comparator,
      maxEditLength: MAX_EDIT_LENGTH,
      timeout,
    })
  const started = Date.now()
  const parts = attempt(DIFF_TIMEOUT_MS)
  if (parts || Date.now() - started < DIFF_TIMEOUT_MS) return parts
  return attempt(DIFF_RETRY_TIMEOUT_MS)
}

/** One aligned run of two token lists. */
export interface TokenRun {
  kind: 'equal' | 'removed' | 'added'
  /** Index of the run's first token in the old list (for 'added', the gap it is inserted at). */
  oldStart: number
  /** Index of the run's first token in the new list (for 'removed', the gap it was deleted at). */
  newStart: number
  count: number
}

/**
 * Aligns two token lists with jsdiff's `diffArrays` (tokens equal by {@link sameToken}, giving up
 * past {@link MAX_EDIT_LENGTH} edits or out of time: {@link boundedDiffArrays}). Returns the runs in order,
 * or null when jsdiff gave up.
 */
export function alignTokens(
  oldTokens: readonly ClauseToken[],
  newTokens: readonly ClauseToken[],
): TokenRun[] | null {
  const parts = boundedDiffArrays(oldTokens, newTokens, sameToken)
  if (!parts) return null
  const runs: TokenRun[] = []
  let oldIndex = 0
  let newIndex = 0
  for (const part of parts) {
    const count = part.count ?? part.value.length
    if (count === 0) continue
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'equal'
    runs.push({ kind, oldStart: oldIndex, newStart: newIndex, count })
    if (kind !== 'added') oldIndex += count
    if (kind !== 'removed') newIndex += count
  }
  return runs
}

const ABSORBED: ReadonlySet<string> = new Set(['space', 'block'])

/**
 * Joins changes that only whitespace or block openings separate ("five" → "ten", " ", + "working" becomes "five" →
 * "ten working"; a new list before a paragraph is one insert, not its item's paragraph matched
 * with the next paragraph): such an equal run between two changed runs counts as struck and
 * re-inserted, the changed runs between two equal runs become one removed and one added run, and
 * the tokens equal at both ends of the two stay equal.
 */
export function joinAcrossWhitespace(
  runs: TokenRun[],
  oldTokens: readonly ClauseToken[],
  newTokens: readonly ClauseToken[],
): TokenRun[] {
  const marked = runs.map((run, index) => {
    if (run.kind !== 'equal' || index === 0 || index === runs.length - 1) return run
    for (let offset = 0; offset < run.count; offset++)
      if (!ABSORBED.has((oldTokens[run.oldStart + offset] as ClauseToken).kind)) return run
    return { ...run, kind: 'changed' as const }
  })
  const out: TokenRun[] = []
  let index = 0
  while (index < marked.length) {
    const run = marked[index] as TokenRun | (Omit<TokenRun, 'kind'> & { kind: 'changed' })
    if (run.kind === 'equal') {
      out.push(run)
      index++
      continue
    }
    let oldStart = run.oldStart
    let newStart = run.newStart
    let removed = 0
    let added = 0
    let first = true
    while (index < marked.length && (marked[index] as { kind: string }).kind !== 'equal') {
      const part = marked[index] as TokenRun | (Omit<TokenRun, 'kind'> & { kind: 'changed' })
      if (first) {
        oldStart = part.oldStart
        newStart = part.newStart
        first = false
      }
      if (part.kind !== 'added') removed += part.count
      if (part.kind !== 'removed') added += part.count
      index++
    }
    // The same tokens at both ends of the two sides stay equal.
    let prefix = 0
    while (
      prefix < removed &&
      prefix < added &&
      sameAndMarked(oldTokens[oldStart + prefix], newTokens[newStart + prefix])
    )
      prefix++
    let suffix = 0
    while (
      suffix < removed - prefix &&
      suffix < added - prefix &&
      sameAndMarked(
        oldTokens[oldStart + removed - 1 - suffix],
        newTokens[newStart + added - 1 - suffix],
      )
    )
      suffix++
    if (prefix > 0) out.push({ kind: 'equal', oldStart, newStart, count: prefix })
    const innerOld = oldStart + prefix
    const innerNew = newStart + prefix
    const innerRemoved = removed - prefix - suffix
    const innerAdded = added - prefix - suffix
    if (innerRemoved > 0)
      out.push({ kind: 'removed', oldStart: innerOld, newStart: innerNew, count: innerRemoved })
    if (innerAdded > 0)
      out.push({
        kind: 'added',
        oldStart: innerOld + innerRemoved,
        newStart: innerNew,
        count: innerAdded,
      })
    if (suffix > 0)
      out.push({
        kind: 'equal',
        oldStart: innerOld + innerRemoved,
        newStart: innerNew + innerAdded,
        count: suffix,
      })
  }
  return out
}

function sameAndMarked(a: ClauseToken | undefined, b: ClauseToken | undefined): boolean {
  return a !== undefined && b !== undefined && sameToken(a, b) && a.marks === b.marks
}

/**
 * Moves a lone inserted or deleted run back over equal tokens (the same tokens repeat at its end)
 * when that makes it start with a block: a new paragraph typed after another then shows as "¶ and
 * its words", not as "its words and the next paragraph's ¶".
 */
export function slideToBlocks(
  runs: TokenRun[],
  oldTokens: readonly ClauseToken[],
  newTokens: readonly ClauseToken[],
): void {
  for (let index = 1; index < runs.length; index++) {
    const run = runs[index] as TokenRun
    const prev = runs[index - 1] as TokenRun
    const next = runs[index + 1]
    if (run.kind === 'equal' || prev.kind !== 'equal') continue
    if (next && next.kind !== 'equal') continue
    const tokens = run.kind === 'added' ? newTokens : oldTokens
    const start = run.kind === 'added' ? run.newStart : run.oldStart
    if ((tokens[start] as ClauseToken).kind === 'block') continue
    let shift = 0
    // The equal run before stays non-empty, so that the run never meets another change.
    const room = index >= 2 ? prev.count - 1 : prev.count
    for (let k = 1; k <= room; k++) {
      const before = tokens[start - k]
      const end = tokens[start + run.count - k]
      if (!before || !end || !sameToken(before, end)) break
      if (before.kind === 'block') {
        shift = k
        break
      }
    }
    if (shift === 0) continue
    prev.count -= shift
    run.oldStart -= shift
    run.newStart -= shift
    if (next) {
      next.oldStart -= shift
      next.newStart -= shift
      next.count += shift
    } else {
      runs.push({
        kind: 'equal',
        oldStart: run.kind === 'added' ? run.oldStart : run.oldStart + run.count,
        newStart: run.kind === 'added' ? run.newStart + run.count : run.newStart,
        count: shift,
      })
    }
    if (prev.count === 0) {
      runs.splice(index - 1, 1)
      index--
    }
  }
}

/**
 * Word-level comparison of two texts (jsdiff's `diffWords`), as a list of operations:
 * `["=", text]` unchanged, `["+", text]` inserted, `["-", text]` deleted. Used for redlines,
 * comparisons and the diff API.
 */
import { diffWords } from 'diff'

/** One operation of a word diff. */
export type WordOp = ['=' | '+' | '-', string]

/** The word-level operations that turn `before` into `after`. */
export function wordOps(before: string, after: string): WordOp[] {
  return diffWords(before, after).map((part) => [
    part.added ? '+' : part.removed ? '-' : '=',
    part.value,
  ])
}

/** True when the operations change anything. */
export function hasChanges(ops: readonly WordOp[]): boolean {
  return ops.some(([kind]) => kind !== '=')
}

/**
 * Comparison of two versions of a single text, clause by clause. Clauses are aligned by their
 * stable id, so renumbering alone is not a change, and a clause whose place among the others changed
 * shows as moved. Each clause carries the word-level operations from its old words to its new ones.
 */
import type { Clause } from './clauses'
import { type WordOp, wordOps } from './wordDiff'

/** How a clause differs between the two versions. */
export type ClauseChange = 'added' | 'removed' | 'changed' | 'moved' | 'same'

/** One clause of a comparison. */
export interface ClauseDiff {
  id: string
  /** The clause's number in the newer version (the older one for a removed clause). */
  number: string
  /** Its number in the older version, if it was there. */
  fromNumber: string | null
  heading: string
  change: ClauseChange
  /** Word-level operations from the old heading and text to the new ones. */
  ops: WordOp[]
}

type ClauseWords = Pick<Clause, 'id' | 'number' | 'heading' | 'text'>

function words(clause: ClauseWords): string {
  return `${clause.heading}\n${clause.text}`
}

/** Ids of the longest common subsequence of two id sequences. */
function longestCommon(a: readonly string[], b: readonly string[]): Set<string> {
  const table: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  )
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = table[i] as number[]
      row[j] =
        a[i] === b[j]
          ? ((table[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((table[i + 1] as number[])[j] as number, row[j + 1] as number)
    }
  }
  const common = new Set<string>()
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common.add(a[i] as string)
      i++
      j++
    } else if (
      ((table[i + 1] as number[])[j] as number) >= ((table[i] as number[])[j + 1] as number)
    )
      i++
    else j++
  }
  return common
}

/** Compares the clauses of an older and a newer version. */
export function diffClauses(
  from: readonly ClauseWords[],
  to: readonly ClauseWords[],
): ClauseDiff[] {
  const before = new Map(from.map((clause) => [clause.id, clause]))
  const after = new Map(to.map((clause) => [clause.id, clause]))
  const kept = longestCommon(
    from.filter((clause) => after.has(clause.id)).map((clause) => clause.id),
    to.filter((clause) => before.has(clause.id)).map((clause) => clause.id),
  )
  const result: ClauseDiff[] = to.map((clause) => {
    const old = before.get(clause.id)
    if (!old) {
      return {
        id: clause.id,
        number: clause.number,
        fromNumber: null,
        heading: clause.heading,
        change: 'added',
        ops: [['+', words(clause)]],
      }
    }
    const ops = wordOps(words(old), words(clause))
    const edited = ops.some(([kind]) => kind !== '=')
    const change: ClauseChange = !kept.has(clause.id) ? 'moved' : edited ? 'changed' : 'same'
    return {
      id: clause.id,
      number: clause.number,
      fromNumber: old.number,
      heading: clause.heading,
      change,
      ops,
    }
  })
  // Removed clauses go after the clause that preceded them in the older version.
  from.forEach((clause, index) => {
    if (after.has(clause.id)) return
    const removed: ClauseDiff = {
      id: clause.id,
      number: clause.number,
      fromNumber: clause.number,
      heading: clause.heading,
      change: 'removed',
      ops: [['-', words(clause)]],
    }
    const previous = from[index - 1]
    const at = previous ? result.findIndex((entry) => entry.id === previous.id) : -1
    result.splice(at + 1, 0, removed)
  })
  return result
}

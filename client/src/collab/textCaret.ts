/**
 * Where a caret (or either end of a selection) in a shared text goes when someone else's change
 * arrives, so that a co-edited text box keeps each writer by the same words.
 */

/** One operation of a Y.Text change (`YTextEvent.delta`). */
export interface TextDeltaOp {
  insert?: unknown
  retain?: number
  delete?: number
}

/**
 * Where `index` of the text before a change (`delta`) is after it: moved by what was inserted or
 * deleted before it; text inserted exactly at it goes after it; inside a deleted run it goes to
 * the run's start.
 */
export function mapIndex(index: number, delta: readonly TextDeltaOp[]): number {
  let position = 0
  let shift = 0
  for (const op of delta) {
    if (position >= index) break
    if (op.retain !== undefined) position += op.retain
    else if (op.delete !== undefined) {
      shift -= Math.min(op.delete, index - position)
      position += op.delete
    } else if (op.insert !== undefined)
      shift += typeof op.insert === 'string' ? op.insert.length : 1
  }
  return Math.max(0, index + shift)
}

/**
 * Long computations in slices: written once as a generator that yields (nothing) wherever it may
 * pause, then either run to the end at once ({@link runNow}) or in slices of a few milliseconds with
 * the event loop let through between them ({@link runInSlices}), so that the people typing while
 * the server carries a hundred suggestions forward keep getting their keystrokes acknowledged.
 */

/** Steps of a computation answering `T`: each `yield` is a point where it may pause. */
export type Steps<T> = Generator<void, T, void>

/** Runs `steps` to the end at once; answers what they answer. */
export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}

/** Longest stretch {@link runInSlices} runs before it lets the event loop through, by default. */
export const SLICE_MS = 8

/** Resolves once the event loop has run its timers and read its sockets. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** What a run in slices took: its working time (without the waits between slices) and slices. */
export interface SliceStats {
  busyMs: number
  slices: number
}

/**
 * Runs `steps` in slices of about `sliceMs` (default {@link SLICE_MS}): at the first pause point
 * after a slice's time is up it waits for the event loop's next turn. Resolves with what they
 * answer; adds its working time and slices to `stats` when given.
 */
export async function runInSlices<T>(
  steps: Steps<T>,
  options: { sliceMs?: number; stats?: SliceStats } = {},
): Promise<T> {
  const sliceMs = options.sliceMs ?? SLICE_MS
  const stats = options.stats ?? { busyMs: 0, slices: 0 }
  let sliceStart = performance.now()
  stats.slices++
  for (;;) {
    const next = steps.next()
    if (next.done) {
      stats.busyMs += performance.now() - sliceStart
      return next.value
    }
    if (performance.now() - sliceStart >= sliceMs) {
      stats.busyMs += performance.now() - sliceStart
      await nextTurn()
      sliceStart = performance.now()
      stats.slices++
    }
  }
}

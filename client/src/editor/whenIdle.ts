/**
 * Work for the moment the page is next idle (`requestIdleCallback`): after the frame a keystroke
 * asked for is painted, rather than whenever a timer fires, which may be just before the next
 * keystroke and delay it. Where the browser has no idle callbacks (Safari), a short timer stands
 * in, with a fixed time allowed.
 */

/** Cancels work not yet run. */
export type CancelIdle = () => void

/** Without `requestIdleCallback`: the pause before the work runs, and the time it is allowed. */
const FALLBACK_DELAY_MS = 100
const FALLBACK_BUDGET_MS = 10

/**
 * Calls `work` when the page is next idle, with a function giving the time left of the idle period
 * (ms; 0 or less: none left).
 */
export function whenIdle(work: (timeLeft: () => number) => void): CancelIdle {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback((deadline) => work(() => deadline.timeRemaining()))
    return () => cancelIdleCallback(handle)
  }
  const handle = setTimeout(() => {
    const end = performance.now() + FALLBACK_BUDGET_MS
    work(() => end - performance.now())
  }, FALLBACK_DELAY_MS)
  return () => clearTimeout(handle)
}

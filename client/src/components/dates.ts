/**
 * The one way dates are written in the page: the reader's own locale, a medium date ("3 Dec
 * 2026", "Dec 3, 2026") and, for moments, the time ("3 Dec 2026, 14:05"). Every visible date goes
 * through these, so that the same moment reads the same everywhere.
 */

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const MOMENT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** A day, e.g. "3 Dec 2026" (milliseconds since 1970). */
export function formatDate(at: number): string {
  return DATE.format(at)
}

/** A moment, e.g. "3 Dec 2026, 14:05" (milliseconds since 1970). */
export function formatMoment(at: number): string {
  return MOMENT.format(at)
}

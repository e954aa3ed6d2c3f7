/**
 * A small seeded pseudo-random generator (mulberry32) for benchmarks that must be replayable: the
 * same seed gives the same sequence.
 */

/** A source of numbers in [0, 1) from `seed` (any 32-bit integer). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A whole number in [min, max] drawn from `random`. */
export function randomBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

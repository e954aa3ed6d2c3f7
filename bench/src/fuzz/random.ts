/**
 * The fuzzer's one source of choices: a seeded generator (mulberry32, `seededRandom`) with the
 * helpers the generators need. Every choice of a run comes from it, so a seed replays the run's
 * choices (what a frame is built on can still differ where it depends on the server's timing).
 */
import { seededRandom } from '../seededRandom'

/** A seeded source of fuzzing choices. */
export class FuzzRandom {
  private readonly next: () => number

  /** `seed` is any 32-bit integer. */
  constructor(readonly seed: number) {
    this.next = seededRandom(seed)
  }

  /** A number in [0, 1). */
  float(): number {
    return this.next()
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** One of `choices`, each as likely as its weight. */
  weighted<T>(choices: ReadonlyArray<readonly [number, T]>): T {
    const total = choices.reduce((sum, [weight]) => sum + weight, 0)
    let point = this.next() * total
    for (const [weight, value] of choices) {
      point -= weight
      if (point < 0) return value
    }
    return (choices[choices.length - 1] as readonly [number, T])[1]
  }

  /** `length` random bytes. */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length)
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256)
    return out
  }

  /** A length that is mostly small and now and then large (up to `max`). */
  length(max: number): number {
    return this.weighted<number>([
      [8, this.int(0, Math.min(16, max))],
      [3, this.int(0, Math.min(256, max))],
      [1, this.int(0, max)],
    ])
  }

  /** A fresh random 32-bit client ID (as Yjs picks them). */
  clientId(): number {
    return this.int(1, 0xffff_fffe)
  }

  /** A short word of letters, for text. */
  word(): string {
    const letters = 'abcdefghijklmnopqrstuvwxyz'
    let out = ''
    for (let i = this.int(1, 8); i > 0; i--) out += letters[this.int(0, letters.length - 1)]
    return out
  }
}

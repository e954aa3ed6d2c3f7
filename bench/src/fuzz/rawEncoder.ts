/**
 * A byte writer for hostile frames: lib0's encodings (varUint, varInt, strings, `any` values) for
 * any integer, including ones lib0 itself refuses to write (past 2^53, negative-looking, overlong),
 * and the extreme integers the fuzzer puts wherever a frame holds a number.
 */
import type { FuzzRandom } from './random'

/** An integer to encode: a plain number, or a bigint for values past 2^53. */
export type WideInt = number | bigint

/** Integers at the edges of what the protocol, Yjs and JavaScript hold. */
export const EXTREME_INTEGERS: readonly bigint[] = [
  0n,
  1n,
  127n,
  128n,
  0x7fff_ffffn,
  0x8000_0000n,
  0xffff_ffffn,
  0x1_0000_0000n,
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 53n + 1n,
  2n ** 63n,
  2n ** 64n - 1n,
  2n ** 70n,
]

/** The varUint bytes (7 bits a byte, low bits first) of `value`. */
export function varUintBytes(value: WideInt): number[] {
  let rest = BigInt(value)
  if (rest < 0n) throw new RangeError('varUint of a negative value')
  const out: number[] = []
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80)
    rest >>= 7n
  }
  out.push(Number(rest))
  return out
}

/** An encoding of an integer chosen to hurt: an extreme value, overlong, unterminated, or "negative". */
export function hostileVarUint(random: FuzzRandom): number[] {
  return random.weighted<() => number[]>([
    [6, () => varUintBytes(random.pick(EXTREME_INTEGERS))],
    // Overlong: a small value padded with continuation bytes.
    [1, () => [...Array(random.int(1, 12)).fill(0x80), random.int(0, 3)]],
    // Never terminated.
    [1, () => Array(random.int(1, 12)).fill(0xff)],
    // lib0 varInt of a negative number, read where a varUint belongs.
    [1, () => varIntBytes(-BigInt(random.int(1, 2 ** 31)))],
  ])()
}

/** lib0's signed varInt bytes (sign in bit 6 of the first byte) of `value`. */
export function varIntBytes(value: WideInt): number[] {
  let rest = BigInt(value)
  const negative = rest < 0n
  if (negative) rest = -rest
  const out: number[] = []
  out.push((rest > 0x3fn ? 0x80 : 0) | (negative ? 0x40 : 0) | Number(rest & 0x3fn))
  rest >>= 6n
  while (rest > 0n) {
    out.push((rest > 0x7fn ? 0x80 : 0) | Number(rest & 0x7fn))
    rest >>= 7n
  }
  return out
}

const textEncoder = new TextEncoder()
/** Encodings of short strings (names and keys recur in every struct). */
const shortStrings = new Map<string, Uint8Array>()

/** Appends lib0 encodings to a growing byte array. */
export class RawEncoder {
  private buffer = new Uint8Array(256)
  private size = 0

  /** Bytes written so far. */
  get length(): number {
    return this.size
  }

  private reserve(extra: number): void {
    if (this.size + extra <= this.buffer.length) return
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.size + extra))
    grown.set(this.buffer.subarray(0, this.size))
    this.buffer = grown
  }

  /** One byte. */
  byte(value: number): this {
    this.reserve(1)
    this.buffer[this.size++] = value & 0xff
    return this
  }

  /** Bytes as they are. */
  raw(bytes: ArrayLike<number>): this {
    this.reserve(bytes.length)
    this.buffer.set(bytes, this.size)
    this.size += bytes.length
    return this
  }

  /** A varUint of any size. */
  varUint(value: WideInt): this {
    if (typeof value !== 'number' || value < 0 || value > Number.MAX_SAFE_INTEGER)
      return this.raw(varUintBytes(value))
    let rest = value
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80)
      rest = Math.floor(rest / 0x80)
    }
    return this.byte(rest)
  }

  /** A signed varInt of any size. */
  varInt(value: WideInt): this {
    return this.raw(varIntBytes(value))
  }

  /** A length-prefixed byte array; `claimed` overrides the prefix (a length the bytes do not back). */
  varBytes(bytes: Uint8Array, claimed?: WideInt): this {
    this.varUint(claimed ?? bytes.length)
    return this.raw(bytes)
  }

  /** A length-prefixed UTF-8 string. */
  varString(text: string, claimed?: WideInt): this {
    let bytes = text.length <= 64 ? shortStrings.get(text) : undefined
    if (!bytes) {
      bytes = textEncoder.encode(text)
      if (text.length <= 64 && shortStrings.size < 10_000) shortStrings.set(text, bytes)
    }
    return this.varBytes(bytes, claimed)
  }

  /** A lib0 `any` value of the JSON-like kinds (strings, numbers, booleans, null, arrays, objects). */
  any(value: unknown): this {
    if (value === undefined) return this.byte(127)
    if (value === null) return this.byte(126)
    if (value === true) return this.byte(120)
    if (value === false) return this.byte(121)
    if (typeof value === 'string') return this.byte(119).varString(value)
    if (typeof value === 'bigint') return this.byte(125).varInt(value)
    if (typeof value === 'number') {
      if (Number.isInteger(value) && Math.abs(value) <= 2 ** 31) return this.byte(125).varInt(value)
      const view = new DataView(new ArrayBuffer(8))
      view.setFloat64(0, value, false)
      return this.byte(123).raw(new Uint8Array(view.buffer))
    }
    if (value instanceof Uint8Array) return this.byte(116).varBytes(value)
    if (Array.isArray(value)) {
      this.byte(117).varUint(value.length)
      for (const item of value) this.any(item)
      return this
    }
    const entries = Object.entries(value as object)
    this.byte(118).varUint(entries.length)
    for (const [key, item] of entries) this.varString(key).any(item)
    return this
  }

  /** Everything written, as one array. */
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.size)
  }
}

/** The first `max` bytes of `bytes` in hex (with the total length when cut). */
export function hexOf(bytes: Uint8Array, max = 256): string {
  const shown = Buffer.from(bytes.subarray(0, max)).toString('hex')
  return bytes.length > max ? `${shown}... (${bytes.length} bytes)` : shown
}

/**
 * A bounds-checked reader of the primitives Yjs and lib0 encode (varUint, varInt, strings, byte
 * arrays, lib0's `any`). Unlike lib0's decoder it never returns a value the next step cannot trust:
 * every integer is a safe integer within the caller's bound, every length is backed by the bytes
 * present, nested values have a bounded depth. Any violation throws a {@link MalformedUpdate}.
 */

/** Thrown when bytes are not a well-formed encoding within the named limits. */
export class MalformedUpdate extends RangeError {
  override readonly name = 'MalformedUpdate'
}

const textDecoder = new TextDecoder('utf-8', { fatal: true })

/** Strings up to this many bytes are decoded by hand when they are ASCII. */
const SHORT_STRING = 32

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return textDecoder.decode(bytes)
  } catch {
    throw new MalformedUpdate(`${what} is not valid UTF-8`)
  }
}

export class SafeDecoder {
  pos = 0

  constructor(readonly bytes: Uint8Array) {}

  /** True while bytes are left. */
  get hasContent(): boolean {
    return this.pos < this.bytes.length
  }

  /** Bytes left after the current position. */
  get remaining(): number {
    return this.bytes.length - this.pos
  }

  /** Reads one byte. */
  readUint8(): number {
    if (this.pos >= this.bytes.length) throw new MalformedUpdate('unexpected end of the update')
    return this.bytes[this.pos++] as number
  }

  /**
   * Reads an unsigned varint (7 bits a byte, low bits first) no larger than `max` (at most
   * `Number.MAX_SAFE_INTEGER`). `what` names the value in the error.
   */
  readVarUint(max: number, what: string): number {
    let value = 0
    let multiplier = 1
    for (let shift = 0; shift < 8; shift++) {
      const byte = this.readUint8()
      value += (byte & 0x7f) * multiplier
      if (value > max) throw new MalformedUpdate(`${what} ${value} is above ${max}`)
      if (byte < 0x80) return value
      multiplier *= 128
    }
    throw new MalformedUpdate(`${what} is longer than a safe integer`)
  }

  /** Reads a signed varint as lib0 writes it (sign in bit 7 of the first byte); |value| < 2^53. */
  readVarInt(): number {
    let byte = this.readUint8()
    let value = byte & 0x3f
    const sign = byte & 0x40 ? -1 : 1
    let multiplier = 64
    for (let i = 0; byte & 0x80; i++) {
      if (i >= 8) throw new MalformedUpdate('an integer is longer than a safe integer')
      byte = this.readUint8()
      value += (byte & 0x7f) * multiplier
      if (value > Number.MAX_SAFE_INTEGER) throw new MalformedUpdate('an integer is out of range')
      multiplier *= 128
    }
    return sign * value
  }

  /** Reads a length-prefixed byte array whose bytes are all present. */
  readVarBytes(what: string): Uint8Array {
    const length = this.readVarUint(Number.MAX_SAFE_INTEGER, `length of ${what}`)
    if (length > this.remaining)
      throw new MalformedUpdate(
        `unexpected end of the update (${what}: ${length} bytes, ${this.remaining} left)`,
      )
    const bytes = this.bytes.subarray(this.pos, this.pos + length)
    this.pos += length
    return bytes
  }

  /** Reads a length-prefixed UTF-8 string (valid UTF-8, every byte present). */
  readVarString(what: string): string {
    const bytes = this.readVarBytes(what)
    if (bytes.length <= SHORT_STRING) {
      // Most keys and names are short ASCII: cheaper than the text decoder.
      let text = ''
      for (let i = 0; i < bytes.length; i++) {
        const byte = bytes[i] as number
        if (byte >= 0x80) return decodeUtf8(bytes, what)
        text += String.fromCharCode(byte)
      }
      return text
    }
    return decodeUtf8(bytes, what)
  }

  /** Skips `count` bytes that must be present. */
  skip(count: number): void {
    if (count > this.remaining) throw new MalformedUpdate('unexpected end of the update')
    this.pos += count
  }

  /**
   * Reads one lib0 `any` value (as `decoding.readAny` does) and returns it, refusing nesting deeper
   * than `maxDepth`, unknown type tags, and floats that are not finite.
   */
  readAny(maxDepth: number): unknown {
    const tag = this.readUint8()
    switch (tag) {
      case 127:
        return undefined
      case 126:
        return null
      case 125:
        return this.readVarInt()
      case 124: {
        this.skip(4)
        const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos - 4, 4)
        const value = view.getFloat32(0, false)
        if (!Number.isFinite(value)) throw new MalformedUpdate('a number is not finite')
        return value
      }
      case 123: {
        this.skip(8)
        const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos - 8, 8)
        const value = view.getFloat64(0, false)
        if (!Number.isFinite(value)) throw new MalformedUpdate('a number is not finite')
        return value
      }
      case 122:
        throw new MalformedUpdate('big integers are not accepted')
      case 121:
        return false
      case 120:
        return true
      case 119:
        return this.readVarString('a string value')
      case 118: {
        if (maxDepth <= 0) throw new MalformedUpdate('a value is nested too deeply')
        const count = this.readVarUint(this.remaining, 'the size of an object')
        const value: Record<string, unknown> = Object.create(null)
        for (let i = 0; i < count; i++) {
          const key = this.readVarString('an object key')
          if (key === '__proto__') throw new MalformedUpdate('an object key is __proto__')
          value[key] = this.readAny(maxDepth - 1)
        }
        return value
      }
      case 117: {
        if (maxDepth <= 0) throw new MalformedUpdate('a value is nested too deeply')
        const count = this.readVarUint(this.remaining, 'the length of an array')
        const value: unknown[] = []
        for (let i = 0; i < count; i++) value.push(this.readAny(maxDepth - 1))
        return value
      }
      case 116:
        return this.readVarBytes('a binary value')
      default:
        throw new MalformedUpdate(`unknown value tag ${tag}`)
    }
  }
}

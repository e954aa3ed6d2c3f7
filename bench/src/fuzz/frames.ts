/**
 * Websocket frames for the fuzzer: random bytes; sync step 1 / step 2 / update carrying the
 * hand-written updates of hostileUpdates.ts; awareness updates (spoofed, oversized, for other
 * client IDs, not JSON); OneText's own server-to-client messages sent the wrong way; unknown message
 * types; and valid frames of every kind mutated (bit flips, truncation, splices, extreme varints,
 * lengths the bytes do not back).
 */

import { MAX_MESSAGE_BYTES } from '@onetext/shared/limits'
import {
  messageAwareness,
  messageError,
  messagePersisted,
  messageQueryAwareness,
  messageRefused,
  messageSync,
  syncStep1,
  syncStep2,
  syncUpdate,
} from '@onetext/shared/protocol'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import type { HostileContext } from './bulkUpdates'
import { hostileUpdate } from './hostileUpdates'
import { extreme } from './hostileValues'
import type { FuzzRandom } from './random'
import { hostileVarUint, RawEncoder } from './rawEncoder'

/** One frame to send: binary, or (a string) a text frame. */
export interface FuzzFrame {
  label: string
  data: Uint8Array | string
  /** Send the message in fragments (continuation frames), cut at these offsets. */
  fragments?: number[]
}

/** Recently seen well-formed frames, the material of mutations. */
export class Corpus {
  private readonly frames: Uint8Array[] = []

  constructor(private readonly capacity = 400) {}

  /** Keeps `frame` (small ones only), dropping a random old one when full. */
  add(frame: Uint8Array, random: FuzzRandom): void {
    if (frame.length === 0 || frame.length > 64 * 1024) return
    if (this.frames.length < this.capacity) this.frames.push(frame)
    else this.frames[random.int(0, this.capacity - 1)] = frame
  }

  /** A kept frame, or null when there is none yet. */
  pick(random: FuzzRandom): Uint8Array | null {
    return this.frames.length === 0 ? null : random.pick(this.frames)
  }
}

/** Wraps a Yjs update (or a state vector, for step 1) in a sync frame of `subType`. */
export function syncFrame(subType: number, payload: Uint8Array): Uint8Array {
  return new RawEncoder().varUint(messageSync).varUint(subType).varBytes(payload).bytes()
}

/**
 * True when the server counts `frame` as a document-changing message (decoded as it decodes it:
 * a sync step 2 or update whose payload is all there), so numbers its `persisted` and `refused`.
 */
export function countsAsChange(frame: Uint8Array | string): boolean {
  if (typeof frame === 'string') return false
  try {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== messageSync) return false
    const subType = decoding.readVarUint(decoder)
    if (subType !== syncStep2 && subType !== syncUpdate) return false
    decoding.readVarUint8Array(decoder)
    return true
  } catch {
    return false
  }
}

/** Applies one to three mutations to a copy of `frame`. */
export function mutate(frame: Uint8Array, random: FuzzRandom, corpus: Corpus): Uint8Array {
  let bytes = Array.from(frame)
  for (let round = random.int(1, 3); round > 0; round--) {
    const at = random.int(0, bytes.length)
    switch (random.int(0, 6)) {
      case 0:
        for (let flips = random.int(1, 4); flips > 0 && bytes.length > 0; flips--) {
          const index = random.int(0, bytes.length - 1)
          bytes[index] = (bytes[index] as number) ^ (1 << random.int(0, 7))
        }
        break
      case 1:
        bytes = bytes.slice(0, at)
        break
      case 2: {
        const other = corpus.pick(random) ?? random.bytes(8)
        bytes = [...bytes.slice(0, at), ...Array.from(other.subarray(random.int(0, other.length)))]
        break
      }
      case 3:
        bytes.splice(at, random.int(0, 2), ...hostileVarUint(random))
        break
      case 4:
        // The payload length of a sync or awareness frame: a length the bytes do not back.
        bytes.splice(frame[0] === messageSync ? 2 : 1, 1, ...hostileVarUint(random))
        break
      case 5: {
        const from = random.int(0, bytes.length)
        bytes.splice(at, 0, ...bytes.slice(from, from + random.int(1, 64)))
        break
      }
      default:
        bytes.splice(at, 0, ...random.bytes(random.int(1, 16)))
    }
  }
  return Uint8Array.from(bytes)
}

/** A state vector: the copy's, or one with extreme clients, clocks and counts. */
function stateVector(random: FuzzRandom, doc: Y.Doc): Uint8Array {
  if (random.chance(0.6)) return Y.encodeStateVector(doc)
  const encoder = new RawEncoder()
  const entries = random.int(0, 4)
  encoder.varUint(random.chance(0.8) ? entries : extreme(random))
  for (let i = 0; i < entries; i++) encoder.varUint(extreme(random)).varUint(extreme(random))
  return encoder.bytes()
}

/** Awareness states (as JSON text) that are small. */
const SMALL_STATES: ReadonlyArray<() => string> = [
  () => JSON.stringify({ cursor: { anchor: 1 }, n: 'x' }),
  () => JSON.stringify({ user: { id: 'someone-else', name: 'Dana Reyes', role: 'mediator' } }),
  () => 'null',
]
const BIG_STATE = JSON.stringify({ big: 'x'.repeat(16 * 1024) })
const DEEP_STATE = JSON.stringify({ deep: JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`) })
/** Awareness states of every kind: too big, too deep, not objects, not JSON. */
const STATES: ReadonlyArray<() => string> = [
  ...SMALL_STATES,
  () => BIG_STATE,
  () => '[1,2,3]',
  () => '"text"',
  () => '{"unterminated": ',
  () => '{"__proto__": {"polluted": true}, "user": 1}',
  () => DEEP_STATE,
]

/** An awareness update: the socket's own client ID or another's, with a state chosen to hurt. */
function awarenessUpdate(random: FuzzRandom, ownClient: number, victims: readonly number[]) {
  const encoder = new RawEncoder()
  const entries = random.weighted<number>([
    [20, random.int(1, 3)],
    [1, random.int(100, 3_000)],
  ])
  encoder.varUint(random.chance(0.9) ? entries : extreme(random))
  for (let i = 0; i < entries; i++) {
    const client = random.weighted<number | bigint>([
      [entries > 3 ? 0 : 5, ownClient],
      [entries > 3 ? 20 : 0, random.clientId()],
      [2, victims.length > 0 ? random.pick(victims) : random.clientId()],
      [1, extreme(random)],
    ])
    encoder.varUint(client).varUint(random.chance(0.8) ? random.int(0, 1000) : extreme(random))
    const state = random.pick(entries > 3 ? SMALL_STATES : STATES)()
    encoder.varString(state)
  }
  return encoder.bytes()
}

/** What frames are built from: the hostile-update context plus the corpus and the socket's IDs. */
export interface FrameContext extends HostileContext {
  corpus: Corpus
  /** The client ID this socket uses for its presence. */
  awarenessClient: number
}

/** One fuzz frame (not one built through the copy's Yjs API; see the attacker for those). */
export function fuzzFrame(context: FrameContext): FuzzFrame {
  const { random } = context
  const frame = anyFrame(context)
  if (typeof frame.data !== 'string' && frame.data.length > 1 && random.chance(0.1)) {
    const length = frame.data.length
    frame.fragments = Array.from({ length: random.int(1, 3) }, () => random.int(1, length - 1))
    frame.label = `${frame.label}.fragmented`
  }
  return frame
}

function anyFrame(context: FrameContext): FuzzFrame {
  const { random, corpus } = context
  return random.weighted<() => FuzzFrame>([
    [2, () => ({ label: 'bytes', data: random.bytes(random.length(4096)) })],
    [1, () => ({ label: 'empty', data: new Uint8Array(0) })],
    [0.01, () => ({ label: 'oversized', data: new Uint8Array(MAX_MESSAGE_BYTES + 1) })],
    [1, () => ({ label: 'text', data: random.word().repeat(random.int(1, 50)) })],
    [2, () => ({ label: 'step1', data: syncFrame(syncStep1, stateVector(random, context.doc)) })],
    [
      14,
      () => {
        const hostile = hostileUpdate(context)
        const subType = random.chance(0.7) ? syncUpdate : syncStep2
        return { label: `update.${hostile.label}`, data: syncFrame(subType, hostile.update) }
      },
    ],
    [
      3,
      () => ({
        label: 'awareness',
        data: new RawEncoder()
          .varUint(messageAwareness)
          .varBytes(awarenessUpdate(random, context.awarenessClient, context.victims))
          .bytes(),
      }),
    ],
    [
      2,
      () => {
        const encoder = new RawEncoder()
        const type = random.pick([
          messagePersisted,
          messageError,
          messageRefused,
          messageQueryAwareness,
          2,
          4,
          99,
          103,
          random.int(0, 300),
        ])
        encoder.varUint(type)
        for (let i = random.int(0, 3); i > 0; i--) encoder.varUint(extreme(random))
        if (random.chance(0.5)) encoder.varString(random.word())
        return { label: `message.${type}`, data: encoder.bytes() }
      },
    ],
    [
      1,
      () => ({
        label: 'sync.subType',
        data: new RawEncoder()
          .varUint(messageSync)
          .raw(hostileVarUint(random))
          .raw(random.bytes(random.int(0, 8)))
          .bytes(),
      }),
    ],
    [
      8,
      () => {
        const base = corpus.pick(random)
        if (!base) return { label: 'bytes', data: random.bytes(random.length(64)) }
        return { label: 'mutated', data: mutate(base, random, corpus) }
      },
    ],
  ])()
}

/**
 * The structural check of a client update, the gate's first step (docs/SECURITY.md): the update is
 * read as Yjs 13 encodes it (update format v1: client sections of structs, then a delete set) with a
 * reader that trusts nothing, before Yjs sees a byte of it. Yjs itself decodes whatever integers an
 * update claims (clocks near 2^53, lengths past the end of the bytes, unknown tags), which can
 * poison a document for good; here each one is checked against the named limits in
 * shared/src/limits.ts, and what the update writes, refers to and deletes is summarised for the
 * gate's next steps (ownership, references, roots). The cost is linear in the update's bytes.
 */
import {
  MAX_CLIENT_ID,
  MAX_CLOCK,
  MAX_KEY_LENGTH,
  MAX_UPDATE_CLIENTS,
  MAX_UPDATE_DELETE_RANGES,
  MAX_UPDATE_STRUCTS,
  MAX_VALUE_DEPTH,
} from '@onetext/shared/limits'
import { MalformedUpdate, SafeDecoder } from './SafeDecoder'

/** Content kinds (the low five bits of a struct's info byte), as Yjs numbers them. */
const GC_REF = 0
const DELETED_REF = 1
const STRING_REF = 4
const FORMAT_REF = 6
const TYPE_REF = 7
const ANY_REF = 8

const JSON_REF = 2
const BINARY_REF = 3
const EMBED_REF = 5
const DOC_REF = 9
const SKIP_REF = 10

/** Shared types a client update may create (Yjs type refs): arrays, maps, texts, XML elements and texts. */
const CLIENT_TYPE_REFS = new Set([0, 1, 2, 3, 6])
/** Every shared type Yjs 13 knows (adds XML fragments and hooks). */
const ALL_TYPE_REFS = new Set([0, 1, 2, 3, 4, 5, 6])
/** Yjs type refs of XML elements and hooks (which carry a name). */
const XML_ELEMENT_TYPE_REF = 3
const XML_HOOK_TYPE_REF = 5

/** What an update may hold and how much of it (see {@link CLIENT_UPDATE_LIMITS}). */
export interface UpdateLimits {
  readonly maxClients: number
  readonly maxStructs: number
  readonly maxDeleteRanges: number
  /**
   * Only the content kinds and shared types OneText's clients write; otherwise every kind Yjs 13
   * knows is read (and checked) too.
   */
  readonly clientKindsOnly: boolean
}

/** The limits of an update a client sends (docs/PROTOCOL.md, "The update gate"). */
export const CLIENT_UPDATE_LIMITS: UpdateLimits = {
  maxClients: MAX_UPDATE_CLIENTS,
  maxStructs: MAX_UPDATE_STRUCTS,
  maxDeleteRanges: MAX_UPDATE_DELETE_RANGES,
  clientKindsOnly: true,
}

/**
 * The limits of an entry the server stored (a log entry or a snapshot): any size and any kind Yjs
 * knows, but every integer and length still checked, so that a poisoned entry is set aside instead
 * of applied.
 */
export const STORED_ENTRY_LIMITS: UpdateLimits = {
  maxClients: Number.MAX_SAFE_INTEGER,
  maxStructs: Number.MAX_SAFE_INTEGER,
  maxDeleteRanges: Number.MAX_SAFE_INTEGER,
  clientKindsOnly: false,
}

const ORIGIN_BIT = 0x80
const RIGHT_ORIGIN_BIT = 0x40
const PARENT_SUB_BIT = 0x20
const CONTENT_BITS = 0x1f

/** The clocks one client section writes: `[start, end)`. */
export interface WrittenRange {
  readonly start: number
  readonly end: number
}

/** How an item names its parent: a root, an item ID, or the same parent as its (right) origin. */
export const ParentBy = { root: 0, id: 1, origin: 2, rightOrigin: 3 } as const

/**
 * The items of an update (GC structs are not items), one entry per index in each array: where each
 * sits and how it names its parent, and whether it creates a shared type. Only what the nesting
 * check needs (nestingDepth.ts).
 */
export interface UpdateItems {
  readonly client: number[]
  readonly clock: number[]
  /** The clock after the item. */
  readonly end: number[]
  /** A {@link ParentBy} value. */
  readonly parentBy: number[]
  /** With `parentBy` id, origin or right origin: that ID's client and clock (else 0). */
  readonly refClient: number[]
  readonly refClock: number[]
  /** True for items that create a shared type. */
  readonly isType: boolean[]
}

/** One client's deleted ranges in an update's delete set. */
export interface DeleteSection {
  readonly client: number
  /** `clock, length` pairs, in the order read (Yjs writes them sorted by clock; a forger need not). */
  readonly ranges: Uint32Array
}

/** What an update writes, refers to and deletes, read without trusting it. */
export interface UpdateStructure {
  /** Per client ID, the clocks its structs occupy. */
  readonly written: ReadonlyMap<number, WrittenRange>
  /** IDs the update's items build on (origins, right origins, parents), as `[client, clock]` pairs. */
  readonly references: readonly number[]
  /** Root types the update inserts into directly (`doc.get(name)`). */
  readonly roots: ReadonlySet<string>
  /** The delete set, one section per deleting client, in the order read. */
  readonly deletions: readonly DeleteSection[]
  /** Offset of the delete set in the update's bytes (after the structs). */
  readonly deleteSetStart: number
  /** Number of structs. */
  readonly structs: number
  /** The update's items in the order they were read (per client section, by clock). */
  readonly items: UpdateItems
}

function readKey(decoder: SafeDecoder, what: string): string {
  const key = decoder.readVarString(what)
  if (key.length > MAX_KEY_LENGTH)
    throw new MalformedUpdate(`${what} is longer than ${MAX_KEY_LENGTH} characters`)
  return key
}

function readClock(decoder: SafeDecoder, what: string): number {
  return decoder.readVarUint(MAX_CLOCK, what)
}

function readClient(decoder: SafeDecoder): number {
  return decoder.readVarUint(MAX_CLIENT_ID, 'a client ID')
}

/**
 * Reads one item's content (after its info byte and IDs) and returns its length in clock units.
 * With `clientKindsOnly`, refuses content kinds OneText's clients never write (JSON, binary,
 * embeds, subdocuments, XML fragments and hooks).
 */
function readContent(decoder: SafeDecoder, ref: number, clientKindsOnly: boolean): number {
  if (!clientKindsOnly) {
    switch (ref) {
      case JSON_REF: {
        const count = decoder.readVarUint(decoder.remaining, 'the number of JSON values')
        if (count === 0) throw new MalformedUpdate('an item with no values')
        for (let i = 0; i < count; i++) decoder.readVarString('a JSON value')
        return count
      }
      case BINARY_REF:
        decoder.readVarBytes('binary content')
        return 1
      case EMBED_REF:
        decoder.readVarString('an embed')
        return 1
      case DOC_REF:
        decoder.readVarString('a subdocument id')
        decoder.readAny(MAX_VALUE_DEPTH)
        return 1
    }
  }
  switch (ref) {
    case DELETED_REF: {
      const length = readClock(decoder, 'the length of deleted content')
      if (length === 0) throw new MalformedUpdate('deleted content of length 0')
      return length
    }
    case STRING_REF: {
      const text = decoder.readVarString('a string')
      if (text.length === 0) throw new MalformedUpdate('an empty string item')
      return text.length
    }
    case FORMAT_REF:
      readKey(decoder, 'a format key')
      parseFormatValue(decoder.readVarString('a format value'))
      return 1
    case TYPE_REF: {
      const typeRef = decoder.readVarUint(0xff, 'a type ref')
      if (!(clientKindsOnly ? CLIENT_TYPE_REFS : ALL_TYPE_REFS).has(typeRef))
        throw new MalformedUpdate(`shared type ${typeRef} is not accepted`)
      if (typeRef === XML_ELEMENT_TYPE_REF || typeRef === XML_HOOK_TYPE_REF)
        readKey(decoder, 'an element name')
      return 1
    }
    case ANY_REF: {
      const count = decoder.readVarUint(decoder.remaining, 'the number of values')
      if (count === 0) throw new MalformedUpdate('an item with no values')
      for (let i = 0; i < count; i++) decoder.readAny(MAX_VALUE_DEPTH)
      return count
    }
    default:
      throw new MalformedUpdate(`content kind ${ref} is not accepted`)
  }
}

/** A format value is JSON (Yjs v1 writes it with JSON.stringify): an object of attributes or null. */
function parseFormatValue(json: string): void {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    throw new MalformedUpdate('a format value is not JSON')
  }
  if (value !== null && (typeof value !== 'object' || Array.isArray(value)))
    throw new MalformedUpdate('a format value is not an object or null')
  if (jsonDepth(value, 0) > MAX_VALUE_DEPTH)
    throw new MalformedUpdate('a format value is nested too deeply')
}

function jsonDepth(value: unknown, depth: number): number {
  if (value === null || typeof value !== 'object') return depth
  let deepest = depth + 1
  for (const child of Object.values(value as object)) {
    deepest = Math.max(deepest, jsonDepth(child, depth + 1))
    if (deepest > MAX_VALUE_DEPTH) return deepest
  }
  return deepest
}

function readStructs(
  decoder: SafeDecoder,
  limits: UpdateLimits,
  written: Map<number, WrittenRange>,
  references: number[],
  roots: Set<string>,
  items: UpdateItems,
): number {
  const sections = decoder.readVarUint(limits.maxClients, 'the number of client sections')
  let structs = 0
  for (let section = 0; section < sections; section++) {
    const count = decoder.readVarUint(limits.maxStructs - structs, 'the number of structs')
    structs += count
    const client = readClient(decoder)
    if (written.has(client)) throw new MalformedUpdate(`client ${client} has two sections`)
    const start = readClock(decoder, 'a clock')
    let clock = start
    for (let i = 0; i < count; i++) {
      const info = decoder.readUint8()
      const ref = info & CONTENT_BITS
      let length: number
      if (ref === GC_REF) {
        if (info !== GC_REF) throw new MalformedUpdate('a GC struct with flags')
        length = readClock(decoder, 'the length of a GC struct')
        if (length === 0) throw new MalformedUpdate('a GC struct of length 0')
      } else if (ref === SKIP_REF && !limits.clientKindsOnly) {
        length = decoder.readVarUint(MAX_CLOCK, 'the length of a skip')
        if (length === 0) throw new MalformedUpdate('a skip of length 0')
      } else {
        let parentBy: number = ParentBy.root
        let refClient = 0
        let refClock = 0
        if (info & ORIGIN_BIT) {
          refClient = readClient(decoder)
          refClock = readClock(decoder, 'an origin clock')
          references.push(refClient, refClock)
          parentBy = ParentBy.origin
        }
        if (info & RIGHT_ORIGIN_BIT) {
          const rightClient = readClient(decoder)
          const rightClock = readClock(decoder, 'a right origin clock')
          references.push(rightClient, rightClock)
          if (parentBy === ParentBy.root) {
            refClient = rightClient
            refClock = rightClock
            parentBy = ParentBy.rightOrigin
          }
        }
        if ((info & (ORIGIN_BIT | RIGHT_ORIGIN_BIT)) === 0) {
          const parentInfo = decoder.readVarUint(1, 'parent info')
          if (parentInfo === 1) {
            roots.add(readKey(decoder, 'a root name'))
          } else {
            refClient = readClient(decoder)
            refClock = readClock(decoder, 'a parent clock')
            references.push(refClient, refClock)
            parentBy = ParentBy.id
          }
          if (info & PARENT_SUB_BIT) readKey(decoder, 'a key')
        }
        length = readContent(decoder, ref, limits.clientKindsOnly)
        items.client.push(client)
        items.clock.push(clock)
        items.end.push(clock + length)
        items.parentBy.push(parentBy)
        items.refClient.push(refClient)
        items.refClock.push(refClock)
        items.isType.push(ref === TYPE_REF)
      }
      clock += length
      if (clock > MAX_CLOCK)
        throw new MalformedUpdate(`client ${client}'s clock passes ${MAX_CLOCK}`)
    }
    written.set(client, { start, end: clock })
  }
  return structs
}

function readDeletions(
  decoder: SafeDecoder,
  limits: UpdateLimits,
  deletions: DeleteSection[],
): void {
  const clients = decoder.readVarUint(limits.maxClients, 'the number of deleting clients')
  const seen = new Set<number>()
  let ranges = 0
  for (let i = 0; i < clients; i++) {
    const client = readClient(decoder)
    if (seen.has(client)) throw new MalformedUpdate(`client ${client} has two delete sections`)
    seen.add(client)
    const count = decoder.readVarUint(limits.maxDeleteRanges - ranges, 'the number of deletions')
    // Each range takes at least two bytes: a count the bytes cannot back is refused before any
    // memory is set aside for it.
    if (count * 2 > decoder.remaining)
      throw new MalformedUpdate(
        `unexpected end of the update (${count} deletions, ${decoder.remaining} bytes left)`,
      )
    ranges += count
    const pairs = new Uint32Array(count * 2)
    // Yjs writes a client's deleted ranges sorted and merged; ranges out of order or overlapping
    // would make the server look the same items up again and again.
    let end = 0
    for (let j = 0; j < count; j++) {
      const clock = readClock(decoder, 'a deleted clock')
      const length = readClock(decoder, 'a deleted length')
      if (length === 0) throw new MalformedUpdate('a deletion of length 0')
      if (clock + length > MAX_CLOCK)
        throw new MalformedUpdate(`a deletion passes clock ${MAX_CLOCK}`)
      if (clock < end) throw new MalformedUpdate('deleted ranges out of order or overlapping')
      end = clock + length
      pairs[j * 2] = clock
      pairs[j * 2 + 1] = length
    }
    deletions.push({ client, ranges: pairs })
  }
}

/**
 * Reads `update` (Yjs update format v1) without applying it. Throws {@link MalformedUpdate} when
 * it is not a well-formed update within `limits` (a client's, by default): an integer out of
 * range, a length not backed by bytes, a content kind or shared type not accepted, a client
 * section or deleting client twice, a zero-length struct, bytes left over.
 */
export function readUpdateStructure(
  update: Uint8Array,
  limits: UpdateLimits = CLIENT_UPDATE_LIMITS,
): UpdateStructure {
  const decoder = new SafeDecoder(update)
  const written = new Map<number, WrittenRange>()
  const references: number[] = []
  const roots = new Set<string>()
  const deletions: DeleteSection[] = []
  const items: UpdateItems = {
    client: [],
    clock: [],
    end: [],
    parentBy: [],
    refClient: [],
    refClock: [],
    isType: [],
  }
  const structs = readStructs(decoder, limits, written, references, roots, items)
  const deleteSetStart = decoder.pos
  readDeletions(decoder, limits, deletions)
  if (decoder.hasContent) throw new MalformedUpdate('bytes after the end of the update')
  return { written, references, roots, deletions, deleteSetStart, structs, items }
}

/**
 * The check of a stored entry before it is applied (the registry's entry check): throws
 * {@link MalformedUpdate} for an entry that is not a well-formed update (see
 * {@link STORED_ENTRY_LIMITS}).
 */
export function checkStoredEntry(entry: Uint8Array): void {
  readUpdateStructure(entry, STORED_ENTRY_LIMITS)
}

/** Reads a state vector (a sync step 1's content) within the limits; throws {@link MalformedUpdate}. */
export function checkStateVector(stateVector: Uint8Array): void {
  const decoder = new SafeDecoder(stateVector)
  const count = decoder.readVarUint(decoder.remaining, 'the number of clients')
  for (let i = 0; i < count; i++) {
    readClient(decoder)
    decoder.readVarUint(Number.MAX_SAFE_INTEGER, 'a clock')
  }
  if (decoder.hasContent) throw new MalformedUpdate('bytes after the end of the state vector')
}

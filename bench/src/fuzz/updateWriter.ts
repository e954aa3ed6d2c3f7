/**
 * Writes Yjs updates (format v1) by hand, struct by struct, so that the fuzzer can say anything an
 * update can say: any client ID, clock, length or count (past every limit, past 2^53), origins and
 * parents naming real or invented items, any content kind, element names, keys and marks, trees of
 * any depth and delete sets of any length. Yjs's own encoder only writes what a document holds.
 */
import { RawEncoder, type WideInt } from './rawEncoder'

/** An item ID: client and clock. */
export type ItemId = readonly [client: WideInt, clock: WideInt]

/** Yjs type refs (the shared type a ContentType creates). */
export const TypeRef = {
  array: 0,
  map: 1,
  text: 2,
  xmlElement: 3,
  xmlFragment: 4,
  xmlHook: 5,
  xmlText: 6,
} as const

/** What a struct holds. */
export type StructContent =
  | { kind: 'string'; text: string }
  | { kind: 'type'; typeRef: number; name?: string }
  | { kind: 'any'; values: unknown[] }
  | { kind: 'format'; key: string; json: string }
  | { kind: 'deleted'; length: WideInt }
  /** Any content kind (`ref`, the low five bits of the info byte) with bytes of our choosing. */
  | { kind: 'raw'; ref: number; bytes: ArrayLike<number>; length: number }
  /** A GC struct (or, with `ref` 10, a skip) of `length`. */
  | { kind: 'gc'; length: WideInt; ref?: number }

/** One struct: where it goes (origins, or a parent and key) and what it holds. */
export interface StructSpec {
  origin?: ItemId
  rightOrigin?: ItemId
  /** A root type by name, or a shared type by the ID of the item that created it. */
  parent?: { root: string } | { id: ItemId }
  /** The key in a map parent (an attribute of an element). */
  parentSub?: string
  content: StructContent
}

/**
 * The structs one client writes, from `clock` on. `tail` is more structs already encoded (for
 * updates of tens of thousands of structs); `count` overrides the written struct count.
 */
export interface SectionSpec {
  client: WideInt
  clock: WideInt
  structs: StructSpec[]
  tail?: { bytes: Uint8Array; structs: number }
  count?: WideInt
}

/** One client's deleted ranges, `[clock, length]`. `count` overrides the written range count. */
export interface DeletionSpec {
  client: WideInt
  ranges: ReadonlyArray<readonly [WideInt, WideInt]>
  count?: WideInt
}

/** A whole update; the counts override the written numbers of sections and deleting clients. */
export interface UpdateSpec {
  sections: SectionSpec[]
  deletions?: DeletionSpec[]
  sectionCount?: WideInt
  deletionCount?: WideInt
}

/** Clock units a struct of `content` occupies. */
export function contentLength(content: StructContent): number {
  switch (content.kind) {
    case 'string':
      return content.text.length
    case 'any':
      return content.values.length
    case 'deleted':
    case 'gc':
      return Number(content.length)
    case 'raw':
      return content.length
    default:
      return 1
  }
}

function writeId(encoder: RawEncoder, id: ItemId): void {
  encoder.varUint(id[0]).varUint(id[1])
}

function writeContent(encoder: RawEncoder, content: StructContent): void {
  switch (content.kind) {
    case 'string':
      encoder.varString(content.text)
      return
    case 'type':
      encoder.varUint(content.typeRef)
      if (content.typeRef === TypeRef.xmlElement || content.typeRef === TypeRef.xmlHook)
        encoder.varString(content.name ?? 'paragraph')
      return
    case 'any':
      encoder.varUint(content.values.length)
      for (const value of content.values) encoder.any(value)
      return
    case 'format':
      encoder.varString(content.key).varString(content.json)
      return
    case 'deleted':
      encoder.varUint(content.length)
      return
    case 'raw':
      encoder.raw(content.bytes)
      return
    case 'gc':
      return
  }
}

const CONTENT_REF = { deleted: 1, string: 4, format: 6, type: 7, any: 8 } as const

/** Appends one struct's encoding to `encoder`. */
export function writeStruct(encoder: RawEncoder, struct: StructSpec): void {
  const { content } = struct
  if (content.kind === 'gc') {
    encoder.byte(content.ref ?? 0).varUint(content.length)
    return
  }
  const ref = content.kind === 'raw' ? content.ref : CONTENT_REF[content.kind]
  const info =
    (ref & 0x1f) |
    (struct.origin ? 0x80 : 0) |
    (struct.rightOrigin ? 0x40 : 0) |
    (struct.parentSub !== undefined ? 0x20 : 0)
  encoder.byte(info)
  if (struct.origin) writeId(encoder, struct.origin)
  if (struct.rightOrigin) writeId(encoder, struct.rightOrigin)
  if (!struct.origin && !struct.rightOrigin) {
    const parent = struct.parent ?? { root: 'default' }
    if ('root' in parent) encoder.varUint(1).varString(parent.root)
    else writeId(encoder.varUint(0), parent.id)
    if (struct.parentSub !== undefined) encoder.varString(struct.parentSub)
  }
  writeContent(encoder, content)
}

/** Encodes `spec` as a Yjs v1 update. */
export function writeUpdate(spec: UpdateSpec): Uint8Array {
  const encoder = new RawEncoder()
  encoder.varUint(spec.sectionCount ?? spec.sections.length)
  for (const section of spec.sections) {
    encoder.varUint(section.count ?? section.structs.length + (section.tail?.structs ?? 0))
    encoder.varUint(section.client).varUint(section.clock)
    for (const struct of section.structs) writeStruct(encoder, struct)
    if (section.tail) encoder.raw(section.tail.bytes)
  }
  const deletions = spec.deletions ?? []
  encoder.varUint(spec.deletionCount ?? deletions.length)
  for (const deletion of deletions) {
    encoder.varUint(deletion.client).varUint(deletion.count ?? deletion.ranges.length)
    for (const [clock, length] of deletion.ranges) encoder.varUint(clock).varUint(length)
  }
  return encoder.bytes()
}

/**
 * Builds one client's section struct by struct, keeping its clock: each {@link add} returns the ID
 * of the struct's first clock unit, so later structs can name it as origin or parent.
 */
export class SectionBuilder {
  readonly structs: StructSpec[] = []
  private clock: number
  private readonly tail = new RawEncoder()
  private tailStructs = 0

  constructor(
    readonly client: number,
    readonly start: number,
  ) {
    this.clock = start
  }

  /** Adds `struct` (before any {@link chain}); returns the ID of its first clock unit. */
  add(struct: StructSpec): ItemId {
    const id: ItemId = [this.client, this.clock]
    this.structs.push(struct)
    this.clock += contentLength(struct.content)
    return id
  }

  /** The ID of the last clock unit written so far. */
  get lastId(): ItemId {
    return [this.client, this.clock - 1]
  }

  /**
   * Appends `count` structs made by `make(previous)` (given the ID of the struct before), encoded at
   * once instead of kept as specs; returns the ID of the last. Each must be one clock unit long.
   */
  chain(count: number, first: ItemId, make: (previous: ItemId) => StructSpec): ItemId {
    let previous = first
    for (let i = 0; i < count; i++) {
      const struct = make(previous)
      writeStruct(this.tail, struct)
      previous = [this.client, this.clock]
      this.clock += contentLength(struct.content)
      this.tailStructs++
    }
    return previous
  }

  /** The section to put in an {@link UpdateSpec}. */
  section(): SectionSpec {
    const section: SectionSpec = { client: this.client, clock: this.start, structs: this.structs }
    if (this.tailStructs > 0) section.tail = { bytes: this.tail.bytes(), structs: this.tailStructs }
    return section
  }
}

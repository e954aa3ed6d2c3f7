/**
 * Hand-written Yjs updates aimed at each step of the update gate (docs/PROTOCOL.md "The update
 * gate"), placed in the real document from the attacker's copy: elements, attributes and marks the
 * schema does not know, roots the document kind does not have, trees deeper than MAX_TREE_DEPTH,
 * structs under a client ID another user owns, extreme integers in every field, long delete sets,
 * content kinds and values OneText never writes, gaps and references to nothing. Some are valid
 * (the gate must accept them from a writer), most are not.
 */
import type { DocumentKind } from '@onetext/shared/documentNames'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import { MAX_TREE_DEPTH } from '@onetext/shared/limits'
import * as Y from 'yjs'
import {
  deepTree,
  type Hostile,
  type HostileContext,
  longDeleteSet,
  manyItems,
  somePlace,
} from './bulkUpdates'
import {
  ATTRIBUTE_KEYS,
  extreme,
  hostileValue,
  MARK_KEYS,
  markJson,
  NODE_NAMES,
  strangeContent,
} from './hostileValues'
import { childPlace, knownClients, type Place, textPlace } from './positions'
import type { FuzzRandom } from './random'
import {
  SectionBuilder,
  type StructContent,
  type StructSpec,
  TypeRef,
  type UpdateSpec,
  writeUpdate,
} from './updateWriter'

/** Roots to write to: the kind's own and others. */
function someRoot(random: FuzzRandom, kind: DocumentKind): string {
  const own = [...DOCUMENT_ROOTS[kind].keys()]
  const others = [
    'default',
    'annotations',
    'rationales',
    'attribution',
    'journal',
    'iterations',
    'clauses',
    'votes',
    'agreement',
    'evil',
    '',
    'x'.repeat(257),
  ]
  return own.length > 0 && random.chance(0.3) ? random.pick(own) : random.pick(others)
}

function single(client: number, clock: number, struct: StructSpec): UpdateSpec {
  return { sections: [{ client, clock, structs: [struct] }] }
}

/** An element named `name` with attributes and one text child, at `place`. */
function element(
  section: SectionBuilder,
  place: Place,
  name: string,
  attributes: ReadonlyArray<readonly [string, unknown]>,
  text: string | null,
): void {
  const id = section.add({ ...place, content: { kind: 'type', typeRef: TypeRef.xmlElement, name } })
  for (const [key, value] of attributes)
    section.add({ parent: { id }, parentSub: key, content: { kind: 'any', values: [value] } })
  if (text === null) return
  const textId = section.add({
    parent: { id },
    content: { kind: 'type', typeRef: TypeRef.xmlText },
  })
  section.add({ parent: { id: textId }, content: { kind: 'string', text } })
}

/** A valid-looking string insertion with one field replaced by an extreme integer. */
function extremeFields(context: HostileContext): UpdateSpec {
  const { random, doc } = context
  const place = textPlace(doc, random) ?? somePlace(context)
  const client = random.clientId()
  const spec: UpdateSpec = single(client, 0, { ...place, content: { kind: 'string', text: 'x' } })
  const section = spec.sections[0] as UpdateSpec['sections'][number]
  const struct = section.structs[0] as StructSpec
  switch (random.int(0, 8)) {
    case 0:
      section.client = extreme(random)
      break
    case 1:
      section.clock = extreme(random)
      break
    case 2:
      struct.origin = [extreme(random), struct.origin?.[1] ?? 0]
      break
    case 3:
      struct.origin = [struct.origin?.[0] ?? client, extreme(random)]
      break
    case 4:
      section.count = extreme(random)
      break
    case 5:
      spec.sectionCount = extreme(random)
      break
    case 6:
      struct.content = { kind: 'deleted', length: extreme(random) }
      break
    case 7:
      spec.deletions = [{ client: extreme(random), ranges: [[extreme(random), extreme(random)]] }]
      break
    default:
      spec.deletionCount = extreme(random)
  }
  return spec
}

/** Structs under a client ID someone else introduced, at its next clock (or overlapping it). */
function foreignClient(context: HostileContext): UpdateSpec {
  const { random, doc } = context
  const known = knownClients(doc)
  const state = new Map(known)
  const others: Array<[number, number]> = known.length > 0 ? known : [[random.clientId(), 0]]
  const client =
    random.chance(0.7) && context.victims.length > 0
      ? random.pick(context.victims)
      : random.pick(others)[0]
  const next = state.get(client) ?? 0
  const clock = random.chance(0.8) ? next : Math.max(0, next - random.int(1, 3))
  const place = textPlace(doc, random) ?? somePlace(context)
  return single(client, clock, { ...place, content: { kind: 'string', text: random.word() } })
}

type Generator = (context: HostileContext) => Hostile

function fromSpec(label: string, update: UpdateSpec): Hostile {
  return { label, update: writeUpdate(update) }
}

const unknownNode: Generator = (context) => {
  const { random } = context
  const section = new SectionBuilder(random.clientId(), 0)
  const name = random.pick(NODE_NAMES)
  element(section, somePlace(context), name, [], random.chance(0.7) ? random.word() : null)
  return fromSpec(`node.${name.slice(0, 12)}`, { sections: [section.section()] })
}

const attributes: Generator = (context) => {
  const { random } = context
  const section = new SectionBuilder(random.clientId(), 0)
  const list = Array.from(
    { length: random.int(1, 3) },
    () => [random.pick(ATTRIBUTE_KEYS), hostileValue(random)] as const,
  )
  const name = random.pick(['paragraph', 'clause', 'clauseHeading', 'orderedList', 'codeBlock'])
  element(section, somePlace(context), name, list, random.word())
  return fromSpec(`attributes.${name}`, { sections: [section.section()] })
}

const marks: Generator = (context) => {
  const { random, doc } = context
  const place = textPlace(doc, random)
  if (!place) return fromSpec('mark.noText', deepTree(context, 3))
  const section = new SectionBuilder(random.clientId(), 0)
  const key = random.pick(MARK_KEYS)
  const right = place.rightOrigin ? { rightOrigin: place.rightOrigin } : {}
  section.add({ ...place, content: { kind: 'format', key, json: markJson(random) } })
  section.add({
    origin: section.lastId,
    ...right,
    content: { kind: 'string', text: random.word() },
  })
  if (random.chance(0.7))
    section.add({
      origin: section.lastId,
      ...right,
      content: { kind: 'format', key, json: 'null' },
    })
  return fromSpec(`mark.${key.slice(0, 12)}`, { sections: [section.section()] })
}

const wrongRoot: Generator = (context) => {
  const { random } = context
  const root = someRoot(random, context.kind)
  const content: StructContent = random.chance(0.5)
    ? strangeContent(random)
    : random.pick<StructContent>([
        { kind: 'string', text: random.word() },
        { kind: 'type', typeRef: TypeRef.xmlText },
        { kind: 'type', typeRef: TypeRef.map },
        { kind: 'any', values: [1] },
      ])
  const struct: StructSpec = { parent: { root }, content }
  if (random.chance(0.5)) struct.parentSub = random.word()
  return fromSpec(`root.${root.slice(0, 12)}`, single(random.clientId(), 0, struct))
}

const deep: Generator = (context) => {
  const { random } = context
  const depth = random.weighted<number>([
    [30, random.int(MAX_TREE_DEPTH - 3, MAX_TREE_DEPTH + 3)],
    [6, random.int(100, 2_000)],
    [1, random.int(20_000, 60_000)],
  ])
  return fromSpec(`deepTree.${depth}`, deepTree(context, depth))
}

const contentKind: Generator = (context) => {
  const { random } = context
  const struct: StructSpec = { ...somePlace(context), content: strangeContent(random) }
  return fromSpec(`contentKind.${struct.content.kind}`, single(random.clientId(), 0, struct))
}

/** Builds on clocks nobody has: a gap in a client's clocks, or an origin past its state. */
const gap: Generator = (context) => {
  const { random, doc } = context
  const place = textPlace(doc, random) ?? somePlace(context)
  const known = knownClients(doc)
  const [client, state] =
    known.length > 0 && random.chance(0.5) ? random.pick(known) : [random.clientId(), 0]
  const struct: StructSpec = random.chance(0.5)
    ? { ...place, content: { kind: 'string', text: 'gap' } }
    : { origin: [client, state + random.int(0, 1000)], content: { kind: 'string', text: 'no' } }
  const at = random.chance(0.5) ? state + random.int(1, 5) : 0
  return fromSpec('gap', single(random.chance(0.5) ? client : random.clientId(), at, struct))
}

/** Text or non-XML types straight in the rich-text root or between blocks. */
const misplaced: Generator = (context) => {
  const { random, doc } = context
  const place: Place = random.chance(0.5)
    ? childPlace(doc, random)
    : { parent: { root: 'default' } }
  const content = random.pick<StructContent>([
    { kind: 'string', text: random.word() },
    { kind: 'type', typeRef: TypeRef.xmlText },
    { kind: 'type', typeRef: TypeRef.map },
    { kind: 'type', typeRef: TypeRef.array },
    { kind: 'any', values: [random.word()] },
  ])
  return fromSpec(`misplaced.${content.kind}`, single(random.clientId(), 0, { ...place, content }))
}

/** Struct counts that disagree with the structs, and a client with two sections. */
const counts: Generator = (context) => {
  const { random } = context
  const section = new SectionBuilder(random.clientId(), 0)
  section.add({ ...somePlace(context), content: { kind: 'string', text: 'once' } })
  const first = { ...section.section(), count: section.structs.length + random.int(-1, 3) }
  const twice = {
    client: section.client,
    clock: 0,
    structs: [{ parent: { root: 'default' }, content: { kind: 'string', text: 'twice' } }],
  } satisfies UpdateSpec['sections'][number]
  return fromSpec('counts', { sections: random.chance(0.5) ? [first] : [section.section(), twice] })
}

/** A valid insertion of text (or of a paragraph where there is no text) under a fresh client ID. */
const validText: Generator = (context) => {
  const { random, doc } = context
  const place = textPlace(doc, random)
  if (place) {
    const struct: StructSpec = { ...place, content: { kind: 'string', text: random.word() } }
    return fromSpec('valid.text', single(random.clientId(), 0, struct))
  }
  const section = new SectionBuilder(random.clientId(), 0)
  element(section, somePlace(context), 'paragraph', [], random.word())
  return fromSpec('valid.paragraph', { sections: [section.section()] })
}

/**
 * A struct that starts at the author's own last clock (which the document has) and runs one clock
 * past it, declaring an origin somewhere else: Yjs skips the known part and puts the rest after the
 * known item, so in every copy that decodes it again it lands in that item's parent (and key, a map
 * entry such as an annotation's `resolved`), not in the parent the update names.
 */
export const overlapUpdate: Generator = (context) => {
  const { random, doc } = context
  const client = doc.clientID
  const state = Y.getState(doc.store, client)
  if (state === 0) return validText(context)
  const place = textPlace(doc, random) ?? somePlace(context)
  const content: StructContent = random.chance(0.5)
    ? {
        kind: 'any',
        values: ['known', random.pick<unknown>(['shared', 'x', 0, null, random.word()])],
      }
    : { kind: 'string', text: `k${random.word()}` }
  return fromSpec(`overlap.${content.kind}`, single(client, state - 1, { ...place, content }))
}

const GENERATORS: ReadonlyArray<readonly [number, Generator]> = [
  [2, overlapUpdate],
  [2, manyItems],
  [3, unknownNode],
  [3, attributes],
  [3, marks],
  [3, wrongRoot],
  [3, deep],
  [2, longDeleteSet],
  [3, (context) => fromSpec('foreignClient', foreignClient(context))],
  [3, (context) => fromSpec('extreme', extremeFields(context))],
  [2, contentKind],
  [2, gap],
  [2, misplaced],
  [2, counts],
  [3, validText],
]

/** One hostile (or now and then valid) update for the attacker's document. */
export function hostileUpdate(context: HostileContext): Hostile {
  return context.random.weighted(GENERATORS)(context)
}

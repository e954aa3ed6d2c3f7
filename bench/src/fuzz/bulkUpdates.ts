/**
 * Large hand-written updates, the ones that cost the server the most to read and apply: trees of
 * shared types thousands of levels deep, delete sets of up to MAX_UPDATE_DELETE_RANGES ranges, and
 * updates of many structs (characters one struct each) or of one very long string.
 */
import type { DocumentKind } from '@onetext/shared/documentNames'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import { MAX_UPDATE_DELETE_RANGES } from '@onetext/shared/limits'
import type * as Y from 'yjs'
import { knownClients, listPlace, mapPlace, type Place, textPlace } from './positions'
import type { FuzzRandom } from './random'
import { RawEncoder } from './rawEncoder'
import {
  SectionBuilder,
  type StructContent,
  type StructSpec,
  TypeRef,
  type UpdateSpec,
  writeUpdate,
} from './updateWriter'

/** What a hostile update is built from. */
export interface HostileContext {
  random: FuzzRandom
  /** The attacker's copy of the document. */
  doc: Y.Doc
  kind: DocumentKind
  /** Client IDs other users have written under (the honest clients'). */
  victims: readonly number[]
}

/** A generated update and what it tries. */
export interface Hostile {
  label: string
  update: Uint8Array
}

function bulk(label: string, update: UpdateSpec): Hostile {
  return { label, update: writeUpdate(update) }
}

/** A place for new content: in the rich text when the kind has one, else under a map key. */
export function somePlace(context: HostileContext): Place {
  const { random, doc, kind } = context
  if (DOCUMENT_ROOTS[kind].get('default') === 'xml') return listPlace(doc, random)
  const maps = [...DOCUMENT_ROOTS[kind].keys()]
  return mapPlace(doc, random, maps.length > 0 ? maps : ['annotations'])
}

/** A tree `depth` levels deep: nested blockquotes around a paragraph, or nested maps. */
export function deepTree(context: HostileContext, depth: number): UpdateSpec {
  const { random, kind } = context
  const section = new SectionBuilder(random.clientId(), 0)
  const place = somePlace(context)
  if (DOCUMENT_ROOTS[kind].get('default') === 'xml') {
    // blockquote^(depth-2) > paragraph > text: `depth` levels of shared types below the root.
    const quote: StructContent = { kind: 'type', typeRef: TypeRef.xmlElement, name: 'blockquote' }
    const top = section.add({ ...place, content: quote })
    const bottom = section.chain(depth - 3, top, (id) => ({ parent: { id }, content: quote }))
    const paragraph: StructSpec = {
      parent: { id: bottom },
      content: { kind: 'type', typeRef: TypeRef.xmlElement, name: 'paragraph' },
    }
    const paragraphId = section.chain(1, bottom, () => paragraph)
    const text = section.chain(1, paragraphId, (id) => ({
      parent: { id },
      content: { kind: 'type', typeRef: TypeRef.xmlText },
    }))
    section.chain(1, text, (id) => ({ parent: { id }, content: { kind: 'string', text: 'deep' } }))
  } else {
    const map: StructContent = { kind: 'type', typeRef: TypeRef.map }
    const top = section.add({ ...place, content: map })
    section.chain(depth - 1, top, (id) => ({ parent: { id }, parentSub: 'child', content: map }))
  }
  return { sections: [section.section()] }
}

/** A delete set of many ranges: over real content, over nothing, past the limits, or unsorted. */
export function longDeleteSet(context: HostileContext): Hostile {
  const { random, doc } = context
  const clients = knownClients(doc).filter(([, state]) => state > 1)
  const count = random.weighted<number>([
    [48, random.int(1, 2_000)],
    [12, random.int(2_000, 50_000)],
    [1, random.pick([MAX_UPDATE_DELETE_RANGES, MAX_UPDATE_DELETE_RANGES + 1])],
  ])
  const mode = clients.length > 0 ? random.int(0, 4) : random.int(1, 4)
  const [client, state] = mode === 0 ? random.pick(clients) : [random.clientId(), 0]
  // Written straight into the encoder: no structs, then one (or, twice, the same) deleting client.
  const encoder = new RawEncoder().varUint(0)
  const twice = mode === 4 && random.chance(0.5)
  encoder.varUint(twice ? 2 : 1).varUint(client)
  if (mode === 0) {
    // Every other clock of a client the document has: each range splits an item.
    const step = Math.max(2, Math.floor(state / count))
    const start = random.int(0, 1)
    const ranges = Math.min(count, Math.ceil((state - start) / step))
    encoder.varUint(ranges)
    for (let i = 0; i < ranges; i++) encoder.varUint(start + i * step).varUint(1)
  } else {
    encoder.varUint(count)
    for (let i = 0; i < count; i++) {
      if (mode === 1 || mode === 4) encoder.varUint(i * 2).varUint(1)
      else if (mode === 2) encoder.varUint(random.int(0, 2 ** 31)).varUint(random.int(0, 2 ** 31))
      else encoder.varUint(count - i).varUint(random.int(1, 3))
    }
  }
  if (twice) encoder.varUint(client).varUint(1).varUint(0).varUint(1)
  return {
    label: `deleteSet.${['real', 'nothing', 'random', 'unsorted', 'twice'][mode]}.${count}`,
    update: encoder.bytes(),
  }
}

/** `count` paragraphs of a few words one after the other from `place` (three structs each). */
function manyParagraphs(section: SectionBuilder, place: Place, count: number): void {
  const paragraph: StructContent = { kind: 'type', typeRef: TypeRef.xmlElement, name: 'paragraph' }
  let previous = section.add({ ...place, content: paragraph })
  for (let i = 0; i < count; i++) {
    if (i > 0) previous = section.chain(1, previous, (origin) => ({ origin, content: paragraph }))
    const block = previous
    const text = section.chain(1, block, (id) => ({
      parent: { id },
      content: { kind: 'type', typeRef: TypeRef.xmlText },
    }))
    section.chain(1, text, (id) => ({
      parent: { id },
      content: { kind: 'string', text: `clause ${i}` },
    }))
  }
}

/**
 * Many structs in one update: characters typed one struct each (as no editor sends them, but within
 * MAX_UPDATE_STRUCTS), or one very long string; valid where the attacker may write.
 */
export function manyItems(context: HostileContext): Hostile {
  const { random, doc } = context
  const section = new SectionBuilder(random.clientId(), 0)
  if (DOCUMENT_ROOTS[context.kind].get('default') === 'xml' && random.chance(0.25)) {
    const count = random.weighted<number>([
      [8, random.int(1, 50)],
      [3, random.int(50, 500)],
      [1, random.int(500, 3_000)],
    ])
    manyParagraphs(section, listPlace(doc, random), count)
    return bulk(`manyBlocks.${count}`, { sections: [section.section()] })
  }
  let place = textPlace(doc, random)
  if (!place) {
    const paragraph = section.add({
      ...somePlace(context),
      content: { kind: 'type', typeRef: TypeRef.xmlElement, name: 'paragraph' },
    })
    place = {
      parent: {
        id: section.add({
          parent: { id: paragraph },
          content: { kind: 'type', typeRef: TypeRef.xmlText },
        }),
      },
    }
  }
  if (random.chance(0.2)) {
    const length = random.weighted<number>([
      [4, random.int(1_000, 100_000)],
      [1, random.int(100_000, 2_000_000)],
    ])
    section.add({ ...place, content: { kind: 'string', text: 'y'.repeat(length) } })
    return bulk(`bigString.${length}`, { sections: [section.section()] })
  }
  const count = random.weighted<number>([
    [8, random.int(2, 500)],
    [3, random.int(500, 10_000)],
    [1, random.int(10_000, 100_000)],
  ])
  const first = section.add({ ...place, content: { kind: 'string', text: 'z' } })
  section.chain(count - 1, first, (origin) => ({ origin, content: { kind: 'string', text: 'z' } }))
  return bulk(`manyItems.${count}`, { sections: [section.section()] })
}

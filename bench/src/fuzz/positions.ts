/**
 * Places in a real document where a hand-written struct can go: between two children of the rich
 * text or of an element, between two characters of a text, under a key of a map. Each is given as
 * the origins (or parent and key) a struct names, from the attacker's copy of the document, so that
 * hostile content lands exactly where an honest edit would.
 */
import * as Y from 'yjs'
import type { FuzzRandom } from './random'
import type { ItemId, StructSpec } from './updateWriter'

/** Where a struct goes: the fields of a {@link StructSpec} other than its content. */
export type Place = Omit<StructSpec, 'content'>

function idOf(item: Y.Item | null | undefined): ItemId | undefined {
  return item ? [item.id.client, item.id.clock] : undefined
}

/** The last clock unit's ID of `item`. */
function lastIdOf(item: Y.Item): ItemId {
  return [item.id.client, item.id.clock + item.length - 1]
}

/** Elements of the rich text, breadth first (at most `max`): candidates for a container. */
export function elements(doc: Y.Doc, max = 200): Y.XmlElement[] {
  const found: Y.XmlElement[] = []
  const queue: Array<Y.XmlFragment | Y.XmlElement> = [doc.getXmlFragment('default')]
  while (queue.length > 0 && found.length < max) {
    const node = queue.shift() as Y.XmlFragment | Y.XmlElement
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      found.push(child)
      queue.push(child)
    }
  }
  return found
}

/** The place between two children of `container` (the rich-text root when null). */
export function childPlace(
  doc: Y.Doc,
  random: FuzzRandom,
  container: Y.XmlElement | null = null,
): Place {
  const parent = container ?? doc.getXmlFragment('default')
  const children = parent.toArray() as Array<Y.XmlElement | Y.XmlText>
  const index = random.int(0, children.length)
  const left = children[index - 1]?._item
  const right = children[index]?._item
  if (!left && !right) {
    const item = parent._item
    return { parent: item ? { id: [item.id.client, item.id.clock] } : { root: 'default' } }
  }
  return {
    ...(left ? { origin: lastIdOf(left) } : {}),
    ...(right ? { rightOrigin: idOf(right) } : {}),
  }
}

/** A place among the children of the root or of a random element. */
export function listPlace(doc: Y.Doc, random: FuzzRandom): Place {
  if (random.chance(0.5)) return childPlace(doc, random)
  const candidates = elements(doc)
  return childPlace(doc, random, candidates.length > 0 ? random.pick(candidates) : null)
}

/** The text types of the document: rich-text nodes, annotations' texts and rationales. */
function texts(doc: Y.Doc): Array<Y.XmlText | Y.Text> {
  const found: Array<Y.XmlText | Y.Text> = []
  for (const element of [doc.getXmlFragment('default'), ...elements(doc, 100)]) {
    for (const child of element.toArray()) if (child instanceof Y.XmlText) found.push(child)
  }
  for (const entry of doc.getMap<unknown>('annotations').values()) {
    if (!(entry instanceof Y.Map)) continue
    for (const value of entry.values()) if (value instanceof Y.Text) found.push(value)
  }
  for (const value of doc.getMap<unknown>('rationales').values())
    if (value instanceof Y.Text) found.push(value)
  return found
}

/**
 * A place between two characters of a random text (or at the start of an empty one); null when the
 * document has no text type.
 */
export function textPlace(doc: Y.Doc, random: FuzzRandom): Place | null {
  const candidates = texts(doc)
  if (candidates.length === 0) return null
  const text = random.pick(candidates)
  const items: Y.Item[] = []
  for (let item = text._start; item !== null && items.length < 500; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentString) items.push(item)
  }
  if (items.length === 0) {
    const item = text._item
    return item ? { parent: { id: [item.id.client, item.id.clock] } } : null
  }
  const item = random.pick(items)
  const offset = random.int(0, item.length - 1)
  const origin: ItemId = [item.id.client, item.id.clock + offset]
  const rightOrigin: ItemId | undefined =
    offset + 1 < item.length ? [item.id.client, item.id.clock + offset + 1] : idOf(item.right)
  return { origin, ...(rightOrigin ? { rightOrigin } : {}) }
}

/** A place under a key of a root map or of a map in it (an annotation, a rationale). */
export function mapPlace(doc: Y.Doc, random: FuzzRandom, roots: readonly string[]): Place {
  const root = random.pick(roots)
  const entries = [...doc.getMap<unknown>(root).values()].filter(
    (value): value is Y.Map<unknown> => value instanceof Y.Map,
  )
  const entry = entries.length > 0 && random.chance(0.5) ? random.pick(entries) : null
  const keys = ['id', 'authorId', 'authorName', 'status', 'sharedAt', 'text', 'resolved', 'replies']
  const key = random.chance(0.7) ? random.pick(keys) : `k-${random.word()}`
  const item = entry?._item
  return {
    parent: item ? { id: [item.id.client, item.id.clock] } : { root },
    parentSub: item ? key : `e-${random.int(0, 2 ** 31)}`,
  }
}

/** Client IDs the document holds structs of, with their next clock. */
export function knownClients(doc: Y.Doc): Array<[client: number, state: number]> {
  return [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()]
}

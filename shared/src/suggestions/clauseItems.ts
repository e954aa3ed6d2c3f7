/**
 * Which Yjs item holds each ProseMirror position of a clause of a rich text (y-tiptap's tree): the
 * items of an element by position, relative to the clause's content, as runs (a run of one item's
 * characters, or one element's item). Attribution (attribution.ts) reads them in a copy, and in
 * its seed (seedClauses.ts). No Node imports: the browser reads them too.
 */
import * as Y from 'yjs'
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '../clauses'
import { getDocumentSchema } from '../schema'

/** One Yjs item (or one character of one) at a ProseMirror position. */
export interface ItemAt {
  client: number
  clock: number
  /** For a character: the last formatting item of each key before it (none: an empty array). */
  formats: readonly Y.Item[]
}

/**
 * Positions `from` to `from + length - 1` held by one item: position `from + i` is its character
 * `clock + i` (an element's item or an embed holds one position).
 */
export interface ItemRun extends ItemAt {
  from: number
  length: number
}

/** A clause's items by position: runs in order of position, none overlapping. */
export type ClauseItems = readonly ItemRun[]

const NO_FORMATS: readonly Y.Item[] = []

/**
 * Every clause element under `parent` by clause id, depth first (of two with one id, the first
 * found), into `out`.
 */
export function indexClauses(
  parent: Y.XmlFragment | Y.XmlElement,
  out: Map<string, Y.XmlElement>,
): void {
  for (const child of parent.toArray()) {
    if (!(child instanceof Y.XmlElement) || child.nodeName !== CLAUSE_NODE) continue
    const id = child.getAttribute(CLAUSE_ID_ATTRIBUTE)
    if (typeof id === 'string' && !out.has(id)) out.set(id, child)
    indexClauses(child, out)
  }
}

/** Records the characters of `text` from position `start`; returns the position after them. */
function walkText(text: Y.XmlText, start: number, out: ItemRun[]): number {
  let position = start
  const inEffect = new Map<string, Y.Item>()
  let formats = NO_FORMATS
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted) continue
    const content = item.content
    if (content instanceof Y.ContentFormat) {
      // A null value ends a mark: its item is the remover's when a mark was taken off.
      inEffect.set(content.key, item)
      formats = [...inEffect.values()]
      continue
    }
    if (!item.countable) continue
    out.push({
      from: position,
      length: content instanceof Y.ContentString ? item.length : 1,
      client: item.id.client,
      clock: item.id.clock,
      formats,
    })
    position += item.length
  }
  return position
}

/**
 * Records the items of `parent`'s children, its content starting at `start` (ProseMirror positions
 * as y-tiptap reads the tree); returns the position after the content.
 */
function walkChildren(parent: Y.XmlElement | Y.XmlFragment, start: number, out: ItemRun[]): number {
  const schema = getDocumentSchema()
  let position = start
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) {
      position = walkText(child, position, out)
    } else if (child instanceof Y.XmlElement) {
      const item = child._item
      if (item)
        out.push({
          from: position,
          length: 1,
          client: item.id.client,
          clock: item.id.clock,
          formats: NO_FORMATS,
        })
      if (schema.nodes[child.nodeName]?.isLeaf) position += 1
      // A child clause is one token of its parent: only its element's item is read.
      else if (child.nodeName === CLAUSE_NODE) position += nodeSize(child)
      else position = walkChildren(child, position + 1, out) + 1
    }
  }
  return position
}

/** The ProseMirror size of the node `element` stands for (its text is not read, only counted). */
function nodeSize(element: Y.XmlElement): number {
  if (getDocumentSchema().nodes[element.nodeName]?.isLeaf) return 1
  let size = 2
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) size += child.length
    else if (child instanceof Y.XmlElement) size += nodeSize(child)
  }
  return size
}

/** The items of clause element `clause` by position relative to its content (none: no clause). */
export function clauseItems(clause: Y.XmlElement | undefined): ClauseItems {
  const out: ItemRun[] = []
  if (clause) walkChildren(clause, 0, out)
  return out
}

/** The items at positions `[from, to)` of `items` (one per position held), in order. */
export function itemsBetween(items: ClauseItems, from: number, to: number): ItemAt[] {
  // The first run that ends after `from`.
  let low = 0
  let high = items.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const run = items[middle] as ItemRun
    if (run.from + run.length <= from) low = middle + 1
    else high = middle
  }
  const found: ItemAt[] = []
  for (let index = low; index < items.length; index++) {
    const run = items[index] as ItemRun
    if (run.from >= to) break
    const end = Math.min(to, run.from + run.length)
    for (let position = Math.max(from, run.from); position < end; position++)
      found.push({
        client: run.client,
        clock: run.clock + position - run.from,
        formats: run.formats,
      })
  }
  return found
}

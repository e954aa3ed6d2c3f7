/**
 * Who made each change of a suggestion copy (docs/PROTOCOL.md "Suggestion copies"). Content decides
 * what changed (diff.ts); Yjs and the server's records decide who:
 *
 * - an insert or a format change is its Yjs items' doing: the inserted characters and elements, or
 *   the formatting items in effect on the reformatted characters. Their client ID's owner is read
 *   from the copy's `attribution` root (written by the server for the client IDs it accepted from
 *   each user); the server's own clients (the seed, its journal) have none, and give null;
 * - a deletion leaves no item of its author: the base words are mapped to the items that held them
 *   in the copy's seed, rebuilt from iteration N's JSON under the recorded seed client (copySeed.ts,
 *   deterministic), and the server's `journal` names who deleted those items.
 *
 * The time of an insert is that of the author's last insertion checkpoint at or before the item;
 * that of a deletion, the journal record's. No Node imports: the browser attributes changes too.
 */
import type { JSONContent } from '@tiptap/core'
import * as Y from 'yjs'
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '../clauses'
import { getDocumentSchema, RICH_TEXT_FIELD } from '../schema'
import { ATTRIBUTION_ROOT, type JournalEntry, readJournal, readSeed } from './copyDoc'
import { buildSeedDoc } from './copySeed'
import type { ClauseChange, ClauseDiff } from './diff'

/** Who made a change, as the server recorded it, and when (ms). */
export interface ChangeAuthor {
  userId: string
  name: string
  at: number
}

/** One Yjs item (or one character of one) at a ProseMirror position. */
interface ItemAt {
  client: number
  clock: number
  /** For a character: the last formatting item of each key before it (none: an empty array). */
  formats: readonly Y.Item[]
}

/**
 * Positions `from` to `from + length - 1` held by one item: position `from + i` is its character
 * `clock + i` (an element's item or an embed holds one position).
 */
interface ItemRun extends ItemAt {
  from: number
  length: number
}

/** A clause's items by position: runs in order of position, none overlapping. */
type ClauseItems = readonly ItemRun[]

const NO_FORMATS: readonly Y.Item[] = []

/**
 * Every clause element under `parent` by clause id, depth first (of two with one id, the first
 * found), into `out`.
 */
function indexClauses(parent: Y.XmlFragment | Y.XmlElement, out: Map<string, Y.XmlElement>): void {
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
function clauseItems(clause: Y.XmlElement | undefined): ClauseItems {
  const out: ItemRun[] = []
  if (clause) walkChildren(clause, 0, out)
  return out
}

/** A seed's clause elements and the items of each clause read so far (a seed never changes). */
const seedClauses = new WeakMap<
  Y.Doc,
  { elements: Map<string, Y.XmlElement>; items: Map<string, ClauseItems> }
>()

function seedClause(seedDoc: Y.Doc, clauseId: string): ClauseItems {
  let seed = seedClauses.get(seedDoc)
  if (!seed) {
    const elements = new Map<string, Y.XmlElement>()
    indexClauses(seedDoc.getXmlFragment(RICH_TEXT_FIELD), elements)
    seed = { elements, items: new Map() }
    seedClauses.set(seedDoc, seed)
  }
  let items = seed.items.get(clauseId)
  if (!items) {
    items = clauseItems(seed.elements.get(clauseId))
    seed.items.set(clauseId, items)
  }
  return items
}

/** Seeds rebuilt per iteration JSON and seed client (building one costs as much as the text). */
const seeds = new WeakMap<JSONContent, Map<number, Y.Doc>>()

function seedOf(iteration: JSONContent, client: number): Y.Doc | null {
  let byClient = seeds.get(iteration)
  if (!byClient) {
    byClient = new Map()
    seeds.set(iteration, byClient)
  }
  let doc = byClient.get(client)
  if (!doc) {
    try {
      doc = buildSeedDoc(iteration, client)
    } catch {
      return null
    }
    byClient.set(client, doc)
  }
  return doc
}

/** The items at positions `[from, to)` of `items` (one per position held), in order. */
function itemsBetween(items: ClauseItems, from: number, to: number): ItemAt[] {
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

/** The mark names of a format change (`{"type":"bold"}` → `bold`). */
function markNames(change: ClauseChange): Set<string> {
  const names = new Set<string>()
  for (const key of [...(change.marks?.add ?? []), ...(change.marks?.remove ?? [])]) {
    try {
      const type = (JSON.parse(key) as { type?: unknown }).type
      if (typeof type === 'string') names.add(type)
    } catch {
      // A key that does not read names no mark.
    }
  }
  return names
}

/** What one call reads of the copy once: owners, names, checkpoints and deletion records. */
class CopyRecords {
  private readonly owners = new Map<string, { userId: string; name: string }>()
  private readonly names = new Map<string, string>()
  private readonly checkpoints = new Map<number, JournalEntry[]>()
  private readonly deletions: Extract<JournalEntry, { k: 'd' }>[] = []

  constructor(copy: Y.Doc, seedClient: number | null) {
    for (const [client, value] of copy.getMap<unknown>(ATTRIBUTION_ROOT).entries()) {
      if (typeof value !== 'object' || value === null) continue
      const { userId, name } = value as Record<string, unknown>
      if (typeof userId !== 'string' || typeof name !== 'string') continue
      this.owners.set(client, { userId, name })
      if (!this.names.has(userId)) this.names.set(userId, name)
    }
    for (const entry of readJournal(copy)) {
      if (entry.k === 'd') {
        if (entry.c === seedClient) this.deletions.push(entry)
        continue
      }
      const list = this.checkpoints.get(entry.c) ?? []
      list.push(entry)
      this.checkpoints.set(entry.c, list)
    }
  }

  /** The author of the item `client`/`clock` wrote, or null for the server's own and unknown. */
  writer(client: number, clock: number): ChangeAuthor | null {
    const owner = this.owners.get(String(client))
    if (!owner) return null
    let at = 0
    for (const checkpoint of this.checkpoints.get(client) ?? []) {
      if (checkpoint.s <= clock && checkpoint.t >= at) at = checkpoint.t
    }
    return { userId: owner.userId, name: owner.name, at }
  }

  /** Who deleted the seed item at `clock`, or null when the journal does not say. */
  deleter(clock: number): ChangeAuthor | null {
    for (const entry of this.deletions) {
      if (clock >= entry.s && clock < entry.s + entry.l)
        return { userId: entry.u, name: entry.n ?? this.names.get(entry.u) ?? '', at: entry.t }
    }
    return null
  }
}

/**
 * The author of each change of a clause diff of a `suggest` copy: inserts and formats from the
 * owner of their Yjs items' client (the copy's server-only `attribution` root), deletes from the
 * server-written `journal` root. Returns one entry per change (null when unknown). `diff` is of
 * the clause in `iterationDoc` (Single Text N's JSON, the one the copy was seeded from) against the
 * same clause as `copyDoc` holds it now.
 */
export function attributeChanges(
  copyDoc: Y.Doc,
  diff: ClauseDiff,
  iterationDoc: JSONContent,
): Array<ChangeAuthor | null> {
  return copyAttributor(copyDoc, iterationDoc)(diff)
}

/**
 * {@link attributeChanges} for many clause diffs of one copy: answers a function that attributes
 * one clause diff's changes exactly as `attributeChanges` does, reading the copy's records, its
 * clause elements and (for deletions) the seed once, on first need, however many clauses it is
 * then given. The copy must not change while it is in use.
 */
export function copyAttributor(
  copyDoc: Y.Doc,
  iterationDoc: JSONContent,
): (diff: ClauseDiff) => Array<ChangeAuthor | null> {
  const seed = readSeed(copyDoc)
  let records: CopyRecords | null = null
  let clauses: Map<string, Y.XmlElement> | null = null
  let seedDoc: { doc: Y.Doc | null } | null = null
  return (diff) => {
    records ??= new CopyRecords(copyDoc, seed?.client ?? null)
    return attributeClause(diff, records, seed, {
      copy: () => {
        if (!clauses) {
          clauses = new Map()
          indexClauses(copyDoc.getXmlFragment(RICH_TEXT_FIELD), clauses)
        }
        return clauseItems(clauses.get(diff.clauseId))
      },
      seed: () => {
        seedDoc ??= { doc: seed ? seedOf(iterationDoc, seed.client) : null }
        return seedDoc.doc ? seedClause(seedDoc.doc, diff.clauseId) : []
      },
    })
  }
}

/** The author of each change of `diff`, the clause's items read (once each) when first needed. */
function attributeClause(
  diff: ClauseDiff,
  records: CopyRecords,
  seed: ReturnType<typeof readSeed>,
  read: { copy: () => ClauseItems; seed: () => ClauseItems },
): Array<ChangeAuthor | null> {
  let copyRead: ClauseItems | null = null
  const copyItems = (): ClauseItems => {
    copyRead ??= read.copy()
    return copyRead
  }
  let baseItems: ClauseItems | null = null
  const seedItems = (): ClauseItems => {
    baseItems ??= read.seed()
    return baseItems
  }
  const span = (tokens: ClauseDiff['baseTokens'], range: { from: number; to: number }) => {
    const first = tokens[range.from]
    const last = tokens[range.to - 1]
    return first && last ? { from: first.from, to: last.to } : null
  }
  return diff.changes.map((change) => {
    if (change.kind === 'delete') {
      const positions = span(diff.baseTokens, change.base)
      if (!positions || !seed) return null
      for (const item of itemsBetween(seedItems(), positions.from, positions.to)) {
        const author = records.deleter(item.clock)
        if (author) return author
      }
      return null
    }
    const positions = span(diff.copyTokens, change.copy)
    if (!positions) return null
    const items = itemsBetween(copyItems(), positions.from, positions.to)
    if (change.kind === 'insert') {
      for (const item of items) {
        const author = records.writer(item.client, item.clock)
        if (author) return author
      }
      return null
    }
    const names = markNames(change)
    let fallback: ChangeAuthor | null = null
    for (const item of items) {
      for (const format of item.formats) {
        const author = records.writer(format.id.client, format.id.clock)
        if (!author) continue
        const key = (format.content as Y.ContentFormat).key
        if (names.has(key) || names.has(key.replace(/--.*$/, ''))) return author
        fallback ??= author
      }
    }
    return fallback
  })
}

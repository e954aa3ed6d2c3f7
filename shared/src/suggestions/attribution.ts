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

const NO_FORMATS: readonly Y.Item[] = []

/** The clause element with `clauseId` under `parent`, depth first, or null. */
function findClause(parent: Y.XmlFragment | Y.XmlElement, clauseId: string): Y.XmlElement | null {
  for (const child of parent.toArray()) {
    if (!(child instanceof Y.XmlElement) || child.nodeName !== CLAUSE_NODE) continue
    if (child.getAttribute(CLAUSE_ID_ATTRIBUTE) === clauseId) return child
    const found = findClause(child, clauseId)
    if (found) return found
  }
  return null
}

/**
 * The stretches `[from, to)` of a clause's content whose items are read (null: all of it). A
 * change's authors need the items of its own words only, not those of the whole clause.
 */
type Wanted = ReadonlyArray<readonly [number, number]> | null

function wants(wanted: Wanted, from: number, to: number): boolean {
  if (wanted === null) return true
  for (const [start, end] of wanted) if (start < to && end > from) return true
  return false
}

/** Records the characters of `text` from position `start`; returns the position after them. */
function walkText(
  text: Y.XmlText,
  start: number,
  out: Map<number, ItemAt>,
  wanted: Wanted,
): number {
  if (!wants(wanted, start, start + text.length)) return start + text.length
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
    const end = position + item.length
    if (!wants(wanted, position, end)) {
      position = end
      continue
    }
    if (content instanceof Y.ContentString) {
      for (const [from, to] of wanted ?? [[position, end] as const]) {
        for (let at = Math.max(from, position); at < Math.min(to, end); at++)
          out.set(at, { client: item.id.client, clock: item.id.clock + at - position, formats })
      }
    } else out.set(position, { client: item.id.client, clock: item.id.clock, formats })
    position = end
  }
  return position
}

/**
 * Records the items of `parent`'s children (those in `wanted`), its content starting at `start`
 * (ProseMirror positions as y-tiptap reads the tree); returns the position after the content.
 */
function walkChildren(
  parent: Y.XmlElement | Y.XmlFragment,
  start: number,
  out: Map<number, ItemAt>,
  wanted: Wanted = null,
): number {
  const schema = getDocumentSchema()
  let position = start
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) {
      position = walkText(child, position, out, wanted)
    } else if (child instanceof Y.XmlElement) {
      const item = child._item
      if (item && wants(wanted, position, position + 1))
        out.set(position, { client: item.id.client, clock: item.id.clock, formats: NO_FORMATS })
      if (schema.nodes[child.nodeName]?.isLeaf) position += 1
      // A child clause is one token of its parent: only its element's item is read.
      else if (child.nodeName === CLAUSE_NODE) position += nodeSize(child)
      else {
        const size = wanted === null ? 0 : nodeSize(child)
        if (wanted !== null && !wants(wanted, position, position + size)) position += size
        else position = walkChildren(child, position + 1, out, wanted) + 1
      }
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

/**
 * The items of the clause `clauseId` of `doc` by position relative to its content (empty if none),
 * of the positions in `wanted` (default all).
 */
function clauseItems(doc: Y.Doc, clauseId: string, wanted: Wanted = null): Map<number, ItemAt> {
  const out = new Map<number, ItemAt>()
  const clause = findClause(doc.getXmlFragment(RICH_TEXT_FIELD), clauseId)
  if (clause) walkChildren(clause, 0, out, wanted)
  return out
}

/** The items of each clause of a seed, read once (a seed never changes). */
const seedClauseItems = new WeakMap<Y.Doc, Map<string, Map<number, ItemAt>>>()

function seedClause(seedDoc: Y.Doc, clauseId: string): Map<number, ItemAt> {
  let byClause = seedClauseItems.get(seedDoc)
  if (!byClause) {
    byClause = new Map()
    seedClauseItems.set(seedDoc, byClause)
  }
  let items = byClause.get(clauseId)
  if (!items) {
    items = clauseItems(seedDoc, clauseId)
    byClause.set(clauseId, items)
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

/** The items at positions `[from, to)` of `items`, in order. */
function itemsBetween(items: Map<number, ItemAt>, from: number, to: number): ItemAt[] {
  const found: ItemAt[] = []
  for (let position = from; position < to; position++) {
    const item = items.get(position)
    if (item) found.push(item)
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
  const seed = readSeed(copyDoc)
  const records = new CopyRecords(copyDoc, seed?.client ?? null)
  let baseItems: Map<number, ItemAt> | null = null
  const seedItems = (): Map<number, ItemAt> => {
    if (baseItems) return baseItems
    const seedDoc = seed ? seedOf(iterationDoc, seed.client) : null
    baseItems = seedDoc ? seedClause(seedDoc, diff.clauseId) : new Map()
    return baseItems
  }
  const span = (tokens: ClauseDiff['baseTokens'], range: { from: number; to: number }) => {
    const first = tokens[range.from]
    const last = tokens[range.to - 1]
    return first && last ? { from: first.from, to: last.to } : null
  }
  // Only the copy's items under its inserts and formats are read.
  const wanted: Array<[number, number]> = []
  for (const change of diff.changes) {
    const positions = change.kind === 'delete' ? null : span(diff.copyTokens, change.copy)
    if (positions) wanted.push([positions.from, positions.to])
  }
  const copyItems = wanted.length > 0 ? clauseItems(copyDoc, diff.clauseId, wanted) : new Map()
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
    const items = itemsBetween(copyItems, positions.from, positions.to)
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

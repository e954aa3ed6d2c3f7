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
 *   deterministic; read a step at a time, seedClauses.ts), and the server's `journal` names who
 *   deleted those items.
 *
 * The time of an insert is that of the author's last insertion checkpoint at or before the item;
 * that of a deletion, the journal record's. No Node imports: the browser attributes changes too.
 */
import type { JSONContent } from '@tiptap/core'
import type * as Y from 'yjs'
import { RICH_TEXT_FIELD } from '../schema'
import { type ClauseItems, clauseItems, indexClauses, itemsBetween } from './clauseItems'
import { ATTRIBUTION_ROOT, type JournalEntry, readJournal, readSeed } from './copyDoc'
import type { ClauseChange, ClauseDiff } from './diff'
import { seedClausesOf } from './seedClauses'

/** Who made a change, as the server recorded it, and when (ms). */
export interface ChangeAuthor {
  userId: string
  name: string
  at: number
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
      seed: () =>
        (seed ? seedClausesOf(iterationDoc, seed.client)?.clause(diff.clauseId) : null) ?? [],
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

/**
 * What a refused change touched, at the level a rebuild carries edits over (contentTransfer.ts): the
 * top-level blocks of rich-text roots and the top-level entries of keyed roots. The rebuild keeps
 * the server's version of these: anything this copy wrote there after the refused change builds on
 * it and the server would refuse it for the same reason (a locked clause, an entry that is not the
 * user's), so carrying it over would only be refused again.
 */
import * as Y from 'yjs'

// biome-ignore lint/suspicious/noExplicitAny: Yjs types shared types' values as any
type AnyType = Y.AbstractType<any>

/** The top-level parts of a document that a change touched. */
export interface RefusedScope {
  /** Top-level blocks (children of a root Y.XmlFragment). */
  readonly blocks: ReadonlySet<AnyType>
  /** Keys of top-level entries, by the name of their root Y.Map. */
  readonly entries: ReadonlyMap<string, ReadonlySet<string>>
}

/** A scope that covers nothing. */
export const EMPTY_SCOPE: RefusedScope = { blocks: new Set(), entries: new Map() }

/** The name of root type `type` in `doc`, or null when it is not a root. */
function rootName(doc: Y.Doc, type: AnyType): string | null {
  for (const [name, root] of doc.share) if (root === type) return name
  return null
}

/** Adds the top-level part of `doc` that holds `item` (or is it) to `blocks` / `entries`. */
function addTopLevel(
  doc: Y.Doc,
  item: Y.Item,
  blocks: Set<AnyType>,
  entries: Map<string, Set<string>>,
): void {
  let child: Y.Item = item
  for (let depth = 0; depth < 10_000; depth++) {
    const parent = child.parent
    if (!(parent instanceof Y.AbstractType)) return
    const above = parent._item
    if (above === null) {
      const name = rootName(doc, parent)
      if (name === null) return
      if (parent instanceof Y.XmlFragment) {
        if (child.content instanceof Y.ContentType) blocks.add(child.content.type)
      } else if (child.parentSub !== null) {
        const keys = entries.get(name) ?? new Set<string>()
        keys.add(child.parentSub)
        entries.set(name, keys)
      }
      return
    }
    child = above
  }
}

/** The struct of `doc` that holds `client`:`clock`, or null. */
function itemAt(doc: Y.Doc, client: number, clock: number): Y.Item | null {
  const structs = doc.store.clients.get(client)
  const last = structs?.at(-1)
  if (!last || clock >= last.id.clock + last.length) return null
  const struct = Y.getItem(doc.store, Y.createID(client, clock))
  return struct instanceof Y.Item ? struct : null
}

/**
 * The top-level blocks and entries of `doc` that `update` (one of `doc`'s own changes, still in it)
 * inserted into or deleted from.
 */
export function refusedScope(doc: Y.Doc, update: Uint8Array): RefusedScope {
  const blocks = new Set<AnyType>()
  const entries = new Map<string, Set<string>>()
  const decoded = Y.decodeUpdate(update)
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
    const item = itemAt(doc, struct.id.client, struct.id.clock)
    if (item) addTopLevel(doc, item, blocks, entries)
  }
  for (const [client, ranges] of decoded.ds.clients) {
    for (const range of ranges) {
      let clock = range.clock
      while (clock < range.clock + range.len) {
        const item = itemAt(doc, client, clock)
        if (!item) break
        addTopLevel(doc, item, blocks, entries)
        clock = item.id.clock + item.length
      }
    }
  }
  return { blocks, entries }
}

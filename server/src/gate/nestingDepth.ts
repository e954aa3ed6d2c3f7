/**
 * No shared type deeper than {@link MAX_TREE_DEPTH} levels (a root is level 0, a type inserted into
 * it level 1). Yjs integrates, deletes and renders nested types recursively or in time that grows
 * with the depth: a tree 50,000 levels deep (about a megabyte of update) takes seconds to apply and
 * overflows the stack of whoever deletes it later. So the depth is decided before the update is
 * applied anywhere, from the update's structure and the document: each new type's parent is an item
 * of the update, an item of the document, or (when the item names only an origin) the parent of
 * that origin. Linear in the update's items, plus a walk of at most the limit up the document.
 */
import { MAX_TREE_DEPTH } from '@onetext/shared/limits'
import * as Y from 'yjs'
import type { SharedType } from './GateRule'
import { ParentBy, type UpdateStructure } from './updateStructure'

const UNKNOWN = -1
const VISITING = -2

/** Levels above `type` (0 for a root), counting at most `cap`. */
function typeLevel(type: SharedType, cap: number): number {
  let level = 0
  let current: SharedType = type
  while (current._item !== null && level < cap) {
    const parent = current._item.parent
    if (!(parent instanceof Y.AbstractType)) break
    current = parent
    level++
  }
  return level
}

/**
 * The level of the parent of an item that names `client`/`clock` (`by` says how) and that the
 * document has; null when the reference cannot be a parent (an ID naming an item that is not a type).
 */
function documentLevel(
  doc: Y.Doc,
  by: number,
  client: number,
  clock: number,
  cap: number,
): number | null {
  const struct = Y.getItem(doc.store, Y.createID(client, clock)) as Y.Item | Y.GC
  // A collected struct: Yjs collects whatever is placed under it, at no depth.
  if (!(struct instanceof Y.Item)) return 0
  if (by === ParentBy.id) {
    // A deleted element whose content was collected: Yjs collects what is placed in it, too.
    if (struct.deleted && struct.content instanceof Y.ContentDeleted) return 0
    if (!(struct.content instanceof Y.ContentType)) return null
    return typeLevel(struct.content.type, cap) + 1
  }
  return struct.parent instanceof Y.AbstractType ? typeLevel(struct.parent, cap) : 0
}

/** Index of the update's item holding `client`/`clock`, or -1. */
function finder(structure: UpdateStructure): (client: number, clock: number) => number {
  const { items } = structure
  const sections = new Map<number, [number, number]>()
  for (let i = 0; i < items.client.length; i++) {
    const client = items.client[i] as number
    const section = sections.get(client)
    if (section) section[1] = i
    else sections.set(client, [i, i])
  }
  return (client, clock) => {
    const section = sections.get(client)
    if (!section) return -1
    let [low, high] = section
    while (low <= high) {
      const middle = (low + high) >>> 1
      if (clock < (items.clock[middle] as number)) high = middle - 1
      else if (clock >= (items.end[middle] as number)) low = middle + 1
      else return middle
    }
    return -1
  }
}

/**
 * True when every shared type `structure` creates would sit at most `limit` levels deep in `doc`,
 * and every parent it names by ID is a type; false otherwise (also for a cycle of origins, which
 * Yjs could never apply). The update's references must already be known to exist.
 */
export function nestingWithinLimit(
  structure: UpdateStructure,
  doc: Y.Doc,
  limit = MAX_TREE_DEPTH,
): boolean {
  const { items } = structure
  const count = items.client.length
  if (!items.isType.includes(true)) return true
  const find = finder(structure)
  const parentLevel = new Int32Array(count).fill(UNKNOWN)
  const cap = limit + 1
  const stack: number[] = []
  for (let start = 0; start < count; start++) {
    if (!items.isType[start]) continue
    stack.push(start)
    while (stack.length > 0) {
      const i = stack[stack.length - 1] as number
      if ((parentLevel[i] as number) >= 0) {
        stack.pop()
        continue
      }
      const by = items.parentBy[i] as number
      if (by === ParentBy.root) {
        parentLevel[i] = 0
        stack.pop()
        continue
      }
      const client = items.refClient[i] as number
      const clock = items.refClock[i] as number
      const k = find(client, clock)
      if (k < 0) {
        const level = documentLevel(doc, by, client, clock, cap)
        if (level === null) return false
        parentLevel[i] = Math.min(level, cap)
        stack.pop()
        continue
      }
      if (by === ParentBy.id && !items.isType[k]) return false
      const known = parentLevel[k] as number
      if (known >= 0) {
        parentLevel[i] = Math.min(by === ParentBy.id ? known + 1 : known, cap)
        stack.pop()
        continue
      }
      if (known === VISITING) return false
      parentLevel[i] = VISITING
      stack.push(k)
    }
    if ((parentLevel[start] as number) + 1 > limit) return false
  }
  return true
}

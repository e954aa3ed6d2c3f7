/**
 * Checks on where an inserted item's neighbours lie. Yjs places an item between its origin (the
 * item it was typed after) and its right origin (the item that followed then), and it walks from
 * the first towards the second to settle concurrent insertions.
 *
 * Yjs's own editors write items whose right origin lies to the left of their origin: its
 * UndoManager redoing an item beside others it redid, and its rich text inserting beside
 * formatting, can take the left and right neighbours from different places. The author's editor
 * then places the item after its origin, walking past whatever follows, to the list's end if need
 * be; another peer does the same only as long as the two neighbours are not parts of one item it
 * holds: when they are (a run of the origin's client, typed at once, stored whole), Yjs cuts it at
 * the right origin and puts the item before the run's tail. A peer applying the update and one
 * loading the same document from disk then disagree for good. The gate takes such an item without
 * its right origin ({@link checkNeighbours}): on every peer and every reload it is then placed
 * after its origin, settled against concurrent insertions there as Yjs settles an item typed at
 * the end of a list, as its author's editor placed it.
 *
 * An item whose origin is not on its left, or whose right origin is in another list or of another
 * client than its origin and not on its right, has no place: Yjs does not write it, and the gate
 * refuses it.
 */
import { MAX_ORIGIN_WALK } from '@onetext/shared/limits'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { UpdateStructure } from './updateStructure'

/** True when `item` holds the ID (client, clock). */
function holds(item: Y.Item, client: number, clock: number): boolean {
  return item.id.client === client && clock >= item.id.clock && clock < item.id.clock + item.length
}

/** The item of `doc` that holds the ID (client, clock), or null (none, or garbage collected). */
function itemAt(doc: Y.Doc, client: number, clock: number): Y.Item | null {
  const structs = doc.store.clients.get(client)
  if (!structs || clock >= Y.getState(doc.store, client)) return null
  const struct = structs[Y.findIndexSS(structs, clock)]
  return struct instanceof Y.Item ? struct : null
}

/** What {@link checkNeighbours} found of an update's inserted items. */
export interface NeighbourCheck {
  /** Items whose right origin lies to the left of their origin: taken without it. */
  readonly reanchor: readonly Y.Item[]
  /** True when an item has its origin not on its left, or its right origin in another list. */
  readonly misplaced: boolean
}

/**
 * True when the right origin of `item` lies at or before its origin in one run of the origin's
 * client: from the item holding the right origin, stepping right over items of that client with
 * consecutive clocks, the origin is reached (spending `budget`). Yjs may have cut that run and put
 * the item inside it, so its other walks would be misled.
 */
function rightOriginInOwnRun(doc: Y.Doc, item: Y.Item, budget: { steps: number }): boolean {
  const { origin, rightOrigin } = item
  if (origin === null || rightOrigin === null) return false
  if (origin.client !== rightOrigin.client || rightOrigin.clock > origin.clock) return false
  let current = itemAt(doc, rightOrigin.client, rightOrigin.clock)
  while (current !== null && !holds(current, origin.client, origin.clock)) {
    if (--budget.steps <= 0) return false
    const next: Y.Item | null = current.right
    const consecutive =
      next !== null &&
      next.id.client === current.id.client &&
      next.id.clock === current.id.clock + current.length
    current = consecutive ? next : null
  }
  return current !== null
}

/**
 * Where the neighbours of each item of `inserted` (already integrated into `doc`) lie: its origin
 * must be on its left; a right origin not on its right, but in the same list and of the origin's
 * client, makes the item one to take without it. Every walk is bounded by `MAX_ORIGIN_WALK` steps over the whole update; an
 * update that needs more is misplaced.
 */
export function checkNeighbours(doc: Y.Doc, inserted: readonly Y.Item[]): NeighbourCheck {
  const budget = { steps: MAX_ORIGIN_WALK }
  const reanchor: Y.Item[] = []
  const misplaced = (): NeighbourCheck => ({ reanchor, misplaced: true })
  for (const item of inserted) {
    const { origin, rightOrigin } = item
    if (rightOriginInOwnRun(doc, item, budget)) {
      reanchor.push(item)
      continue
    }
    if (origin !== null) {
      let previous = item.left
      while (previous !== null && !holds(previous, origin.client, origin.clock)) {
        if (--budget.steps <= 0) return misplaced()
        previous = previous.left
      }
      if (previous === null) return misplaced()
    }
    if (rightOrigin === null) continue
    let next = item.right
    while (next !== null && !holds(next, rightOrigin.client, rightOrigin.clock)) {
      if (--budget.steps <= 0) return misplaced()
      next = next.right
    }
    if (next !== null) continue
    // Yjs writes this shape from two items of one client (the text it wrote, redid or formatted);
    // a right origin elsewhere has no reason to be there.
    if (origin === null || origin.client !== rightOrigin.client) return misplaced()
    if (itemAt(doc, rightOrigin.client, rightOrigin.clock)?.parent !== item.parent)
      return misplaced()
    reanchor.push(item)
  }
  return { reanchor, misplaced: false }
}

/**
 * `update` (read as `structure`, already applied to `copy`) written again with the right origins
 * of `items` (items of `copy`) dropped: for each client the update wrote, the structs `doc` lacks,
 * as `copy` holds them (Yjs's own encoding of each), then the update's delete set byte for byte.
 */
export function withoutRightOrigins(
  update: Uint8Array,
  structure: UpdateStructure,
  items: readonly Y.Item[],
  copy: Y.Doc,
  doc: Y.Doc,
): Uint8Array {
  for (const item of items) item.rightOrigin = null
  const encoder = new Y.UpdateEncoderV1()
  const clients = [...structure.written.keys()]
    .filter((client) => Y.getState(copy.store, client) > Y.getState(doc.store, client))
    .sort((a, b) => b - a)
  encoding.writeVarUint(encoder.restEncoder, clients.length)
  for (const client of clients) {
    const structs = copy.store.clients.get(client) ?? []
    const clock = Y.getState(doc.store, client)
    const first = Y.findIndexSS(structs, clock)
    encoding.writeVarUint(encoder.restEncoder, structs.length - first)
    encoder.writeClient(client)
    encoding.writeVarUint(encoder.restEncoder, clock)
    for (let index = first; index < structs.length; index++) {
      const struct = structs[index] as Y.Item | Y.GC
      struct.write(encoder, index === first ? clock - struct.id.clock : 0)
    }
  }
  encoding.writeUint8Array(encoder.restEncoder, update.subarray(structure.deleteSetStart))
  return encoder.toUint8Array()
}

/**
 * A check on the order of an inserted item's neighbours. Yjs places an item between its origin (the
 * item it was typed after) and its right origin (the item that followed then), and it walks from
 * the first towards the second to settle concurrent insertions. An item whose right origin lies to
 * the left of its origin, or in another element, has no such place: each peer walks to the end of
 * its own list and puts the item wherever its own history leaves it, so the documents diverge for
 * good. Yjs writes such an item in one shape only (besideOneItem); a forged update can write any.
 */
import { MAX_ORIGIN_WALK } from '@onetext/shared/limits'
import type * as Y from 'yjs'

/** True when `item` holds the ID (client, clock). */
function holds(item: Y.Item, client: number, clock: number): boolean {
  return item.id.client === client && clock >= item.id.clock && clock < item.id.clock + item.length
}

/**
 * True when `item`'s origin and right origin are the last and the first ID of `previous`, the item
 * on its left that holds its origin. Yjs itself writes such items (its UndoManager redoing an item
 * in place, text insertions next to formatting) and places them after `previous`, scanning past it
 * as for concurrent insertions.
 */
function besideOneItem(previous: Y.Item, item: Y.Item): boolean {
  const { origin, rightOrigin } = item
  return (
    origin !== null &&
    rightOrigin !== null &&
    rightOrigin.client === previous.id.client &&
    rightOrigin.clock === previous.id.clock &&
    origin.clock === previous.id.clock + previous.length - 1
  )
}

/**
 * True when every item of `inserted` (already integrated into its document) has its origin to its
 * left and its right origin to its right, in the same list, within `MAX_ORIGIN_WALK` steps over the
 * whole update. Honest items find them next to them or past the few concurrent insertions Yjs put
 * between.
 */
export function originsInOrder(inserted: readonly Y.Item[]): boolean {
  let budget = MAX_ORIGIN_WALK
  for (const item of inserted) {
    const { origin, rightOrigin } = item
    if (origin !== null) {
      let previous = item.left
      while (previous !== null && !holds(previous, origin.client, origin.clock)) {
        if (--budget <= 0) return false
        previous = previous.left
      }
      if (previous === null) return false
      if (besideOneItem(previous, item)) continue
    }
    if (rightOrigin !== null) {
      let next = item.right
      while (next !== null && !holds(next, rightOrigin.client, rightOrigin.clock)) {
        if (--budget <= 0) return false
        next = next.right
      }
      if (next === null) return false
    }
  }
  return true
}

/**
 * The shape of a map's entries that every copy agrees on. Yjs keeps the values a key was given as
 * a list of entries and, as each entry arrives, deletes every one but the last: an entry placed
 * last deletes the one on its left, an entry placed before another deletes itself. That holds only
 * if each live entry is one value. A forged struct of several values under one key arrives as one
 * live entry; an entry written later after one of its values cuts it into live entries that are not
 * the last, which a copy that applied the updates as they came keeps and a copy loaded from the
 * whole document (where each cut part arrives as an entry of its own) deletes: the two disagree
 * for good. The gate therefore refuses such a struct.
 */
import type * as Y from 'yjs'

/**
 * The first item of `inserted` (items of a copy with an update applied) that is a live entry of a
 * map holding more than one value, or one that is not the last entry of its key; null when there
 * is none. A deleted entry may hold several values (Yjs merges a key's deleted entries, and a copy
 * that keeps deleted content sends them as one struct).
 */
export function liveEntryOfMany(inserted: readonly Y.Item[]): Y.Item | null {
  for (const item of inserted) {
    if (item.parentSub === null || item.deleted) continue
    if (item.length > 1 || item.right !== null) return item
  }
  return null
}

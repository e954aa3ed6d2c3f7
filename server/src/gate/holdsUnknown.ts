/**
 * Whether an update a read-only connection sent (its sync step 2: everything its copy holds that the
 * server's lacks, with its whole delete set) shows that the reader's copy differs from the server's:
 * structs the server does not have, or deletions of items the server still shows. That happens when
 * the server stopped after relaying a change and before writing it: the reader keeps the lost
 * change, its authors do not send it again, and the copies would stay different for good.
 */
import * as Y from 'yjs'
import { readUpdateStructure } from './updateStructure'

/**
 * True when `update` holds a struct `doc` does not have or deletes an item `doc` still shows.
 * Throws {@link MalformedUpdate} for an update that does not read within the client limits. Cost:
 * proportional to the update's structs and delete ranges.
 */
export function holdsUnknown(doc: Y.Doc, update: Uint8Array): boolean {
  const structure = readUpdateStructure(update)
  const store = doc.store
  for (const [client, range] of structure.written) {
    if (range.end > Y.getState(store, client)) return true
  }
  const deletions = structure.deletions
  for (let i = 0; i < deletions.length; i += 3) {
    const client = deletions[i] as number
    const start = deletions[i + 1] as number
    const end = start + (deletions[i + 2] as number)
    if (end > Y.getState(store, client)) return true
    let clock = start
    while (clock < end) {
      const struct = Y.getItem(store, Y.createID(client, clock)) as Y.Item | Y.GC
      if (struct instanceof Y.Item && !struct.deleted) return true
      clock = struct.id.clock + struct.length
    }
  }
  return false
}

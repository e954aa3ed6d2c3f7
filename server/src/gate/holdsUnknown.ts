/**
 * Whether an update a read-only connection sent (its sync step 2: everything its copy holds that the
 * server's lacks, with its whole delete set) shows that the reader's copy differs from the server's:
 * structs the server does not have, or deletions of items the server still shows. That happens when
 * the server stopped after relaying a change and before writing it: the reader keeps the lost
 * change, its authors do not send it again, and the copies would stay different for good.
 */
import * as Y from 'yjs'
import { allDeleted } from './knownDeletions'
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
  for (const { client, ranges } of structure.deletions) {
    const state = Y.getState(store, client)
    for (let i = 0; i < ranges.length; i += 2) {
      const start = ranges[i] as number
      const end = start + (ranges[i + 1] as number)
      if (end > state || !allDeleted(store, client, start, end)) return true
    }
  }
  return false
}

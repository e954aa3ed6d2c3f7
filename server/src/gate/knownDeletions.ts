/**
 * Deletions an update repeats. A sync step 2 carries its sender's whole delete set (every range of
 * text ever deleted in the document, in a months-long negotiation hundreds of thousands of them),
 * nearly all of which the server's document has deleted already. Yjs would look each range up
 * twice (in the gate's copy and in the document) to change nothing; the gate drops those ranges
 * first, in one pass over the delete set, and applies what is left.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { UpdateStructure } from './updateStructure'

/**
 * True when every item of `client` from clock `start` up to `end` is deleted in `store`. The
 * caller makes sure the store has `client`'s items up to `end`.
 */
export function allDeleted(
  store: Y.Doc['store'],
  client: number,
  start: number,
  end: number,
): boolean {
  const structs = store.clients.get(client)
  if (!structs) return false
  for (let index = Y.findIndexSS(structs, start); index < structs.length; index++) {
    const struct = structs[index] as Y.Item | Y.GC
    if (struct.id.clock >= end) break
    if (!struct.deleted) return false
  }
  return true
}

/**
 * `update` (read as `structure`, every deletion within what `doc` or the update has: the gate's
 * reference check) without the deleted ranges `doc` has deleted already; `update` itself when it has
 * none of them. The structs are kept byte for byte. Cost: one lookup per deleted range and a walk
 * over the structs it covers (the ranges are sorted and apart: updateStructure.ts).
 */
export function withoutKnownDeletions(
  update: Uint8Array,
  structure: UpdateStructure,
  doc: Y.Doc,
): Uint8Array {
  const store = doc.store
  const keep = structure.deletions.map(({ client, ranges }) => {
    const state = Y.getState(store, client)
    const kept = new Uint8Array(ranges.length / 2)
    for (let i = 0; i < kept.length; i++) {
      const start = ranges[i * 2] as number
      const end = start + (ranges[i * 2 + 1] as number)
      kept[i] = end > state || !allDeleted(store, client, start, end) ? 1 : 0
    }
    return kept
  })
  const counts = keep.map((kept) => kept.reduce((sum, flag) => sum + flag, 0))
  if (counts.every((count, index) => count === keep[index]?.length)) return update
  const encoder = encoding.createEncoder()
  encoding.writeUint8Array(encoder, update.subarray(0, structure.deleteSetStart))
  encoding.writeVarUint(encoder, counts.filter((count) => count > 0).length)
  structure.deletions.forEach(({ client, ranges }, section) => {
    const kept = keep[section] as Uint8Array
    const count = counts[section] as number
    if (count === 0) return
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, count)
    for (let i = 0; i < kept.length; i++) {
      if (kept[i] === 0) continue
      encoding.writeVarUint(encoder, ranges[i * 2] as number)
      encoding.writeVarUint(encoder, ranges[i * 2 + 1] as number)
    }
  })
  return encoding.toUint8Array(encoder)
}

/**
 * The seed of a suggestion copy: iteration N's text written into a fresh Y.Doc under one client ID.
 * It is deterministic: the same JSON under the same client ID gives items with the same IDs, so a
 * reader can rebuild the seed of a copy from iteration N's JSON and its recorded seed client
 * (`seed` root) and know which Yjs items held which of iteration N's characters, deleted or not.
 * Never built from the working draft's Yjs state (its history and client IDs stay the mediator's).
 */
import type { JSONContent } from '@tiptap/core'
import { prosemirrorToYXmlFragment } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { getDocumentSchema, RICH_TEXT_FIELD } from '../schema'

/**
 * A fresh Y.Doc whose rich text is `iteration` (ProseMirror JSON of the document schema), written
 * under `client` (an integer 0..2^32-1) and nothing else. Throws RangeError for an invalid client
 * or a document the schema does not take.
 */
export function buildSeedDoc(iteration: JSONContent, client: number): Y.Doc {
  if (!Number.isInteger(client) || client < 0 || client > 0xffff_ffff)
    throw new RangeError(`invalid seed client: ${client}`)
  let node: ReturnType<ReturnType<typeof getDocumentSchema>['nodeFromJSON']>
  try {
    node = getDocumentSchema().nodeFromJSON(iteration)
    node.check()
  } catch (error) {
    throw new RangeError(`the iteration does not read: ${String(error)}`)
  }
  const doc = new Y.Doc()
  doc.clientID = client
  prosemirrorToYXmlFragment(node, doc.getXmlFragment(RICH_TEXT_FIELD))
  return doc
}

/** The update that seeds a copy with `iteration` under `client` (see {@link buildSeedDoc}). */
export function seedUpdate(iteration: JSONContent, client: number): Uint8Array {
  const doc = buildSeedDoc(iteration, client)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

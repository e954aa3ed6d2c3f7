/**
 * The first Yjs state of a rich-text document the server creates (a new negotiation's draft, the
 * demo's draft, a local supplement): ProseMirror JSON of the clause schema encoded as one update.
 */
import { ensureClauseIds, randomClauseId } from '@onetext/shared/clauses'
import { markdownToDoc } from '@onetext/shared/markdown'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/** The full Yjs state of a document holding `json` (of the shared schema, checked against it). */
export function documentStateFromJson(json: JSONContent): Uint8Array {
  getDocumentSchema().nodeFromJSON(json).check()
  const doc = prosemirrorJSONToYDoc(getDocumentSchema(), json, RICH_TEXT_FIELD)
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return state
}

/** The full Yjs state of a draft written in Markdown, every clause given a clause id. */
export function draftStateFromMarkdown(markdown: string): Uint8Array {
  const json = markdownToDoc(markdown)
  ensureClauseIds(json, randomClauseId)
  return documentStateFromJson(json)
}

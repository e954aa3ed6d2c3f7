/**
 * The first Yjs state of a rich-text document the server creates (a new negotiation's draft, the
 * demo's draft, a local supplement): ProseMirror JSON grouped into segments (so that a long text
 * edits fast, see `@onetext/shared/segments`) and encoded as one update.
 */
import { ensureClauseIds, randomClauseId } from '@onetext/shared/clauses'
import { markdownToDoc } from '@onetext/shared/markdown'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { segmentDocument } from '@onetext/shared/segments'
import type { JSONContent } from '@tiptap/core'
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/** The full Yjs state of a document holding `json` (of the shared schema) in segments. */
export function documentStateFromJson(json: JSONContent): Uint8Array {
  const doc = prosemirrorJSONToYDoc(getDocumentSchema(), segmentDocument(json), RICH_TEXT_FIELD)
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return state
}

/** The full Yjs state of a draft written in Markdown, every numbered heading given a clause id. */
export function draftStateFromMarkdown(markdown: string): Uint8Array {
  const json = markdownToDoc(markdown)
  ensureClauseIds(json, randomClauseId)
  return documentStateFromJson(json)
}

/** ProseMirror JSON builders for tests of the shared schema's documents. */
import type { JSONContent } from '@tiptap/core'

/** A heading of `level` with `text`, and a clause id when given. */
export function heading(level: number, text: string, clauseId?: string): JSONContent {
  return {
    type: 'heading',
    attrs: { level, ...(clauseId ? { clauseId } : {}) },
    content: [{ type: 'text', text }],
  }
}

/** A paragraph of `text`. */
export function paragraph(text: string): JSONContent {
  return { type: 'paragraph', content: [{ type: 'text', text }] }
}

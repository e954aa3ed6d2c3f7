/** ProseMirror JSON builders for tests of the shared schema's documents (the clause tree). */
import type { JSONContent } from '@tiptap/core'

/** The document's title. */
export function title(text: string): JSONContent {
  return { type: 'title', content: [{ type: 'text', text }] }
}

/** A clause with `heading`, its id when given, and its body blocks and child clauses. */
export function clause(
  heading: string,
  clauseId: string | null,
  ...content: JSONContent[]
): JSONContent {
  return {
    type: 'clause',
    attrs: { clauseId },
    content: [
      { type: 'clauseHeading', ...(heading ? { content: [{ type: 'text', text: heading }] } : {}) },
      ...content,
    ],
  }
}

/** A paragraph of `text`. */
export function paragraph(text: string): JSONContent {
  return { type: 'paragraph', content: [{ type: 'text', text }] }
}

/** A document of `content`. */
export function doc(...content: JSONContent[]): JSONContent {
  return { type: 'doc', content }
}

/**
 * Builders of clause nodes of the document schema for the suggestion unit tests: ProseMirror JSON
 * written compactly (`clause('c1', 'Term', p('Five ', bold('years')))`) and read into nodes.
 */
import { getDocumentSchema } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import { Node as PMNode } from '@tiptap/pm/model'

/** The document schema. */
export const schema = getDocumentSchema()

type Inline = string | JSONContent

function inline(content: readonly Inline[]): JSONContent[] {
  return content
    .filter((item) => item !== '')
    .map((item) => (typeof item === 'string' ? { type: 'text', text: item } : item))
}

/** A text node with marks (mark names, or mark JSON). */
export function marked(
  text: string,
  ...marks: Array<string | { type: string; attrs?: Record<string, unknown> }>
): JSONContent {
  return {
    type: 'text',
    text,
    marks: marks.map((mark) => (typeof mark === 'string' ? { type: mark } : mark)),
  }
}

/** Bold text. */
export function bold(text: string): JSONContent {
  return marked(text, 'bold')
}

/** A paragraph of text and inline nodes. */
export function p(...content: Inline[]): JSONContent {
  const items = inline(content)
  return items.length > 0 ? { type: 'paragraph', content: items } : { type: 'paragraph' }
}

/** A hard break. */
export const br: JSONContent = { type: 'hardBreak' }

/** A bullet list of items, each item a list of blocks (or one paragraph's text). */
export function ul(...items: Array<string | JSONContent[]>): JSONContent {
  return {
    type: 'bulletList',
    content: items.map((item) => ({
      type: 'listItem',
      content: typeof item === 'string' ? [p(item)] : item,
    })),
  }
}

/** A clause with its id, heading text and children (blocks and clauses). */
export function clause(id: string, heading: string, ...children: JSONContent[]): JSONContent {
  const headingNode: JSONContent =
    heading === ''
      ? { type: 'clauseHeading' }
      : { type: 'clauseHeading', content: inline([heading]) }
  return { type: 'clause', attrs: { clauseId: id }, content: [headingNode, ...children] }
}

/** A document of clauses. */
export function doc(...clauses: JSONContent[]): JSONContent {
  return { type: 'doc', content: clauses }
}

/** The node of ProseMirror JSON (checked against the schema). */
export function node(json: JSONContent): PMNode {
  const result = PMNode.fromJSON(schema, json)
  result.check()
  return result
}

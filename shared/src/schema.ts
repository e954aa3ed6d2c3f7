/**
 * The document schema shared by client and server: the Tiptap extensions every OneText rich-text
 * document uses, so that the server builds the same ProseMirror schema the editor uses (to seed,
 * validate and render documents) and the two can never disagree. The clause nodes are defined in
 * `./clauses`.
 */
import { type AnyExtension, getSchema } from '@tiptap/core'
import type { Schema } from '@tiptap/pm/model'
import { StarterKit } from '@tiptap/starter-kit'
import { ClauseDocumentNode, ClauseHeadingNode, ClauseNode, TitleNode } from './clauses'

/** Name of the Y.XmlFragment that holds every document's rich text (Tiptap's default). */
export const RICH_TEXT_FIELD = 'default'

/**
 * The schema-defining extensions: the clause tree and StarterKit's blocks and marks. StarterKit's
 * headings are off (a heading is a clause's), and so is its history: collaborative documents use
 * the Yjs undo manager, which undoes only the local user's own edits.
 */
export function createSchemaExtensions(): AnyExtension[] {
  return [
    ClauseDocumentNode,
    TitleNode,
    ClauseNode,
    ClauseHeadingNode,
    StarterKit.configure({
      document: false,
      heading: false,
      undoRedo: false,
      trailingNode: false,
      link: { openOnClick: false, autolink: false },
    }),
  ]
}

let cachedSchema: Schema | null = null

/** The ProseMirror schema of {@link createSchemaExtensions}, built once. */
export function getDocumentSchema(): Schema {
  cachedSchema ??= getSchema(createSchemaExtensions())
  return cachedSchema
}

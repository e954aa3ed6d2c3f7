/**
 * The document schema shared by client and server: the Tiptap extensions every OneText rich-text
 * document uses, so that the server builds the same ProseMirror schema the editor uses (to seed,
 * validate and render documents) and the two can never disagree.
 */
import { type AnyExtension, Extension, getSchema, Node } from '@tiptap/core'
import type { Schema } from '@tiptap/pm/model'
import { StarterKit } from '@tiptap/starter-kit'
import { CLAUSE_ID_ATTRIBUTE } from './clauses'
import { SEGMENT_NODE } from './segments'

/**
 * The `clauseId` attribute of headings: the stable identity of a clause. It is not copied when a
 * heading is split (the second half is a new clause), and renders as `data-clause-id`.
 */
export const ClauseIdAttribute = Extension.create({
  name: 'clauseIdAttribute',
  addGlobalAttributes() {
    return [
      {
        types: ['heading'],
        attributes: {
          [CLAUSE_ID_ATTRIBUTE]: {
            default: null,
            keepOnSplit: false,
            parseHTML: (element: { getAttribute(name: string): string | null }) =>
              element.getAttribute('data-clause-id'),
            renderHTML: (attributes: Record<string, unknown>) =>
              attributes[CLAUSE_ID_ATTRIBUTE]
                ? { 'data-clause-id': String(attributes[CLAUSE_ID_ATTRIBUTE]) }
                : {},
          },
        },
      },
    ]
  },
})

/**
 * A segment (see `./segments`): a container of top-level blocks with no meaning of its own. It is not
 * in the `block` group, so segments never nest and never appear inside lists or quotes. Rendered as
 * a plain `div.segment`.
 */
export const Segment = Node.create({
  name: SEGMENT_NODE,
  content: 'block+',
  // The editor's commands treat a segment's edges as walls: Backspace at the start of the text and
  // Enter in an empty paragraph would otherwise lift the block out of its segment or split the
  // segment. Joining across an edge is done by SegmentBoundaries in the client.
  isolating: true,
  parseHTML: () => [{ tag: 'div[data-segment]' }],
  renderHTML: () => ['div', { 'data-segment': '', class: 'segment' }, 0],
})

/** The document node: top-level blocks and segments of blocks, in any mix. */
export const SegmentedDocument = Node.create({
  name: 'doc',
  topNode: true,
  content: `(block | ${SEGMENT_NODE})+`,
})

/** Name of the Y.XmlFragment that holds every document's rich text (Tiptap's default). */
export const RICH_TEXT_FIELD = 'default'

/** Heading levels the single text uses: 1 title, 2 article, 3 section, 4 sub-section. */
export const HEADING_LEVELS = [1, 2, 3, 4] as const

/**
 * The schema-defining extensions. History (undo/redo) is off: collaborative documents use the
 * Yjs undo manager, which undoes only the local user's own edits.
 */
export function createSchemaExtensions(): AnyExtension[] {
  return [
    SegmentedDocument,
    Segment,
    StarterKit.configure({
      document: false,
      undoRedo: false,
      heading: { levels: [...HEADING_LEVELS] },
      link: { openOnClick: false, autolink: false },
      // A draft ending in a segment needs no empty paragraph after it (the editor would add one
      // to every draft it opens).
      trailingNode: { notAfter: [SEGMENT_NODE] },
    }),
    ClauseIdAttribute,
  ]
}

let cachedSchema: Schema | null = null

/** The ProseMirror schema of {@link createSchemaExtensions}, built once. */
export function getDocumentSchema(): Schema {
  cachedSchema ??= getSchema(createSchemaExtensions())
  return cachedSchema
}

/**
 * Documents stored by release 0.1.0, before the clause tree: a flat run of blocks and `heading`
 * nodes (level 1 a title, 2 an article, 3 a section, 4 a sub-section, the clause id on the
 * heading), perhaps grouped into `segment` nodes. The server converts each one once, when it is
 * first loaded (server/src/negotiation/clauseTreeMigration.ts), and reads old iterations through
 * {@link legacyToClauseDoc}. Nothing else knows this shape.
 */
import type { JSONContent } from '@tiptap/core'
import {
  bodyText,
  CLAUSE_ID_ATTRIBUTE,
  nodeText,
  type OutlineHeading,
  outlineToDoc,
} from './clauses'

/** Node name of a legacy segment. */
export const LEGACY_SEGMENT_NODE = 'segment'
/** Node name of a legacy heading. */
export const LEGACY_HEADING_NODE = 'heading'

/** True when `node` is a legacy segment or heading, the node types the clause tree replaced. */
export function isLegacyNode(node: { type?: string }): boolean {
  return node.type === LEGACY_SEGMENT_NODE || node.type === LEGACY_HEADING_NODE
}

/** True when a document's top level holds a legacy node (a converted document holds none). */
export function isLegacyDocument(doc: JSONContent): boolean {
  return (doc.content ?? []).some(isLegacyNode)
}

/** The legacy document's top-level blocks, the children of its segments taking their place. */
function legacyBlocks(doc: JSONContent): JSONContent[] {
  return (doc.content ?? []).flatMap((node) =>
    node.type === LEGACY_SEGMENT_NODE ? (node.content ?? []) : [node],
  )
}

/**
 * The clause-tree document for a legacy one: the first heading, when it is a title (level 1),
 * becomes the title; every other heading a clause keeping its id, nested by level. A document
 * already in the clause tree is returned as it is.
 */
export function legacyToClauseDoc(doc: JSONContent): JSONContent {
  if (!isLegacyDocument(doc)) return doc
  const items = legacyBlocks(doc).map((block): JSONContent | OutlineHeading => {
    if (block.type !== LEGACY_HEADING_NODE) return block
    const id = block.attrs?.[CLAUSE_ID_ATTRIBUTE]
    return {
      type: 'outlineHeading',
      level: Number(block.attrs?.level ?? 2),
      ...(block.content ? { content: block.content } : {}),
      clauseId: typeof id === 'string' ? id : null,
    }
  })
  return outlineToDoc(items)
}

/** What a legacy document said of one clause: what the conversion must keep. */
export interface LegacyClauseReading {
  /** The heading's clause id; null when it had none (or a level-1 heading after the title). */
  id: string | null
  heading: string
  /** The blocks up to the next heading, one line per block (as {@link bodyText} reads them). */
  text: string
}

/**
 * Every heading of a legacy document but a leading title, in order, with the text of the blocks up
 * to the next heading: the clauses {@link legacyToClauseDoc} must produce, in the same order.
 */
export function legacyClauseReadings(doc: JSONContent): LegacyClauseReading[] {
  const readings: LegacyClauseReading[] = []
  const bodies: JSONContent[][] = []
  legacyBlocks(doc).forEach((block, index) => {
    if (block.type === LEGACY_HEADING_NODE) {
      if (index === 0 && Number(block.attrs?.level ?? 2) <= 1) return
      const id = block.attrs?.[CLAUSE_ID_ATTRIBUTE]
      readings.push({ id: typeof id === 'string' ? id : null, heading: nodeText(block), text: '' })
      bodies.push([])
    } else bodies.at(-1)?.push(block)
  })
  readings.forEach((reading, index) => {
    reading.text = bodyText(bodies[index] ?? [])
  })
  return readings
}

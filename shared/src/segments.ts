/**
 * Segments: containers that group a long text's top-level blocks for the browser, and mean nothing
 * else. A browser lays out, observes (`content-visibility: auto`) and hit-tests every child of the
 * editor on each keystroke; a 150-page text has about 2,000 top-level blocks but only about 30
 * articles, so a draft is stored as a run of segments, one from each article heading, and the
 * editor's children are those segments.
 *
 * Clause structure reads through segments: a clause is a heading and the blocks after it up to the
 * next heading, wherever segment boundaries fall. A document may mix segments and top-level blocks
 * (a draft stored before segments existed is all top-level blocks, and stays valid).
 */
import type { JSONContent } from '@tiptap/core'

/** Node name of a segment. */
export const SEGMENT_NODE = 'segment'

/**
 * A segment holding this many blocks ends at the next heading of any level, so that one very long
 * article does not become one very large container.
 */
export const SEGMENT_SOFT_LIMIT = 40

/** A segment holding this many blocks ends before the next block, heading or not. */
export const SEGMENT_HARD_LIMIT = 120

/** True for a segment node of ProseMirror JSON. */
export function isSegment(node: JSONContent): boolean {
  return node.type === SEGMENT_NODE
}

/** The document's top-level blocks, the children of its segments taking the segments' place. */
export function flattenSegments(doc: JSONContent): JSONContent[] {
  const blocks: JSONContent[] = []
  for (const node of doc.content ?? []) {
    if (isSegment(node)) blocks.push(...(node.content ?? []))
    else blocks.push(node)
  }
  return blocks
}

/**
 * Groups blocks into the runs that become segments: a new run starts at each title or article
 * heading (levels 1 and 2), at any heading once the run holds {@link SEGMENT_SOFT_LIMIT} blocks, and
 * at any block once it holds {@link SEGMENT_HARD_LIMIT}. `headingLevel` gives a block's heading
 * level, or null for any other block.
 */
export function segmentRuns<T>(
  blocks: Iterable<T>,
  headingLevel: (block: T) => number | null,
): T[][] {
  const runs: T[][] = []
  let current: T[] = []
  for (const block of blocks) {
    const held = current.length
    const level = headingLevel(block)
    const starts =
      held > 0 &&
      (held >= SEGMENT_HARD_LIMIT || (level !== null && (level <= 2 || held >= SEGMENT_SOFT_LIMIT)))
    if (starts) {
      runs.push(current)
      current = []
    }
    current.push(block)
  }
  if (current.length > 0) runs.push(current)
  return runs
}

/**
 * The same document with its blocks grouped into segments by {@link segmentRuns}. Existing segments
 * are dissolved and regrouped. The input is not modified.
 */
export function segmentDocument(doc: JSONContent): JSONContent {
  const runs = segmentRuns(flattenSegments(doc), (block) =>
    block.type === 'heading' ? Number(block.attrs?.level ?? 2) : null,
  )
  return { ...doc, content: runs.map((content) => ({ type: SEGMENT_NODE, content })) }
}

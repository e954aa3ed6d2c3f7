/**
 * Keeps a segmented draft segmented after local changes that would leave it otherwise
 * (`@onetext/shared/segments`): select-all and typing leaves the text as one top-level paragraph,
 * outside any segment, and a long paste lands in the one segment the cursor was in. Both would
 * bring back what segments exist to avoid: thousands of top-level blocks, or one huge container.
 *
 * Only the originating editor regroups, in the same dispatch as the change (an appended
 * transaction), so what it groups is what that change just wrote: nobody else has seen those blocks
 * yet. A draft that was not fully segmented before the change (stored before segments existed) is
 * left as it is, as the server left it.
 */
import {
  SEGMENT_HARD_LIMIT,
  SEGMENT_NODE,
  SEGMENT_SOFT_LIMIT,
  segmentRuns,
} from '@onetext/shared/segments'
import { NodeRange, type Node as ProseMirrorNode } from '@tiptap/pm/model'
import type { Transaction } from '@tiptap/pm/state'

function isSegment(node: ProseMirrorNode): boolean {
  return node.type.name === SEGMENT_NODE
}

/** A block's heading level, or null (the rule {@link segmentRuns} groups by). */
function headingLevel(node: ProseMirrorNode): number | null {
  return node.type.name === 'heading' ? Number(node.attrs.level ?? 2) : null
}

/** True when every top-level child of `doc` is a segment. */
function fullySegmented(doc: ProseMirrorNode): boolean {
  let all = true
  doc.forEach((child) => {
    if (!isSegment(child)) all = false
  })
  return all
}

/** How many blocks `doc` holds (a segment's children count, not the segment). */
function blockCount(doc: ProseMirrorNode): number {
  let count = 0
  doc.forEach((child) => {
    count += isSegment(child) ? child.childCount : 1
  })
  return count
}

/** Sizes of the runs `segmentRuns` makes of `blocks`: where each new group starts, as offsets. */
function runStarts(blocks: readonly ProseMirrorNode[]): number[] {
  const starts: number[] = []
  let offset = 0
  for (const run of segmentRuns(blocks, headingLevel)) {
    starts.push(offset)
    for (const block of run) offset += block.nodeSize
  }
  return starts
}

/**
 * Groups what a local change left ungrouped, adding the steps to `tr` (whose document is the text
 * after the change); true if it added any. When `before` (the text before the change) was fully
 * segmented, each run of top-level blocks is wrapped in segments; and when the change added more
 * than {@link SEGMENT_SOFT_LIMIT} blocks at once (a paste), each segment holding more than
 * {@link SEGMENT_HARD_LIMIT} blocks is split; both by the server's grouping rule ({@link segmentRuns}).
 * Text and clause structure are unchanged.
 *
 * A split moves the blocks after it into a new segment, which the Yjs binding writes as those blocks
 * deleted and inserted again (as the re-split in SegmentBoundaries does): a co-author's edit in them
 * made at that moment would be lost. So a segment that grows a block at a time (typing) is never
 * split, only one a paste made too large at once.
 */
export function regroupSegments(before: ProseMirrorNode, tr: Transaction): boolean {
  if (!fullySegmented(before)) return false
  const segment = tr.doc.type.schema.nodes[SEGMENT_NODE]
  if (!segment) return false
  const doc = tr.doc
  const pasted = blockCount(doc) - blockCount(before) > SEGMENT_SOFT_LIMIT
  /** Ranges of top-level blocks to wrap, and positions (inside segments) to split at. */
  const wraps: Array<{ from: number; to: number }> = []
  const splits: number[] = []
  let loose: { from: number; blocks: ProseMirrorNode[] } | null = null
  const wrapLoose = () => {
    if (!loose) return
    const { from, blocks } = loose
    const starts = runStarts(blocks)
    let end = from
    for (const block of blocks) end += block.nodeSize
    starts.forEach((start, index) => {
      const next = starts[index + 1]
      wraps.push({ from: from + start, to: next === undefined ? end : from + next })
    })
    loose = null
  }
  doc.forEach((child, offset) => {
    if (!isSegment(child)) {
      loose ??= { from: offset, blocks: [] }
      loose.blocks.push(child)
      return
    }
    wrapLoose()
    if (!pasted || child.childCount <= SEGMENT_HARD_LIMIT) return
    const blocks: ProseMirrorNode[] = []
    child.forEach((block) => {
      blocks.push(block)
    })
    for (const start of runStarts(blocks).slice(1)) splits.push(offset + 1 + start)
  })
  wrapLoose()
  if (wraps.length === 0 && splits.length === 0) return false
  // From the end, so that each change leaves the positions before it as they were. A wrap and a
  // split never share a position (one is between top-level blocks, the other inside a segment).
  const changes: Array<{ at: number; to?: number }> = [
    ...wraps.map(({ from, to }) => ({ at: from, to })),
    ...splits.map((at) => ({ at })),
  ].sort((a, b) => b.at - a.at)
  for (const { at, to } of changes) {
    if (to === undefined) tr.split(at, 1)
    else tr.wrap(new NodeRange(tr.doc.resolve(at), tr.doc.resolve(to), 0), [{ type: segment }])
  }
  return true
}

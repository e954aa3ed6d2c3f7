/**
 * The editor document's top-level blocks, read through segments (`@onetext/shared/segments`):
 * clause structure (headings and the blocks after them) never depends on where segments begin.
 */
import { SEGMENT_NODE } from '@onetext/shared/segments'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'

/**
 * Calls `visit` for each top-level block of `doc` in order, with its absolute position: a child of
 * the document, or a child of one of the document's segments in the segment's place.
 */
export function forEachTopBlock(
  doc: ProseMirrorNode,
  visit: (node: ProseMirrorNode, pos: number) => void,
): void {
  doc.forEach((child, offset) => {
    if (child.type.name !== SEGMENT_NODE) {
      visit(child, offset)
      return
    }
    child.forEach((inner, innerOffset) => {
      visit(inner, offset + 1 + innerOffset)
    })
  })
}

/** How many top-level blocks `doc` holds (see {@link forEachTopBlock}). */
export function topBlockCount(doc: ProseMirrorNode): number {
  let count = 0
  doc.forEach((child) => {
    count += child.type.name === SEGMENT_NODE ? child.childCount : 1
  })
  return count
}

/**
 * No shared type deeper than {@link MAX_TREE_DEPTH}: Yjs deletes, garbage-collects and renders
 * nested types recursively, so a tree tens of thousands of levels deep (a few hundred bytes of
 * update) would overflow the stack of whoever deletes or renders it later. Checked for every type
 * the update inserts, walking up at most the limit.
 */
import { MAX_TREE_DEPTH } from '@onetext/shared/limits'
import { RefusalReason } from '@onetext/shared/protocol'
import * as Y from 'yjs'
import type { GateChange, GateRefusal, GateRule, SharedType } from './GateRule'

/** Number of shared types above `type` (0 for a root), counting at most `limit + 1`. */
export function typeDepth(type: SharedType, limit: number): number {
  let depth = 0
  let current: SharedType = type
  while (current._item !== null && depth <= limit) {
    const parent = current._item.parent
    if (!(parent instanceof Y.AbstractType)) break
    current = parent
    depth++
  }
  return depth
}

export const depthRule: GateRule = {
  check(change: GateChange): GateRefusal | null {
    for (const item of change.inserted) {
      if (!(item.content instanceof Y.ContentType)) continue
      if (typeDepth(item.content.type, MAX_TREE_DEPTH) > MAX_TREE_DEPTH) {
        return {
          reason: RefusalReason.schema,
          text: `Your change nests the document deeper than ${MAX_TREE_DEPTH} levels and was refused.`,
        }
      }
    }
    return null
  },
}

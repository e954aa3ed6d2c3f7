/**
 * Gives each segment of the editor (`@onetext/shared/segments`) an estimate of its height, used by
 * the browser for a segment it has not laid out yet (`content-visibility: auto` skips segments far
 * from the viewport, and `contain-intrinsic-size` reads the estimate): without it every such segment
 * would count 5em, and the scroll bar and a jump to a far heading would be far off until the text
 * between had been seen. Once laid out, the browser remembers a segment's real height.
 */
import { SEGMENT_NODE } from '@onetext/shared/segments'
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'

const estimateKey = new PluginKey<DecorationSet>('segmentSizeEstimate')

/** Characters on a line of the text's column, roughly. */
const CHARACTERS_PER_LINE = 75
/** Height of one line, in em. */
const LINE_EM = 1.6
/** Space around a block, in em. */
const BLOCK_GAP_EM = 1.2
/** Estimates are rounded up to a multiple of this (so typing rarely changes them). */
const STEP_EM = 5

/** Estimated height of a segment, in em: its blocks' gaps and its text's lines. */
export function segmentEstimateEm(segment: ProseMirrorNode): number {
  const lines = segment.content.size / CHARACTERS_PER_LINE + segment.childCount * 0.5
  const em = segment.childCount * BLOCK_GAP_EM + lines * LINE_EM
  return Math.max(STEP_EM, Math.ceil(em / STEP_EM) * STEP_EM)
}

function estimates(doc: ProseMirrorNode): DecorationSet {
  const decorations: Decoration[] = []
  doc.forEach((child, offset) => {
    if (child.type.name !== SEGMENT_NODE) return
    decorations.push(
      Decoration.node(offset, offset + child.nodeSize, {
        style: `--segment-estimate: ${segmentEstimateEm(child)}em`,
      }),
    )
  })
  return DecorationSet.create(doc, decorations)
}

export const SegmentSizeEstimate = Extension.create({
  name: 'segmentSizeEstimate',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: estimateKey,
        state: {
          init: (_, state) => estimates(state.doc),
          apply: (transaction, value, _old, state) =>
            transaction.docChanged ? estimates(state.doc) : value,
        },
        props: { decorations: (state) => estimateKey.getState(state) },
      }),
    ]
  },
})

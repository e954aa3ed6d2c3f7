/**
 * Editing across segment boundaries (`@onetext/shared/segments`). Segments only group blocks for
 * the browser, so editing must behave as if they were not there, and must not merge them:
 * ProseMirror merges two segments when a deletion spans their boundary, and the Yjs binding
 * writes a merge as the second segment's blocks deleted and inserted again, which would lose a
 * co-author's concurrent edits in those blocks.
 *
 * - Segments are isolating (`Segment` in the schema): the editor's own commands never lift a
 *   block out of one, split one, or join two.
 * - Backspace at the start of a segment's first block and Delete at the end of its last block
 *   join the blocks as they would without the boundary ({@link joinAcrossSegments}).
 * - After any local change that merged segments (a deletion across a boundary, a paste over one),
 *   the merged segment is split again right after the block where the boundary ended
 *   ({@link resplitMergedSegments}), so the second segment keeps its other blocks untouched.
 * - Pasted content brings no segments of its own ({@link unwrapSegments}); what a local change
 *   leaves outside segments (select-all and typing) or grows past the limit (a long paste) is
 *   grouped again by the server's rule (`regroupSegments.ts`). A draft stored without segments
 *   stays without them.
 */
import { SEGMENT_NODE } from '@onetext/shared/segments'
import { Extension, isiOS, isMacOS } from '@tiptap/core'
import { joinBackward, joinForward } from '@tiptap/pm/commands'
import { Fragment, type Node as ProseMirrorNode, Slice } from '@tiptap/pm/model'
import {
  type Command,
  EditorState,
  Plugin,
  PluginKey,
  type Selection,
  type Transaction,
} from '@tiptap/pm/state'
import { regroupSegments } from './regroupSegments'
import { isRemoteTransaction } from './remoteTransaction'

const segmentBoundariesKey = new PluginKey('segmentBoundaries')

function isSegment(node: ProseMirrorNode | null | undefined): boolean {
  return node?.type.name === SEGMENT_NODE
}

/**
 * The position between two segments that an empty cursor at the very start (`dir` -1) or end
 * (`dir` 1) of a block directly inside a segment faces, or null when the cursor is elsewhere or no
 * segment lies on that side.
 */
export function segmentBoundaryAt(selection: Selection, dir: -1 | 1): number | null {
  if (!selection.empty) return null
  const $pos = selection.$from
  if ($pos.depth !== 2 || !isSegment($pos.node(1)) || !$pos.parent.isTextblock) return null
  const segment = $pos.node(1)
  if (dir < 0) {
    if ($pos.parentOffset !== 0 || $pos.index(1) !== 0) return null
    const index = $pos.index(0)
    return index > 0 && isSegment($pos.node(0).child(index - 1)) ? $pos.before(1) : null
  }
  if ($pos.parentOffset !== $pos.parent.content.size || $pos.index(1) !== segment.childCount - 1)
    return null
  const index = $pos.index(0)
  const doc = $pos.node(0)
  return index + 1 < doc.childCount && isSegment(doc.child(index + 1)) ? $pos.after(1) : null
}

/**
 * Backspace (`dir` -1) or Delete (`dir` 1) at a segment boundary: joins the two segments, does what
 * the key does between two blocks of one segment (ProseMirror's `joinBackward`/`joinForward`), all
 * in one transaction; {@link resplitMergedSegments} then restores the boundary after the joined
 * block. Returns false (and changes nothing) when the cursor is not at a boundary.
 */
export function joinAcrossSegments(dir: -1 | 1): Command {
  return (state, dispatch) => {
    const boundary = segmentBoundaryAt(state.selection, dir)
    if (boundary === null) return false
    const tr = state.tr.join(boundary)
    const merged = EditorState.create({
      doc: tr.doc,
      selection: state.selection.map(tr.doc, tr.mapping),
    })
    let inner: Transaction | null = null
    const join = dir < 0 ? joinBackward : joinForward
    if (!join(merged, (transaction) => (inner = transaction))) return false
    const joined = inner as Transaction | null
    if (!joined) return false
    for (const step of joined.steps) tr.step(step)
    tr.setSelection(joined.selection.getBookmark().resolve(tr.doc))
    dispatch?.(tr.scrollIntoView())
    return true
  }
}

/** Positions between two adjacent segments of `doc`. */
function segmentBoundaries(doc: ProseMirrorNode): number[] {
  const boundaries: number[] = []
  let previous: ProseMirrorNode | null = null
  doc.forEach((child, offset) => {
    if (isSegment(previous) && isSegment(child)) boundaries.push(offset)
    previous = child
  })
  return boundaries
}

/**
 * A transaction that splits again the segments that `transactions` merged (null when none did):
 * each boundary between segments before the change is mapped through it; where it now falls inside
 * a segment, the segment is split there, or right after the top-level block it falls in.
 */
export function resplitMergedSegments(
  transactions: readonly Transaction[],
  before: ProseMirrorNode,
  state: EditorState,
): Transaction | null {
  const boundaries = segmentBoundaries(before)
  if (boundaries.length === 0) return null
  const splits = new Set<number>()
  for (const boundary of boundaries) {
    let pos = boundary
    for (const transaction of transactions) pos = transaction.mapping.map(pos, -1)
    const $pos = state.doc.resolve(pos)
    if ($pos.depth === 0 || !isSegment($pos.node(1))) continue
    const split = $pos.depth === 1 ? pos : $pos.after(2)
    const $split = state.doc.resolve(split)
    if ($split.index(1) > 0 && $split.index(1) < $split.node(1).childCount) splits.add(split)
  }
  if (splits.size === 0) return null
  const tr = state.tr
  for (const split of [...splits].sort((a, b) => b - a)) tr.split(split, 1)
  return tr
}

/**
 * `slice` with its top-level segments replaced by their blocks (open depths adjusted): what a
 * paste inserts, so that copying from a segmented draft never adds segments where it lands.
 */
export function unwrapSegments(slice: Slice): Slice {
  const nodes: ProseMirrorNode[] = []
  let unwrapped = false
  slice.content.forEach((node) => {
    if (isSegment(node)) {
      unwrapped = true
      node.content.forEach((block) => {
        nodes.push(block)
      })
    } else nodes.push(node)
  })
  if (!unwrapped) return slice
  const first = slice.content.firstChild
  const last = slice.content.lastChild
  const openStart = isSegment(first) && slice.openStart > 0 ? slice.openStart - 1 : slice.openStart
  const openEnd = isSegment(last) && slice.openEnd > 0 ? slice.openEnd - 1 : slice.openEnd
  return new Slice(Fragment.fromArray(nodes), openStart, openEnd)
}

/**
 * The plugin that re-splits segments a local change merged (see {@link resplitMergedSegments}),
 * groups what a local change left ungrouped or grew too large ({@link regroupSegments}) and unwraps
 * segments from pasted content ({@link unwrapSegments}).
 */
export function segmentBoundariesPlugin(): Plugin {
  return new Plugin({
    key: segmentBoundariesKey,
    props: { transformPasted: (slice) => unwrapSegments(slice) },
    appendTransaction: (transactions, oldState, state) => {
      if (
        !transactions.some(
          (transaction) => transaction.docChanged && !isRemoteTransaction(transaction),
        )
      )
        return null
      // A merge of two segments leaves the document one child fewer.
      const resplit =
        state.doc.childCount < oldState.doc.childCount
          ? resplitMergedSegments(transactions, oldState.doc, state)
          : null
      const tr = resplit ?? state.tr
      const regrouped = regroupSegments(oldState.doc, tr)
      return resplit || regrouped ? tr : null
    },
  })
}

export const SegmentBoundaries = Extension.create({
  name: 'segmentBoundaries',
  // Before the editor's own Backspace and Delete handling.
  priority: 1000,
  addKeyboardShortcuts() {
    const backward = () => joinAcrossSegments(-1)(this.editor.state, this.editor.view.dispatch)
    const forward = () => joinAcrossSegments(1)(this.editor.state, this.editor.view.dispatch)
    // Every key the editor's own keymap (Tiptap's `Keymap`) binds to Backspace or Delete: the
    // segment is isolating, so those stop at its edge and only this joins across it.
    const keys = {
      Backspace: backward,
      'Mod-Backspace': backward,
      'Shift-Backspace': backward,
      Delete: forward,
      'Mod-Delete': forward,
    }
    if (!(isMacOS() || isiOS())) return keys
    return {
      ...keys,
      'Ctrl-h': backward,
      'Alt-Backspace': backward,
      'Ctrl-d': forward,
      'Ctrl-Alt-Backspace': forward,
      'Alt-Delete': forward,
      'Alt-d': forward,
    }
  },
  addProseMirrorPlugins() {
    return [segmentBoundariesPlugin()]
  },
})

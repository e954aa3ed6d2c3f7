/**
 * A change made elsewhere (a colleague's keystroke) is drawn in proportion to what it changed.
 *
 * y-tiptap's binding keeps a map from each Yjs type of the document to the ProseMirror node made
 * from it. On every remote change (`ProsemirrorBinding._typeChanged`) it first drops the entries of
 * the types the change touched (changed, deleted, and every ancestor of a changed one), then
 * clears the whole map, and builds every node of the document again. The editor, the suggestion
 * tracker and the outline then each meet a document of all-new nodes: on 150 pages about 8 ms to
 * build them, and as much again to compare them with the nodes they replace.
 *
 * {@link installIncrementalRemoteRender} has that clear keep the entries that are still true: those
 * of the types still in the document that the change did not touch (a node is made from its type
 * and its descendants only, so such an entry is the node the binding would build). Only the touched
 * nodes are built again; every other node keeps its identity, which the view, the tracker and the
 * outline compare first. Entries of types no longer in the document go, as the clear intended (a
 * relative position must never resolve through a stale node). Snapshot rendering is left as it is.
 */
import type { EditorView } from '@tiptap/pm/view'
import { ProsemirrorBinding, ySyncPluginKey } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/** Yjs type to what the binding made of it: a node, or a text's nodes. */
type BindingMapping = Map<object, unknown>

/** What this module uses of the binding (its own fields, not typed by y-tiptap). */
interface BindingInternals {
  mapping: BindingMapping
  type: Y.XmlFragment
  prosemirrorView: EditorView | null
  _typeChanged(events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction): void
}

let installed = false

/**
 * Makes every y-tiptap binding in this page rebuild, on a remote change, only the nodes whose
 * types the change touched (see the module comment). Idempotent; call it before editors are made.
 */
export function installIncrementalRemoteRender(): void {
  if (installed) return
  installed = true
  const prototype = ProsemirrorBinding.prototype as unknown as BindingInternals
  const rebuildAll = prototype._typeChanged
  prototype._typeChanged = function typeChanged(this: BindingInternals, events, transaction) {
    const view = this.prosemirrorView
    const sync = view
      ? (ySyncPluginKey.getState(view.state) as {
          snapshot?: unknown
          prevSnapshot?: unknown
        } | null)
      : null
    if (!view || events.length === 0 || sync?.snapshot != null || sync?.prevSnapshot != null) {
      rebuildAll.call(this, events, transaction)
      return
    }
    const mapping = this.mapping
    const fragment = this.type
    // The binding calls `clear` once, after dropping the touched entries and before building.
    mapping.clear = () => keepEntriesInDocument(mapping, fragment)
    try {
      rebuildAll.call(this, events, transaction)
    } finally {
      delete (mapping as Partial<BindingMapping>).clear
    }
  }
}

/**
 * Drops from `mapping` the entries of the types no longer in `fragment` (deleted, or under a
 * deleted ancestor, or of another root) and keeps the others as they are. Allocates nothing.
 */
export function keepEntriesInDocument(mapping: BindingMapping, fragment: Y.XmlFragment): void {
  for (const type of mapping.keys()) if (!inFragment(type, fragment)) mapping.delete(type)
}

/** True when `type` is `fragment` or a Yjs type under it, with no deleted item on the way. */
function inFragment(type: object, fragment: Y.XmlFragment): boolean {
  if (!(type instanceof Y.AbstractType)) return false
  let current: Y.AbstractType<unknown> = type
  while (current !== fragment) {
    const item = current._item
    if (item === null || item.deleted || !(item.parent instanceof Y.AbstractType)) return false
    current = item.parent
  }
  return true
}

/**
 * Carries what one copy of a document holds over to another copy that started from the server's
 * state, as new local edits of the second copy: the user's own edits survive a refusal that makes
 * the first copy unusable (its later changes all build on the refused one). Only what differs is
 * written, so that the server sees the user's edits again and nothing else:
 *
 * - rich text (a Y.XmlFragment) at the editor's level, the way the editor binding writes
 *   (y-prosemirror's `updateYFragment` diffs a ProseMirror document into the fragment); each
 *   top-level block that differs is carried over in its own transaction, so that the server can
 *   refuse one (a locked clause) and take the others;
 * - keyed entries (a Y.Map), each entry that differs in its own transaction, recursively: maps
 *   key by key, texts by their changed middle, arrays by their changed middle.
 *
 * Blocks and entries in the refused change's scope (refusedScope.ts) keep the target's version.
 */
import type { RootKind } from '@onetext/shared/documentRoots'
import type { Schema } from '@tiptap/pm/model'
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { EMPTY_SCOPE, type RefusedScope } from './refusedScope'

// biome-ignore lint/suspicious/noExplicitAny: Yjs types shared types' values as any
type AnyType = Y.AbstractType<any>

function bindingMeta() {
  return { mapping: new Map(), isOMark: new Map() }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** A new shared type holding what `source` holds (to insert where the target has none). */
function cloneValue(source: unknown): unknown {
  if (source instanceof Y.Map) {
    const copy = new Y.Map<unknown>()
    for (const [key, value] of source) copy.set(key, cloneValue(value))
    return copy
  }
  if (source instanceof Y.Array) {
    const copy = new Y.Array<unknown>()
    copy.push(source.toArray().map(cloneValue))
    return copy
  }
  if (source instanceof Y.Text) {
    const copy = new Y.Text()
    copy.applyDelta(source.toDelta())
    return copy
  }
  return source
}

/** Makes `target` hold `source`'s text, replacing only the middle that differs. */
function transferText(source: Y.Text, target: Y.Text): void {
  const from = source.toString()
  const to = target.toString()
  if (from === to) return
  let start = 0
  while (start < from.length && start < to.length && from[start] === to[start]) start++
  let end = 0
  while (
    end < from.length - start &&
    end < to.length - start &&
    from[from.length - 1 - end] === to[to.length - 1 - end]
  )
    end++
  target.delete(start, to.length - start - end)
  target.insert(start, from.slice(start, from.length - end))
}

/** Makes `target` hold `source`'s elements, replacing only the middle that differs. */
function transferArray(source: Y.Array<unknown>, target: Y.Array<unknown>): void {
  const from = source.toArray()
  const to = target.toArray()
  const same = (a: unknown, b: unknown) =>
    a instanceof Y.AbstractType || b instanceof Y.AbstractType
      ? a instanceof Y.AbstractType &&
        b instanceof Y.AbstractType &&
        sameJson(a.toJSON(), b.toJSON())
      : sameJson(a, b)
  let start = 0
  while (start < from.length && start < to.length && same(from[start], to[start])) start++
  let end = 0
  while (
    end < from.length - start &&
    end < to.length - start &&
    same(from[from.length - 1 - end], to[to.length - 1 - end])
  )
    end++
  if (start === from.length && start === to.length) return
  target.delete(start, to.length - start - end)
  target.insert(start, from.slice(start, from.length - end).map(cloneValue))
}

/** Makes `target[key]` hold `value` (recursing into a type of the same kind already there). */
function transferEntry(target: Y.Map<unknown>, key: string, value: unknown): void {
  const current = target.get(key)
  if (value instanceof Y.Map && current instanceof Y.Map) {
    for (const [innerKey, innerValue] of value) transferEntry(current, innerKey, innerValue)
    for (const innerKey of Array.from(current.keys()))
      if (!value.has(innerKey)) current.delete(innerKey)
  } else if (value instanceof Y.Text && current instanceof Y.Text) {
    transferText(value, current)
  } else if (value instanceof Y.Array && current instanceof Y.Array) {
    transferArray(value, current)
  } else if (value instanceof Y.AbstractType || current instanceof Y.AbstractType) {
    target.set(key, cloneValue(value))
  } else if (!sameJson(value, current)) {
    target.set(key, value)
  }
}

function transferMap(
  source: Y.Map<unknown>,
  target: Y.Map<unknown>,
  doc: Y.Doc,
  keep: ReadonlySet<string>,
): void {
  for (const [key, value] of source) {
    if (keep.has(key)) continue
    const current = target.get(key)
    const unchanged =
      value instanceof Y.AbstractType && current instanceof Y.AbstractType
        ? sameJson(value.toJSON(), current.toJSON())
        : !(value instanceof Y.AbstractType) &&
          !(current instanceof Y.AbstractType) &&
          sameJson(value, current)
    if (!unchanged) doc.transact(() => transferEntry(target, key, value))
  }
  for (const key of Array.from(target.keys()))
    if (!source.has(key) && !keep.has(key)) doc.transact(() => target.delete(key))
}

/**
 * Makes each block of `source` in `keep` hold what the same block (the same Yjs item) holds in
 * `target`, so that no path of the transfer writes anything into it. `source` is the copy being
 * given up: changing it costs nothing.
 */
function keepTargetBlocks(
  source: Y.XmlFragment,
  target: Y.XmlFragment,
  schema: Schema,
  keep: ReadonlySet<AnyType>,
): void {
  const doc = source.doc
  if (keep.size === 0 || !doc) return
  const kept = source.toArray().filter((block) => keep.has(block as AnyType))
  if (kept.length === 0) return
  const targetNode = yXmlFragmentToProseMirrorRootNode(target, schema)
  const targetBlocks = target.toArray()
  for (const block of kept) {
    const id = (block as AnyType)._item?.id
    const index = targetBlocks.findIndex((other) => {
      const otherId = (other as AnyType)._item?.id
      return !!id && !!otherId && Y.compareIDs(id, otherId)
    })
    if (index < 0 || index >= targetNode.childCount) continue
    doc.transact(() =>
      updateYFragment(
        doc,
        block as unknown as Y.XmlFragment,
        targetNode.child(index),
        bindingMeta(),
      ),
    )
  }
}

function transferRichText(
  source: Y.XmlFragment,
  target: Y.XmlFragment,
  doc: Y.Doc,
  schema: Schema,
  keep: ReadonlySet<AnyType>,
): void {
  keepTargetBlocks(source, target, schema, keep)
  const node = yXmlFragmentToProseMirrorRootNode(source, schema)
  const from = source.toArray()
  const to = target.toArray()
  const xml = (type: AnyType) => type.toString()
  let start = 0
  while (
    start < from.length &&
    start < to.length &&
    xml(from[start] as AnyType) === xml(to[start] as AnyType)
  )
    start++
  let end = 0
  while (
    end < from.length - start &&
    end < to.length - start &&
    xml(from[from.length - 1 - end] as AnyType) === xml(to[to.length - 1 - end] as AnyType)
  )
    end++
  const middle = from.length - start - end
  const pairwise =
    node.childCount === from.length &&
    middle === to.length - start - end &&
    from.slice(start, start + middle).every((child, index) => {
      const other = to[start + index]
      return (
        child instanceof Y.XmlElement &&
        other instanceof Y.XmlElement &&
        child.nodeName === other.nodeName &&
        node.child(start + index).type.name === child.nodeName
      )
    })
  if (!pairwise) {
    if (xml(source) !== xml(target))
      doc.transact(() => updateYFragment(doc, target, node, bindingMeta()))
    return
  }
  for (let index = start; index < start + middle; index++) {
    const element = to[index] as Y.XmlElement
    if (keep.has(from[index] as AnyType) || xml(from[index] as AnyType) === xml(element)) continue
    doc.transact(() =>
      updateYFragment(doc, element as unknown as Y.XmlFragment, node.child(index), bindingMeta()),
    )
  }
}

/**
 * Writes into `target` (as local transactions) whatever makes each of `roots` hold what it holds in
 * `source`. `schema` reads the rich text the way the editor does. What `keep` covers (blocks and
 * entries of `source`) is left as `target` has it.
 */
export function transferContent(
  source: Y.Doc,
  target: Y.Doc,
  roots: ReadonlyMap<string, RootKind>,
  schema: Schema,
  keep: RefusedScope = EMPTY_SCOPE,
): void {
  for (const [name, kind] of roots) {
    if (kind === 'xml') {
      transferRichText(
        source.getXmlFragment(name),
        target.getXmlFragment(name),
        target,
        schema,
        keep.blocks,
      )
    } else {
      transferMap(
        source.getMap(name),
        target.getMap(name),
        target,
        keep.entries.get(name) ?? new Set(),
      )
    }
  }
}

/**
 * The one way the editor's clause commands change the clause tree: flatten a run of clauses into
 * an outline (headings with a depth, and blocks), let a command edit the outline, nest the outline
 * back into clauses and replace only the nodes that changed. Unchanged paragraphs and whole
 * unchanged clause subtrees keep their node objects, so the Yjs binding rewrites only what moved.
 */
import { CLAUSE_HEADING_NODE, CLAUSE_NODE } from '@onetext/shared/clauses'
import { type Attrs, Fragment, type Node as ProseMirrorNode, Slice } from '@tiptap/pm/model'
import { TextSelection, type Transaction } from '@tiptap/pm/state'
import { keepsLockedClauses } from './clauseLocks'

/** A clause's heading in an outline: the clause opens here and holds what follows. */
export interface OutlineHeadingItem {
  kind: 'heading'
  /**
   * The depth asked for (1 an article, 2 a section, ...). Nesting attaches the clause to the
   * nearest open clause of a smaller depth, so a depth deeper than that clause's plus one is
   * shown one deeper than that clause.
   */
  depth: number
  /** The `clauseHeading` node. */
  heading: ProseMirrorNode
  /** The clause node's attributes (its clause id). */
  attrs: Attrs
  /** The clause this heading came from: reused whole when it is rebuilt unchanged. */
  source: ProseMirrorNode | null
  /** Where the heading node starts in the flattened document (absent for new items). */
  pos?: number
}

/** A block in an outline: the body of the heading before it, or the preamble before any. */
export interface OutlineBlockItem {
  kind: 'block'
  node: ProseMirrorNode
  /**
   * The depth of the clause the block belongs to (0 the document) when that is not the clause
   * opened last: a block after a clause's children (concurrent edits can leave one there) or a
   * closing block of the document after its clauses.
   */
  depth?: number
  /** Where the block starts in the flattened document (absent for new items). */
  pos?: number
}

/** One entry of a flattened clause run. */
export type OutlineItem = OutlineHeadingItem | OutlineBlockItem

/** What an outline edit returns: the new outline and, when given, where the caret goes. */
export interface OutlineEdit {
  items: OutlineItem[]
  /** The caret: at `offset` in the text of `item` (a heading, or a textblock's block). */
  caret?: { item: OutlineItem; offset: number }
}

/** A node or a fragment: what has children to flatten. */
export interface ChildList {
  readonly childCount: number
  child(index: number): ProseMirrorNode
}

/**
 * The outline of the children `from` to `to` (indices) of `container`, whose content starts at
 * `contentStart`; `depth` is the depth of clauses directly in `container` (1 in the document).
 */
export function flattenChildren(
  container: ChildList,
  contentStart: number,
  from: number,
  to: number,
  depth: number,
): OutlineItem[] {
  const items: OutlineItem[] = []
  const walk = (node: ChildList, start: number, index0: number, index1: number, d: number) => {
    let pos = start
    let afterClause = false
    for (let index = 0; index < index0; index++) pos += node.child(index).nodeSize
    for (let index = index0; index < index1; index++) {
      const child = node.child(index)
      if (child.type.name === CLAUSE_NODE) {
        afterClause = true
        const heading = child.firstChild
        if (heading?.type.name === CLAUSE_HEADING_NODE)
          items.push({
            kind: 'heading',
            depth: d,
            heading,
            attrs: child.attrs,
            source: child,
            pos: pos + 1,
          })
        const skip = heading?.type.name === CLAUSE_HEADING_NODE ? 1 : 0
        walk(child, pos + 1, skip, child.childCount, d + 1)
      } else if (afterClause) {
        items.push({ kind: 'block', node: child, pos, depth: d - 1 })
      } else {
        items.push({ kind: 'block', node: child, pos })
      }
      pos += child.nodeSize
    }
  }
  walk(container, contentStart, from, to, depth)
  return items
}

interface OpenClause {
  depth: number
  item: OutlineHeadingItem
  content: ProseMirrorNode[]
}

/**
 * Nests `items` into nodes whose top-level clauses are at `depth`: each heading opens a clause
 * under the nearest open clause of a smaller depth; blocks go to the clause opened last (or, before
 * any heading, to the top), or to the open clause of the depth they name. A clause rebuilt with the same attributes and children as its source
 * is its source. Items keep their document order.
 */
export function buildChildren(
  items: readonly OutlineItem[],
  depth: number,
  clauseType: ProseMirrorNode['type'],
): ProseMirrorNode[] {
  const top: ProseMirrorNode[] = []
  const open: OpenClause[] = []
  const close = () => {
    const done = open.pop() as OpenClause
    const { item, content } = done
    const source = item.source
    const fragment = Fragment.from(content)
    const node =
      source &&
      source.type === clauseType &&
      sameAttrs(source.attrs, item.attrs) &&
      source.content.eq(fragment)
        ? source
        : clauseType.create(item.attrs, fragment)
    const parent = open.at(-1)
    if (parent) parent.content.push(node)
    else top.push(node)
  }
  for (const item of items) {
    if (item.kind === 'block') {
      const owner = item.depth
      if (owner !== undefined)
        while (open.length > 0 && (open.at(-1) as OpenClause).depth > owner) close()
      const target = open.at(-1)
      if (target) target.content.push(item.node)
      else top.push(item.node)
      continue
    }
    while (open.length > 0 && (open.at(-1) as OpenClause).depth >= item.depth) close()
    open.push({ depth: open.length + depth, item, content: [item.heading] })
  }
  while (open.length > 0) close()
  return top
}

function sameAttrs(a: Attrs, b: Attrs): boolean {
  if (a === b) return true
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}

/** The clause depth of the clauses directly inside the node `$pos` points into. */
function childDepthAt(doc: ProseMirrorNode, pos: number): number {
  const $pos = doc.resolve(pos)
  let depth = 1
  for (let level = 1; level <= $pos.depth; level++)
    if ($pos.node(level).type.name === CLAUSE_NODE) depth++
  return depth
}

/**
 * Replaces the children of the node whose content starts at `contentStart` (`old` before, `next`
 * after) by the fewest nodes: equal leading and trailing nodes are kept, and a single changed
 * clause with the same attributes is descended into.
 */
function replaceChildren(
  tr: Transaction,
  contentStart: number,
  old: readonly ProseMirrorNode[],
  next: readonly ProseMirrorNode[],
): void {
  let start = 0
  while (start < old.length && start < next.length && old[start] === next[start]) start++
  let oldEnd = old.length
  let newEnd = next.length
  while (oldEnd > start && newEnd > start && old[oldEnd - 1] === next[newEnd - 1]) {
    oldEnd--
    newEnd--
  }
  if (start === oldEnd && start === newEnd) return
  let from = contentStart
  for (let index = 0; index < start; index++) from += (old[index] as ProseMirrorNode).nodeSize
  const a = old[start]
  const b = next[start]
  if (
    oldEnd - start === 1 &&
    newEnd - start === 1 &&
    a &&
    b &&
    a.type.name === CLAUSE_NODE &&
    a.sameMarkup(b)
  ) {
    replaceChildren(tr, from + 1, children(a), children(b))
    return
  }
  let to = from
  for (let index = start; index < oldEnd; index++) to += (old[index] as ProseMirrorNode).nodeSize
  tr.replaceWith(from, to, next.slice(start, newEnd))
}

function children(node: ProseMirrorNode): ProseMirrorNode[] {
  const list: ProseMirrorNode[] = []
  node.forEach((child) => {
    list.push(child)
  })
  return list
}

/** What {@link restructure} does besides the edit. */
export interface RestructureOptions {
  /** Clause ids that must come out unchanged (their subtrees too): refuse when one would change. */
  locked?: ReadonlySet<string>
  /** Decide only: leave `tr` alone (a command's `can()` check). */
  dryRun?: boolean
}

/**
 * Flattens the children of one node between `from` and `to` (positions between its children:
 * the document's content, or part of a clause's) into an outline, lets `edit` change it, nests the
 * result into clauses and puts them in place with the smallest replacement, then sets the caret
 * the edit asked for. Returns false, leaving `tr` alone, when `edit` returns null, nothing changes,
 * the result is not a valid document, or it would change a locked clause.
 */
export function restructure(
  tr: Transaction,
  from: number,
  to: number,
  edit: (items: OutlineItem[]) => OutlineEdit | null,
  options: RestructureOptions = {},
): boolean {
  const doc = tr.doc
  const $from = doc.resolve(from)
  const container = $from.parent
  const contentStart = $from.start()
  const fromIndex = $from.index()
  const toIndex = doc.resolve(to).index($from.depth)
  const depth = childDepthAt(doc, from)
  const items = flattenChildren(container, contentStart, fromIndex, toIndex, depth)
  const result = edit(items)
  if (!result) return false
  const clauseType = doc.type.schema.nodes[CLAUSE_NODE]
  if (!clauseType) return false
  const built = buildChildren(result.items, depth, clauseType)
  const old: ProseMirrorNode[] = []
  for (let index = fromIndex; index < toIndex; index++) old.push(container.child(index))
  if (old.length === built.length && old.every((node, index) => node === built[index])) return false
  let candidate: ProseMirrorNode
  try {
    candidate = doc.replace(from, to, new Slice(Fragment.from(built), 0, 0))
    candidate.check()
  } catch {
    return false
  }
  if (
    options.locked &&
    options.locked.size > 0 &&
    !keepsLockedClauses(doc, candidate, options.locked)
  )
    return false
  if (options.dryRun) return true
  replaceChildren(tr, from, old, built)
  if (result.caret) {
    const index = result.items.indexOf(result.caret.item)
    const within = candidate.resolve(from).parent
    const placed = flattenChildren(
      within,
      contentStart,
      fromIndex,
      fromIndex + built.length,
      depth,
    )[index]
    if (placed?.pos !== undefined) {
      const pos = Math.min(placed.pos + 1 + result.caret.offset, tr.doc.content.size)
      tr.setSelection(TextSelection.create(tr.doc, pos))
    }
  }
  return true
}

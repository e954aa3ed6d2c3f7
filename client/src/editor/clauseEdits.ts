/**
 * The clause commands as transaction edits (the `ClauseCommands` extension binds them to keys,
 * the toolbar and input rules). Each reads the selection of `tr`, changes the clause tree through
 * {@link restructure} and returns false, leaving `tr` alone, when it does not apply here or would
 * change a locked clause.
 */
import { CLAUSE_HEADING_NODE, CLAUSE_NODE, randomClauseId } from '@onetext/shared/clauses'
import type { Node as ProseMirrorNode, ResolvedPos } from '@tiptap/pm/model'
import { TextSelection, type Transaction } from '@tiptap/pm/state'
import { touchesLockedClause } from './clauseLocks'
import {
  type OutlineEdit,
  type OutlineHeadingItem,
  type OutlineItem,
  restructure,
} from './restructure'

/** What every clause edit is given: the locked clause ids, and whether to decide only. */
export interface ClauseEditContext {
  locked: ReadonlySet<string>
  /** Decide only, leave `tr` alone (a command's `can()` check). */
  dryRun: boolean
}

/** The number of clauses around the node at `level` of `$pos` (itself included). */
function clauseDepth($pos: ResolvedPos, level: number): number {
  let depth = 0
  for (let index = 1; index <= level; index++)
    if ($pos.node(index).type.name === CLAUSE_NODE) depth++
  return depth
}

/** The caret's position when the selection is a caret in a clause heading, else null. */
function headingCaret(tr: Transaction): ResolvedPos | null {
  const { $from, $to } = tr.selection
  if ($from.parent.type.name !== CLAUSE_HEADING_NODE || !$from.sameParent($to)) return null
  return $from
}

/** True when the clause whose heading `$heading` is in (or one around or inside it) is locked. */
function headingLocked($heading: ResolvedPos, locked: ReadonlySet<string>): boolean {
  const clauseLevel = $heading.depth - 1
  return touchesLockedClause(
    $heading.doc.resolve($heading.before(clauseLevel)),
    $heading.node(clauseLevel),
    locked,
  )
}

function editDocument(
  tr: Transaction,
  context: ClauseEditContext,
  edit: (items: OutlineItem[]) => OutlineEdit | null,
): boolean {
  return restructure(tr, 0, tr.doc.content.size, edit, context)
}

/** The heading of a new clause, with a fresh clause id. */
function newHeading(depth: number, heading: ProseMirrorNode): OutlineHeadingItem {
  return { kind: 'heading', depth, heading, attrs: { clauseId: randomClauseId() }, source: null }
}

/** The index where the subtree of the heading at `index` ends (the next heading not deeper). */
function subtreeEnd(items: readonly OutlineItem[], index: number): number {
  const start = items[index] as OutlineHeadingItem
  let end = index + 1
  while (end < items.length) {
    const item = items[end] as OutlineItem
    if (item.kind === 'heading' && item.depth <= start.depth) break
    end++
  }
  return end
}

/**
 * Enter in a clause: in a clause heading, at its end (or in an empty heading) a new empty first
 * body paragraph; in its middle, the rest of the heading becomes that first body paragraph (the
 * clause keeps its identity and its children; Word would make a sibling heading, but a legal text's
 * heading runs into its body far more often than it needs a new article); at the start of a
 * non-empty heading, an empty paragraph before the clause (the end of what precedes it), the caret
 * staying in the heading. In an empty paragraph that is the last body block of a clause, that
 * paragraph becomes the heading of a new clause: the clause's first child when it has children,
 * else its next sibling.
 */
export function enterInClause(tr: Transaction, context: ClauseEditContext): boolean {
  const { selection } = tr
  if (!selection.empty) {
    // Words selected within one heading are replaced by the break, as in any other text.
    if (!headingCaret(tr) || headingLocked(selection.$from, context.locked)) return false
    if (context.dryRun) return true
    tr.deleteSelection()
  }
  const $pos = tr.selection.$from
  const schema = tr.doc.type.schema
  const paragraph = schema.nodes.paragraph
  const clauseHeading = schema.nodes[CLAUSE_HEADING_NODE]
  if (!paragraph || !clauseHeading) return false
  if ($pos.parent.type === clauseHeading) {
    if (headingLocked($pos, context.locked)) return false
    const offset = $pos.parentOffset
    const size = $pos.parent.content.size
    if (offset === 0 && size > 0) {
      const at = $pos.before()
      return editDocument(tr, context, (items) => {
        const index = items.findIndex((item) => item.pos === at)
        const heading = items[index]
        if (!heading) return null
        const next = [...items]
        next.splice(index, 0, { kind: 'block', node: paragraph.create() })
        return { items: next, caret: { item: heading, offset: 0 } }
      })
    }
    if (context.dryRun) return true
    if (offset === size) {
      const after = $pos.after()
      tr.insert(after, paragraph.create())
      tr.setSelection(TextSelection.create(tr.doc, after + 1))
    } else {
      tr.split($pos.pos, 1, [{ type: paragraph }])
      tr.setSelection(TextSelection.create(tr.doc, $pos.pos + 2))
    }
    return true
  }
  if ($pos.parent.type !== paragraph || $pos.parent.content.size > 0 || $pos.depth < 2) return false
  const clause = $pos.node(-1)
  if (clause.type.name !== CLAUSE_NODE) return false
  const following = clause.maybeChild($pos.index(-1) + 1)
  if (following && following.type.name !== CLAUSE_NODE) return false
  const depth = clauseDepth($pos, $pos.depth - 1)
  const hasChildren = clause.lastChild?.type.name === CLAUSE_NODE
  const at = $pos.before()
  return editDocument(tr, context, (items) => {
    const index = items.findIndex((item) => item.pos === at)
    if (index < 0) return null
    const heading = newHeading(hasChildren ? depth + 1 : depth, clauseHeading.create())
    const next = [...items]
    next.splice(index, 1, heading)
    return { items: next, caret: { item: heading, offset: 0 } }
  })
}

/**
 * Dissolves the clause whose heading starts at `headingPos`: its heading text joins the textblock
 * before it (the last body paragraph of what precedes, a heading without body, a preamble
 * paragraph or the title), its body follows that, and its children become children of its
 * previous sibling (or rise a level when it has none). With a list, table or nothing before it,
 * the heading becomes a paragraph there instead (refused when the document would be invalid). The
 * caret goes to the join.
 */
export function dissolveClause(
  tr: Transaction,
  headingPos: number,
  context: ClauseEditContext,
): boolean {
  const paragraph = tr.doc.type.schema.nodes.paragraph
  if (!paragraph) return false
  return editDocument(tr, context, (items) => {
    const index = items.findIndex((item) => item.kind === 'heading' && item.pos === headingPos)
    const dissolved = items[index]
    if (dissolved?.kind !== 'heading') return null
    const text = dissolved.heading.content
    const before = items[index - 1]
    const next = [...items]
    if (before?.kind === 'heading') {
      const joined: OutlineHeadingItem = {
        ...before,
        heading: before.heading.copy(before.heading.content.append(text)),
      }
      next.splice(index - 1, 2, joined)
      return { items: next, caret: { item: joined, offset: before.heading.content.size } }
    }
    if (
      before?.node.isTextblock &&
      before.node.type.validContent(before.node.content.append(text))
    ) {
      const joined: OutlineItem = {
        kind: 'block',
        node: before.node.copy(before.node.content.append(text)),
      }
      next.splice(index - 1, 2, joined)
      return { items: next, caret: { item: joined, offset: before.node.content.size } }
    }
    const block: OutlineItem = { kind: 'block', node: paragraph.create(null, text) }
    next.splice(index, 1, block)
    return { items: next, caret: { item: block, offset: 0 } }
  })
}

/** Backspace at the start of a clause heading: {@link dissolveClause}. */
export function joinClauseBackward(tr: Transaction, context: ClauseEditContext): boolean {
  const { selection } = tr
  const $pos = selection.$from
  if (!selection.empty || $pos.parent.type.name !== CLAUSE_HEADING_NODE || $pos.parentOffset > 0)
    return false
  return dissolveClause(tr, $pos.before(), context)
}

/** The position of the clause that starts right after the textblock `$pos` is in, if one does. */
function clauseAfter($pos: ResolvedPos): number | null {
  let level = $pos.depth
  let pos = $pos.after(level)
  for (;;) {
    if ($pos.doc.resolve(pos).nodeAfter?.type.name === CLAUSE_NODE) return pos
    if (level <= 1 || pos !== $pos.end(level - 1)) return null
    level--
    pos = $pos.after(level)
  }
}

/** Delete at the end of the textblock right before a clause heading: {@link dissolveClause}. */
export function joinClauseForward(tr: Transaction, context: ClauseEditContext): boolean {
  const { selection } = tr
  const $pos = selection.$from
  if (!selection.empty || !$pos.parent.isTextblock || $pos.parentOffset < $pos.parent.content.size)
    return false
  const clausePos = clauseAfter($pos)
  return clausePos === null ? false : dissolveClause(tr, clausePos + 1, context)
}

/** Moves the subtree of the heading at `index` by `delta` levels. */
function shiftSubtree(items: OutlineItem[], index: number, delta: number): OutlineEdit {
  const end = subtreeEnd(items, index)
  const root = (items[index] as OutlineHeadingItem).depth
  // Headings move, and so do blocks placed by depth inside the subtree (after some children).
  const next = items.map((item, position) =>
    position >= index && position < end && item.depth !== undefined && item.depth >= root
      ? { ...item, depth: item.depth + delta }
      : item,
  )
  return { items: next, caret: { item: next[index] as OutlineItem, offset: 0 } }
}

/**
 * The clause whose heading holds the caret moves to `depth` with its whole subtree (a promoted
 * clause takes its later siblings as children; a demoted one becomes the last child of its
 * previous sibling, and cannot go deeper than that).
 */
function setHeadingDepth(tr: Transaction, depth: number, context: ClauseEditContext): boolean {
  const $pos = headingCaret(tr)
  if (!$pos) return false
  const current = clauseDepth($pos, $pos.depth - 1)
  const target = Math.max(1, depth)
  if (target === current) return false
  const at = $pos.before()
  const offset = $pos.parentOffset
  return editDocument(tr, context, (items) => {
    const index = items.findIndex((item) => item.kind === 'heading' && item.pos === at)
    if (index < 0) return null
    const edit = shiftSubtree(items, index, target - current)
    return { ...edit, caret: { item: edit.items[index] as OutlineItem, offset } }
  })
}

/**
 * Makes a heading at `depth` (1 article, 2 section, 3 sub-section). On a body or preamble
 * paragraph: the paragraph becomes the heading of a new clause (at most one deeper than the clause
 * around it), the blocks after it its body, and the child clauses after it stay under the clause
 * the depth puts them in. On a clause heading: the clause moves to that depth with its subtree.
 */
export function setClauseHeading(
  tr: Transaction,
  depth: number,
  context: ClauseEditContext,
): boolean {
  if (headingCaret(tr)) return setHeadingDepth(tr, depth, context)
  const { $from, $to } = tr.selection
  const schema = tr.doc.type.schema
  const clauseHeading = schema.nodes[CLAUSE_HEADING_NODE]
  if (!clauseHeading || !$from.sameParent($to) || $from.parent.type.name !== 'paragraph')
    return false
  const container = $from.node(-1)
  if ($from.depth < 1 || (container.type.name !== CLAUSE_NODE && container !== tr.doc)) return false
  const enclosing = clauseDepth($from, $from.depth - 1)
  const target = Math.min(Math.max(1, depth), enclosing + 1)
  const at = $from.before()
  const offset = $from.parentOffset
  return editDocument(tr, context, (items) => {
    const index = items.findIndex((item) => item.kind === 'block' && item.pos === at)
    const block = items[index]
    if (block?.kind !== 'block') return null
    const heading = newHeading(target, clauseHeading.create(null, block.node.content))
    const next = [...items]
    next.splice(index, 1, heading)
    return { items: next, caret: { item: heading, offset } }
  })
}

/**
 * The clause heading holding the caret becomes a plain paragraph where it is: the clause's body
 * follows it and its children are re-nested as {@link dissolveClause} does.
 */
export function unsetClauseHeading(tr: Transaction, context: ClauseEditContext): boolean {
  const $pos = headingCaret(tr)
  const paragraph = tr.doc.type.schema.nodes.paragraph
  if (!$pos || !paragraph) return false
  const at = $pos.before()
  const offset = $pos.parentOffset
  return editDocument(tr, context, (items) => {
    const index = items.findIndex((item) => item.kind === 'heading' && item.pos === at)
    const heading = items[index]
    if (heading?.kind !== 'heading') return null
    const block: OutlineItem = {
      kind: 'block',
      node: paragraph.create(null, heading.heading.content),
    }
    const next = [...items]
    next.splice(index, 1, block)
    return { items: next, caret: { item: block, offset } }
  })
}

/**
 * Demote (Tab in a clause heading): the clause, with its subtree, becomes the last child of its
 * previous sibling. False for a first child.
 */
export function demoteClause(tr: Transaction, context: ClauseEditContext): boolean {
  const $pos = headingCaret(tr)
  if (!$pos) return false
  const level = $pos.depth - 1
  if ($pos.index(level - 1) === 0) return false
  const previous = $pos.node(level - 1).child($pos.index(level - 1) - 1)
  if (previous.type.name !== CLAUSE_NODE) return false
  return setHeadingDepth(tr, clauseDepth($pos, level) + 1, context)
}

/**
 * Promote (Shift-Tab in a clause heading): the clause moves up one level, after its parent, and its
 * later siblings become its children (after its own). False at the top level.
 */
export function promoteClause(tr: Transaction, context: ClauseEditContext): boolean {
  const $pos = headingCaret(tr)
  if (!$pos) return false
  const depth = clauseDepth($pos, $pos.depth - 1)
  return depth > 1 && setHeadingDepth(tr, depth - 1, context)
}

/**
 * Swaps the clause whose heading holds the caret (with its children) with its previous (`-1`) or
 * next (`1`) sibling clause, keeping the caret where it was in the heading. False when there is no
 * such sibling or either clause (or one inside or around them) is locked.
 */
export function moveClause(
  tr: Transaction,
  direction: -1 | 1,
  context: ClauseEditContext,
): boolean {
  const $pos = headingCaret(tr)
  if (!$pos) return false
  const level = $pos.depth - 1
  const parent = $pos.node(level - 1)
  const index = $pos.index(level - 1)
  const otherIndex = index + direction
  const other = parent.maybeChild(otherIndex)
  if (!other || other.type.name !== CLAUSE_NODE) return false
  const clausePos = $pos.before(level)
  const otherPos = direction < 0 ? clausePos - other.nodeSize : $pos.after(level)
  const doc = tr.doc
  if (
    headingLocked($pos, context.locked) ||
    touchesLockedClause(doc.resolve(otherPos), other, context.locked)
  )
    return false
  const from = Math.min(clausePos, otherPos)
  const to = from + other.nodeSize + $pos.node(level).nodeSize
  const offset = $pos.parentOffset
  return restructure(
    tr,
    from,
    to,
    (items) => {
      const second = items.findIndex(
        (item, position) =>
          position > 0 &&
          item.kind === 'heading' &&
          item.depth === (items[0] as OutlineHeadingItem).depth,
      )
      if (second < 0) return null
      const moved = items.find((item) => item.pos === $pos.before()) as OutlineItem
      const next = [...items.slice(second), ...items.slice(0, second)]
      return { items: next, caret: { item: moved, offset } }
    },
    context,
  )
}

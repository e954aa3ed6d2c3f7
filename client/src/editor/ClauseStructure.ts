/**
 * The working draft's clause structure in the editor: each clause's number shown before its heading
 * (3, 3.1, 3.1(a), computed from its place in the clause tree, never stored), the heading's level
 * told to screen readers and styles, a unique clause id on every clause, and tentatively agreed
 * clauses made read-only (the server refuses such edits anyway; this keeps people from typing
 * words that would be refused).
 */
import {
  CLAUSE_ID_ATTRIBUTE,
  CLAUSE_ID_PATTERN,
  CLAUSE_NODE,
  clauseLevel,
  randomClauseId,
} from '@onetext/shared/clauses'
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import {
  AddMarkStep,
  AttrStep,
  RemoveMarkStep,
  ReplaceAroundStep,
  ReplaceStep,
  type Step,
} from '@tiptap/pm/transform'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { lockNoteElement } from '../components/lockNote'
import {
  clauseIdOfNode,
  forEachClauseNode,
  headingTextStart,
  touchesSkeleton,
} from './clauseSkeleton'
import { isRemoteTransaction } from './remoteTransaction'

const numberingKey = new PluginKey<DecorationSet>('clauseNumbering')

/**
 * Characters on a line of the text's column, roughly: Georgia at 1.05rem in the 46rem column of a
 * wide window sets about 105; fewer in a narrower one.
 */
const CHARACTERS_PER_LINE = 95
/** Height of a line (1.5em), in em, with the space between blocks and headings spread over them. */
const LINE_EM = 1.9
/** Estimates are rounded up to a multiple of this, in em (so that typing rarely changes them). */
const ESTIMATE_STEP_EM = 10

/**
 * The height, in em, the browser assumes for a top-level clause it has not laid out yet (it skips
 * the layout of clauses far from the viewport): its text's lines at the column's width. Without it
 * every such clause would count the same, and the scroll bar and a jump to a far clause would be
 * off until the text between had been seen; once laid out, the browser keeps the real height.
 */
export function clauseEstimateEm(clause: ProseMirrorNode): number {
  const em = (clause.content.size / CHARACTERS_PER_LINE) * LINE_EM + 4
  return Math.ceil(em / ESTIMATE_STEP_EM) * ESTIMATE_STEP_EM
}

/** The number widget shown at the start of a clause's heading. */
function numberWidget(pos: number, number: string): Decoration {
  return Decoration.widget(
    headingTextStart(pos),
    () => {
      const span = document.createElement('span')
      span.className = 'clause-number'
      span.textContent = `${number}. `
      span.contentEditable = 'false'
      return span
    },
    { side: -1, key: `n-${number}` },
  )
}

/**
 * The decorations of the clause tree of `doc`: numbers, heading levels, size estimates of the
 * top-level clauses, and the shading and note of each locked clause (the outermost one of a
 * locked subtree; its children are locked with it).
 */
export function clauseDecorations(
  doc: ProseMirrorNode,
  locked: ReadonlySet<string>,
): DecorationSet {
  const decorations: Decoration[] = []
  /** The depth of the locked clause being walked through, or 0 outside one. */
  let lockedDepth = 0
  forEachClauseNode(doc, ({ node, pos, depth, number }) => {
    if (lockedDepth >= depth) lockedDepth = 0
    const heading = node.firstChild
    const level = clauseLevel(depth)
    if (heading) {
      decorations.push(
        Decoration.node(pos + 1, pos + 1 + heading.nodeSize, {
          'aria-level': String(level),
          class: `level-${level}`,
        }),
      )
    }
    decorations.push(numberWidget(pos, number))
    const attributes: Record<string, string> = {}
    if (depth === 1) attributes.style = `--clause-estimate: ${clauseEstimateEm(node)}em`
    const id = clauseIdOfNode(node)
    if (lockedDepth === 0 && id !== null && locked.has(id)) {
      lockedDepth = depth
      attributes.class = 'clause-locked'
      // A locked clause says so in words and with an icon, above its heading, not by tint alone.
      decorations.push(Decoration.widget(pos + 1, lockNoteElement, { side: -1, key: `lock-${id}` }))
    }
    if (Object.keys(attributes).length > 0)
      decorations.push(Decoration.node(pos, pos + node.nodeSize, attributes))
    return undefined
  })
  return DecorationSet.create(doc, decorations)
}

/** The document before step `index` of `transaction` and after it. */
function stepDocs(transaction: Transaction, index: number): [ProseMirrorNode, ProseMirrorNode] {
  const before = transaction.docs[index] as ProseMirrorNode
  return [before, transaction.docs[index + 1] ?? transaction.doc]
}

/** True when `step` (applied to `before`, giving `after`) may change the clause skeleton. */
function stepTouchesSkeleton(step: Step, before: ProseMirrorNode, after: ProseMirrorNode): boolean {
  if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) return false
  if (step instanceof AttrStep) return before.nodeAt(step.pos)?.type.name === CLAUSE_NODE
  if (!(step instanceof ReplaceStep || step instanceof ReplaceAroundStep)) return true
  let touches = false
  step.getMap().forEach((oldStart, oldEnd, newStart, newEnd) => {
    if (touches) return
    touches = touchesSkeleton(before, oldStart, oldEnd) || touchesSkeleton(after, newStart, newEnd)
  })
  return touches
}

/**
 * False only when `transaction` surely left the clause skeleton alone (typing in a paragraph or in
 * a heading's text, the common case): then the numbering needs no new walk of the clauses and its
 * decorations are mapped. A step whose range touches where a clause or a clause heading starts or
 * ends, or that sets a clause's attributes, counts as changing it.
 */
export function skeletonMayHaveChanged(transaction: Transaction): boolean {
  if (!transaction.docChanged) return false
  return transaction.steps.some((step, index) =>
    stepTouchesSkeleton(step, ...stepDocs(transaction, index)),
  )
}

/** True when `step` replaces text inside one textblock with inline content (typing, deleting). */
function withinOneTextblock(step: Step, before: ProseMirrorNode): boolean {
  if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) return true
  if (!(step instanceof ReplaceStep)) return false
  if (step.slice.openStart !== 0 || step.slice.openEnd !== 0) return false
  const $from = before.resolve(step.from)
  return $from.parent.isTextblock && $from.sameParent(before.resolve(step.to))
}

/** True when some step of a local transaction of `transactions` reaches past one textblock. */
function wideLocalChange(transactions: readonly Transaction[]): boolean {
  return transactions.some(
    (transaction) =>
      transaction.docChanged &&
      !isRemoteTransaction(transaction) &&
      transaction.steps.some(
        (step, index) => !withinOneTextblock(step, transaction.docs[index] as ProseMirrorNode),
      ),
  )
}

/** The clause node holding each clause id in `doc` (the first, when several hold one). */
function clauseNodesById(doc: ProseMirrorNode): Map<string, ProseMirrorNode> {
  const nodes = new Map<string, ProseMirrorNode>()
  forEachClauseNode(doc, ({ node }) => {
    const id = clauseIdOfNode(node)
    if (id !== null && !nodes.has(id)) nodes.set(id, node)
    return undefined
  })
  return nodes
}

/**
 * The transaction that gives every clause of `state` without a valid, unique clause id a fresh one
 * (null when none needs one). Of several clauses holding one id, the one that is the very clause
 * node that held it in `before` keeps it (a pasted copy of a clause, wherever it lands, is the one
 * renumbered); when none is, the first holder keeps it.
 */
export function clauseIdTransaction(
  before: ProseMirrorNode,
  state: EditorState,
): Transaction | null {
  const holders = new Map<string, ProseMirrorNode[]>()
  const needing: Array<{ node: ProseMirrorNode; pos: number }> = []
  forEachClauseNode(state.doc, ({ node, pos }) => {
    const id = clauseIdOfNode(node)
    if (id === null || !CLAUSE_ID_PATTERN.test(id)) needing.push({ node, pos })
    else holders.set(id, [...(holders.get(id) ?? []), node])
    return undefined
  })
  const duplicated = [...holders].filter(([, nodes]) => nodes.length > 1)
  if (needing.length === 0 && duplicated.length === 0) return null
  const keepers = new Set<ProseMirrorNode>()
  const previous = duplicated.length > 0 ? clauseNodesById(before) : new Map()
  for (const [id, nodes] of duplicated) {
    const old = previous.get(id)
    keepers.add(nodes.find((node) => node === old) ?? (nodes[0] as ProseMirrorNode))
  }
  const taken = new Set(holders.keys())
  const transaction = state.tr
  forEachClauseNode(state.doc, ({ node, pos }) => {
    const id = clauseIdOfNode(node)
    const unique = id !== null && holders.get(id)?.length === 1
    if (id !== null && CLAUSE_ID_PATTERN.test(id) && (unique || keepers.has(node))) return undefined
    let fresh = randomClauseId()
    while (taken.has(fresh)) fresh = randomClauseId()
    taken.add(fresh)
    transaction.setNodeAttribute(pos, CLAUSE_ID_ATTRIBUTE, fresh)
    return undefined
  })
  return transaction
}

/** Each locked clause of `doc` by id: its node and the id of the clause it is a child of. */
function lockedClauseNodes(
  doc: ProseMirrorNode,
  locked: ReadonlySet<string>,
): Map<string, { node: ProseMirrorNode; parentId: string | null }> {
  const found = new Map<string, { node: ProseMirrorNode; parentId: string | null }>()
  forEachClauseNode(doc, ({ node, parentId }) => {
    const id = clauseIdOfNode(node)
    if (id !== null && locked.has(id) && !found.has(id)) found.set(id, { node, parentId })
    return undefined
  })
  return found
}

/**
 * True when every locked clause of `before` is, in `after`, the very same node (heading, body and
 * child clauses untouched) under the same parent clause: the check the server's draft guard makes
 * on the Yjs side. ProseMirror reuses every node a change leaves alone, so this is cheap.
 */
export function sameLockedClauses(
  before: ProseMirrorNode,
  after: ProseMirrorNode,
  locked: ReadonlySet<string>,
): boolean {
  const was = lockedClauseNodes(before, locked)
  if (was.size === 0) return true
  const now = lockedClauseNodes(after, locked)
  for (const [id, { node, parentId }] of was) {
    const other = now.get(id)
    if (!other || other.node !== node || other.parentId !== parentId) return false
  }
  return true
}

/** Options: which clauses are locked (read on every transaction). */
export interface ClauseStructureOptions {
  /** The clause ids of the tentatively agreed clauses; default none. */
  lockedClauses: () => ReadonlySet<string>
  /** Called when a local edit is refused because it would change a locked clause; default nothing. */
  onLockedEdit: () => void
}

/**
 * The clause tree's numbering, heading levels, clause ids and locks for an editor of a numbered
 * text (the working draft, a local supplement). Remote changes are neither refused nor given ids
 * here: the server guards and fixes those.
 */
export const ClauseStructure = Extension.create<ClauseStructureOptions>({
  name: 'clauseStructure',
  addOptions() {
    return { lockedClauses: () => new Set<string>(), onLockedEdit: () => {} }
  },
  addProseMirrorPlugins() {
    const locked = () => this.options.lockedClauses()
    const refused = () => this.options.onLockedEdit()
    return [
      new Plugin<DecorationSet>({
        key: numberingKey,
        state: {
          init: (_, state) => clauseDecorations(state.doc, locked()),
          apply: (transaction, value, _old, state) => {
            if (transaction.getMeta(numberingKey) || skeletonMayHaveChanged(transaction))
              return clauseDecorations(state.doc, locked())
            return transaction.docChanged ? value.map(transaction.mapping, state.doc) : value
          },
        },
        props: {
          decorations: (state) => numberingKey.getState(state),
        },
        // A local edit may leave every locked clause exactly as it was, where it was.
        filterTransaction: (transaction, state) => {
          if (!transaction.docChanged || isRemoteTransaction(transaction)) return true
          const lockedIds = locked()
          if (lockedIds.size === 0) return true
          if (sameLockedClauses(state.doc, transaction.doc, lockedIds)) return true
          refused()
          return false
        },
        // New clauses (typed, pasted or split off) and pasted copies get a fresh clause id.
        appendTransaction: (transactions, oldState, state) =>
          wideLocalChange(transactions) ? clauseIdTransaction(oldState.doc, state) : null,
      }),
    ]
  },
})

/** Asks the numbering plugin to redraw (after the locked set changed). */
export function refreshClauseDecorations(view: {
  state: { tr: Transaction }
  dispatch: (tr: Transaction) => void
}): void {
  view.dispatch(view.state.tr.setMeta(numberingKey, true))
}

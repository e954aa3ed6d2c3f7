/**
 * The working draft's clause structure in the editor: clause numbers shown before headings
 * (1, 1.1, 1.1(a), computed, never stored), a stable clause id given to every new numbered heading,
 * and tentatively agreed clauses made read-only (the server refuses such edits anyway; this keeps
 * people from typing words that would be refused).
 */
import { CLAUSE_ID_ATTRIBUTE, ClauseNumberer, randomClauseId } from '@onetext/shared/clauses'
import { SEGMENT_NODE } from '@onetext/shared/segments'
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { ReplaceAroundStep, ReplaceStep } from '@tiptap/pm/transform'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { lockNoteElement } from '../components/lockNote'
import { isRemoteTransaction } from './remoteTransaction'
import { forEachTopBlock, topBlockCount } from './topBlocks'

const numberingKey = new PluginKey<DecorationSet>('clauseNumbering')

/** The blocks of each locked clause (its heading to the next heading), keyed by clause id. */
function lockedClauseBlocks(
  doc: ProseMirrorNode,
  locked: ReadonlySet<string>,
): Map<string, ProseMirrorNode[]> {
  const blocks = new Map<string, ProseMirrorNode[]>()
  let current: ProseMirrorNode[] | null = null
  forEachTopBlock(doc, (node) => {
    if (node.type.name === 'heading') {
      const id = node.attrs[CLAUSE_ID_ATTRIBUTE]
      const clause = Number(node.attrs.level) >= 2 && typeof id === 'string' ? id : null
      current = clause !== null && locked.has(clause) ? [] : null
      if (current && clause !== null) blocks.set(clause, current)
    }
    current?.push(node)
  })
  return blocks
}

/**
 * True when every locked clause has the same blocks in `after` as in `before` (the check the
 * server's draft guard makes on the Yjs side). Unchanged blocks are the same node objects, so
 * this is cheap.
 */
export function sameLockedClauses(
  before: ProseMirrorNode,
  after: ProseMirrorNode,
  locked: ReadonlySet<string>,
): boolean {
  const was = lockedClauseBlocks(before, locked)
  const now = lockedClauseBlocks(after, locked)
  if (was.size !== now.size) return false
  for (const [id, blocks] of was) {
    const other = now.get(id)
    if (!other || other.length !== blocks.length) return false
    if (
      blocks.some(
        (block, index) => block !== other[index] && !block.eq(other[index] as ProseMirrorNode),
      )
    )
      return false
  }
  return true
}

function numberDecorations(doc: ProseMirrorNode, locked: ReadonlySet<string>): DecorationSet {
  const numberer = new ClauseNumberer()
  const decorations: Decoration[] = []
  forEachTopBlock(doc, (node, offset) => {
    if (node.type.name !== 'heading') return
    const number = numberer.next(Number(node.attrs.level))
    if (number === null) return
    decorations.push(
      Decoration.widget(
        offset + 1,
        () => {
          const span = document.createElement('span')
          span.className = 'clause-number'
          span.textContent = `${number}. `
          span.contentEditable = 'false'
          return span
        },
        { side: -1, key: `n-${number}` },
      ),
    )
  })
  let current: string | null = null
  forEachTopBlock(doc, (node, offset) => {
    if (node.type.name === 'heading') {
      const id = node.attrs[CLAUSE_ID_ATTRIBUTE]
      current = Number(node.attrs.level) >= 2 && typeof id === 'string' ? id : null
      // A locked clause says so in words and with an icon, above its heading, not by tint alone.
      if (current !== null && locked.has(current))
        decorations.push(
          Decoration.widget(offset, lockNoteElement, { side: -1, key: `lock-${current}` }),
        )
    }
    if (current !== null && locked.has(current)) {
      decorations.push(Decoration.node(offset, offset + node.nodeSize, { class: 'clause-locked' }))
    }
  })
  return DecorationSet.create(doc, decorations)
}

/** True when a top-level block (in a segment or not) between `from` and `to` of `doc` is a heading. */
function headingBetween(doc: ProseMirrorNode, from: number, to: number): boolean {
  let found = false
  doc.nodesBetween(Math.max(0, from), Math.min(doc.content.size, Math.max(from, to)), (node) => {
    if (node.type.name === 'heading') found = true
    return node.type.name === SEGMENT_NODE
  })
  return found
}

/**
 * False only when `transaction` surely left every heading alone (typing in a paragraph, the common
 * case): then the clause numbers and ids need no new walk of the whole document and the
 * decorations are mapped. Steps other than replacements (attribute changes) count as touching.
 */
export function headingsMayHaveChanged(transaction: Transaction): boolean {
  if (!transaction.docChanged) return false
  if (topBlockCount(transaction.before) !== topBlockCount(transaction.doc)) return true
  return transaction.steps.some((step, index) => {
    if (!(step instanceof ReplaceStep || step instanceof ReplaceAroundStep)) return true
    const before = transaction.docs[index] as ProseMirrorNode
    const after = transaction.docs[index + 1] ?? transaction.doc
    let touches = false
    step.getMap().forEach((oldStart, oldEnd, newStart, newEnd) => {
      if (headingBetween(before, oldStart, oldEnd) || headingBetween(after, newStart, newEnd))
        touches = true
    })
    return touches
  })
}

/** The clause id `node` holds when it is a heading with one, else null. */
function headingClauseId(node: ProseMirrorNode): string | null {
  const id = node.attrs[CLAUSE_ID_ATTRIBUTE]
  return node.type.name === 'heading' && typeof id === 'string' && id !== '' ? id : null
}

/** Where each numbered heading of `before` that has a clause id starts after `transactions`. */
function previousIds(
  transactions: readonly Transaction[],
  before: ProseMirrorNode,
): Map<number, string> {
  const previous = new Map<number, string>()
  forEachTopBlock(before, (node, offset) => {
    const id = headingClauseId(node)
    if (id === null) return
    let pos = offset
    for (const transaction of transactions) pos = transaction.mapping.map(pos, -1)
    previous.set(pos, id)
  })
  return previous
}

/** The clause ids the headings of `doc` hold. */
function headingIds(doc: ProseMirrorNode): Set<string> {
  const ids = new Set<string>()
  forEachTopBlock(doc, (node) => {
    const id = headingClauseId(node)
    if (id !== null) ids.add(id)
  })
  return ids
}

/**
 * The transaction that gives every numbered heading of `state` without a unique clause id one
 * (null when none lacks it). A heading that had an id before `transactions` and lost it in place
 * gets it back, as long as no other heading holds it now: Markdown's "## " typed at the start of a
 * heading sets the block type with a level alone, dropping the id, and the clause must keep its
 * identity. Any other heading without an id (typed, pasted, the second half of a split) gets a
 * fresh one.
 */
export function clauseIdTransaction(
  transactions: readonly Transaction[],
  before: ProseMirrorNode,
  state: EditorState,
): Transaction | null {
  // Read only when some heading lacks an id (typing in a heading walks no further).
  let previous: Map<number, string> | null = null
  let present: Set<string> | null = null
  const seen = new Set<string>()
  let transaction: Transaction | null = null
  forEachTopBlock(state.doc, (node, offset) => {
    if (node.type.name !== 'heading' || Number(node.attrs.level) < 2) return
    const id = headingClauseId(node)
    if (id !== null && !seen.has(id)) {
      seen.add(id)
      return
    }
    previous ??= previousIds(transactions, before)
    present ??= headingIds(state.doc)
    const lost = id ? undefined : previous.get(offset)
    const given = lost && !present.has(lost) && !seen.has(lost) ? lost : randomClauseId()
    seen.add(given)
    transaction ??= state.tr
    transaction.setNodeAttribute(offset, CLAUSE_ID_ATTRIBUTE, given)
  })
  return transaction
}

/** Options: which clauses are locked (read on every transaction). */
export interface ClauseStructureOptions {
  lockedClauses: () => ReadonlySet<string>
  /** Called when a local edit is refused because it would change a locked clause. */
  onLockedEdit: () => void
}

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
          init: (_, state) => numberDecorations(state.doc, locked()),
          apply: (transaction, value, _old, state) => {
            if (transaction.getMeta(numberingKey) || headingsMayHaveChanged(transaction))
              return numberDecorations(state.doc, locked())
            return transaction.docChanged ? value.map(transaction.mapping, state.doc) : value
          },
        },
        props: {
          decorations: (state) => numberingKey.getState(state),
        },
        // Local edits may not touch locked clauses: by the server's own rule (DraftGuard), the
        // blocks from a locked clause's heading to the next heading stay exactly as they were,
        // so also nothing may be added after its last block (Enter at the start of the next
        // heading would add an empty paragraph to it).
        filterTransaction: (transaction, state) => {
          if (!transaction.docChanged || isRemoteTransaction(transaction)) return true
          const lockedIds = locked()
          if (lockedIds.size === 0) return true
          if (sameLockedClauses(state.doc, transaction.doc, lockedIds)) return true
          refused()
          return false
        },
        // New numbered headings (typed, pasted or split) get a fresh clause id.
        appendTransaction: (transactions, oldState, state) => {
          if (
            !transactions.some(
              (transaction) =>
                !isRemoteTransaction(transaction) && headingsMayHaveChanged(transaction),
            )
          )
            return null
          return clauseIdTransaction(transactions, oldState.doc, state)
        },
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

/**
 * The top-level clause holding the caret is always laid out.
 *
 * The browser skips the layout of top-level clauses far from the viewport (`content-visibility:
 * auto` in styles.css) and decides which are near only when it next renders a frame. A clause made
 * by a keystroke (Enter in an empty last paragraph, "## " at a paragraph's start) is new to the
 * page and so skipped until that frame; Chromium puts text typed into a skipped clause at the next
 * place it has laid out (the start of the following clause's heading), and a fast typist's first
 * letters after the Enter land there. This plugin marks the top-level clause holding the selection's
 * head with {@link CARET_CLAUSE_CLASS}, which styles.css never skips, in the same update of the page
 * that puts the caret there.
 */
import { CLAUSE_NODE } from '@onetext/shared/clauses'
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'

/** Class of the top-level clause element holding the caret. */
export const CARET_CLAUSE_CLASS = 'clause-holding-caret'

const caretClauseKey = new PluginKey<DecorationSet>('caretClauseShown')

/**
 * The position before the top-level clause holding `state`'s selection head and that clause, or
 * null when the head is not inside a clause (an empty document, or a block outside every clause).
 */
export function caretClause(state: EditorState): { pos: number; node: ProseMirrorNode } | null {
  const $head = state.selection.$head
  if ($head.depth < 1) return null
  const node = $head.node(1)
  return node.type.name === CLAUSE_NODE ? { pos: $head.before(1), node } : null
}

/** The decorations marking the clause holding the caret of `state`, reusing `kept` when it still does. */
function caretClauseDecorations(state: EditorState, kept: DecorationSet): DecorationSet {
  const clause = caretClause(state)
  if (!clause) return DecorationSet.empty
  const end = clause.pos + clause.node.nodeSize
  const [current] = kept.find(clause.pos, end)
  if (current && current.from === clause.pos && current.to === end) return kept
  return DecorationSet.create(state.doc, [
    Decoration.node(clause.pos, end, { class: CARET_CLAUSE_CLASS }),
  ])
}

/**
 * The plugin marking the top-level clause holding the selection's head with
 * {@link CARET_CLAUSE_CLASS}. While the head stays in the same clause its decoration is kept (mapped
 * through edits), not made anew.
 */
export function caretClausePlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: caretClauseKey,
    state: {
      init: (_, state) => caretClauseDecorations(state, DecorationSet.empty),
      apply: (transaction, value, _old, state) => {
        if (!transaction.docChanged && !transaction.selectionSet) return value
        const mapped = transaction.docChanged ? value.map(transaction.mapping, state.doc) : value
        return caretClauseDecorations(state, mapped)
      },
    },
    props: {
      decorations: (state) => caretClauseKey.getState(state),
    },
  })
}

export const CaretClauseShown = Extension.create({
  name: 'caretClauseShown',
  addProseMirrorPlugins() {
    return [caretClausePlugin()]
  },
})

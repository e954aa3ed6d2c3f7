/**
 * Clause to clause by keyboard in the editor: Alt+Down puts the caret at the start of the next
 * clause's heading (at any depth: article, section, sub-section), Alt+Up at the start of the
 * previous one, and scrolls it into view.
 */
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { forEachClauseNode, headingTextStart } from './clauseSkeleton'

/**
 * The position at the start of the text of the first clause heading after `pos` (`forward`), or of
 * the last one starting before `pos`, in document order; null when there is none.
 */
export function neighbourHeading(
  doc: ProseMirrorNode,
  pos: number,
  forward: boolean,
): number | null {
  let found: number | null = null
  forEachClauseNode(doc, ({ pos: clausePos }) => {
    const start = headingTextStart(clausePos)
    if (forward) {
      // Document order: the first heading after `pos` is the one wanted; skip the rest.
      if (found === null && start > pos) found = start
      return found === null
    }
    if (start >= pos) return false
    found = start
    return undefined
  })
  return found
}

/** Alt+ArrowDown and Alt+ArrowUp: the next and previous clause heading. */
export const ClauseNavigation = Extension.create({
  name: 'clauseNavigation',
  addKeyboardShortcuts() {
    const move = (forward: boolean) => {
      const { state } = this.editor
      const target = neighbourHeading(state.doc, state.selection.from, forward)
      if (target === null) return false
      return this.editor.chain().setTextSelection(target).scrollIntoView().run()
    }
    return {
      'Alt-ArrowDown': () => move(true),
      'Alt-ArrowUp': () => move(false),
    }
  },
})

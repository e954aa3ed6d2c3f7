/**
 * Heading to heading by keyboard in the editor: Alt+Down puts the caret at the start of the next
 * heading (article or section), Alt+Up at the start of the previous one, and scrolls it into view.
 */
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { forEachTopBlock } from './topBlocks'

/**
 * The position at the start of the text of the heading after `pos` (`forward`), or of the last
 * heading starting before `pos`; null when there is none.
 */
export function neighbourHeading(
  doc: ProseMirrorNode,
  pos: number,
  forward: boolean,
): number | null {
  let found: number | null = null
  forEachTopBlock(doc, (node, offset) => {
    if (node.type.name !== 'heading') return
    const start = offset + 1
    if (forward ? start > pos && found === null : start < pos) found = start
  })
  return found
}

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

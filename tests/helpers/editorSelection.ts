/**
 * Selecting words in a rich-text editor of a page the way a person's drag or a click after a word
 * would, and waiting until the editor (not only the DOM) has the selection.
 */
import type { Locator } from 'playwright-core'

/**
 * Puts the DOM selection over the first `words` inside one text node of `text` (a
 * `.ProseMirror` element or an element inside one), or collapsed just after them when `caretAfter` is true, and waits until
 * the editor's own selection is there. Throws when no single text node holds `words`.
 */
async function setSelection(text: Locator, words: string, caretAfter: boolean): Promise<void> {
  // The editor may draw the text node again just after the DOM selection is put in it (its
  // tracked changes compared once the typing paused): the selection is then lost, so it is put
  // again until the editor has it.
  const deadline = Date.now() + SELECTION_TIMEOUT_MS
  for (;;) {
    await putSelection(text, words, caretAfter)
    try {
      await editorHas(text, words, caretAfter, SELECTION_ATTEMPT_MS)
      return
    } catch (error) {
      if (Date.now() + SELECTION_ATTEMPT_MS > deadline) throw error
    }
  }
}

/** How long a selection may take to reach the editor in all, and in one attempt (ms). */
const SELECTION_TIMEOUT_MS = 15_000
const SELECTION_ATTEMPT_MS = 2_000

/** Puts the DOM selection over (or just after) the first `words` in one text node of `text`. */
async function putSelection(text: Locator, words: string, caretAfter: boolean): Promise<void> {
  await text.evaluate(
    (root, { wanted, after }) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(wanted) ?? -1
        if (at < 0) continue
        ;(root.closest('.ProseMirror') as HTMLElement | null)?.focus()
        const range = document.createRange()
        range.setStart(node, after ? at + wanted.length : at)
        range.setEnd(node, at + wanted.length)
        const selection = window.getSelection()
        selection?.removeAllRanges()
        selection?.addRange(range)
        return
      }
      throw new Error(`no "${wanted}" in one text node of the editor`)
    },
    { wanted: words, after: caretAfter },
  )
}

/** Waits until the editor's own selection holds `words` (or sits just after them). */
async function editorHas(
  text: Locator,
  words: string,
  caretAfter: boolean,
  timeout: number,
): Promise<void> {
  const handle = await text.elementHandle()
  await text.page().waitForFunction(
    ({ root, wanted, after }) => {
      interface Selected {
        state: {
          selection: { from: number; to: number; empty: boolean }
          doc: { textBetween(a: number, b: number): string }
        }
      }
      const editor = (root?.closest('.ProseMirror') as (Element & { editor?: Selected }) | null)
        ?.editor
      if (!editor) return false
      const { from, to, empty } = editor.state.selection
      if (after) {
        return (
          empty && editor.state.doc.textBetween(Math.max(0, from - wanted.length), from) === wanted
        )
      }
      return editor.state.doc.textBetween(from, to) === wanted
    },
    { root: handle, wanted: words, after: caretAfter },
    { timeout },
  )
}

/** Selects `words` (a stretch of one text node) in the editor `text` and waits until the editor has it. */
export function selectWords(text: Locator, words: string): Promise<void> {
  return setSelection(text, words, false)
}

/** Puts the caret just after `words` (in one text node) in the editor `text`, once the editor has it. */
export function placeCaretAfter(text: Locator, words: string): Promise<void> {
  return setSelection(text, words, true)
}

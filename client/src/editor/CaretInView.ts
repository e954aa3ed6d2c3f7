/**
 * Keeping the caret in view in a page that scrolls as a whole under bars that stick to its top
 * (the app header and the formatting toolbar, marked {@link COVERS_TEXT_ATTRIBUTE}).
 *
 * ProseMirror's own scrolling after each keystroke walks every ancestor of the caret, reading its
 * box, sizes and computed style (about 45 layout reads a keystroke), and counts the caret as in
 * view while it is hidden under the sticky bars. This reads the caret's box and the bars' boxes,
 * scrolls the window only when the caret is under the bars or below the window's bottom, and
 * leaves every other layout (an editor inside its own scrolling box) to ProseMirror.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'

/** Attribute of the elements that stick over the top of the text while it scrolls. */
export const COVERS_TEXT_ATTRIBUTE = 'data-covers-text'

/** Space kept between the caret and the bars above it or the window's bottom edge, in pixels. */
export const CARET_MARGIN_PX = 24

const caretInViewKey = new PluginKey('caretInView')

/** Whether `element` or an ancestor below the document's body scrolls its own content. */
function inOwnScrollBox(element: HTMLElement): boolean {
  const body = element.ownerDocument.body
  for (let node = element.parentElement; node && node !== body; node = node.parentElement) {
    const { overflowY } = getComputedStyle(node)
    if (overflowY === 'auto' || overflowY === 'scroll') return true
  }
  return false
}

/** The lowest bottom edge of the bars covering the top of the window (0 when none is shown). */
function coveredTop(document: Document): number {
  let bottom = 0
  document.querySelectorAll(`[${COVERS_TEXT_ATTRIBUTE}]`).forEach((bar) => {
    const rect = bar.getBoundingClientRect()
    if (rect.height > 0 && rect.top <= bottom + 1) bottom = Math.max(bottom, rect.bottom)
  })
  return bottom
}

/**
 * How far (in pixels, negative for up) the window must scroll to show a caret whose box spans
 * `top` to `bottom`, with {@link CARET_MARGIN_PX} to spare, below bars ending at `covered`, in a
 * window `height` high; 0 when it is in view.
 */
export function windowScrollFor(
  caret: { top: number; bottom: number },
  covered: number,
  height: number,
): number {
  if (caret.top < covered + CARET_MARGIN_PX) return caret.top - covered - CARET_MARGIN_PX
  if (caret.bottom > height - CARET_MARGIN_PX) return caret.bottom - height + CARET_MARGIN_PX
  return 0
}

/**
 * ProseMirror's `handleScrollToSelection` for a text that scrolls with the window: scrolls it so
 * the selection's head is in view below the covering bars; returns false (ProseMirror scrolls) when
 * the editor is inside a box that scrolls on its own.
 */
export function scrollCaretIntoWindow(view: EditorView, ownScrollBox: boolean): boolean {
  if (ownScrollBox) return false
  const caret = view.coordsAtPos(view.state.selection.head)
  const document = view.dom.ownerDocument
  const window = document.defaultView
  if (!window) return false
  const by = windowScrollFor(caret, coveredTop(document), window.innerHeight)
  if (by !== 0) window.scrollBy(0, by)
  return true
}

export const CaretInView = Extension.create({
  name: 'caretInView',
  addProseMirrorPlugins() {
    // Whether the editor sits in a box of its own that scrolls: read once, on the first scroll
    // (the page's layout puts an editor in such a box or not; it does not change while it is open).
    const ownScrollBox = new WeakMap<EditorView, boolean>()
    return [
      new Plugin({
        key: caretInViewKey,
        props: {
          handleScrollToSelection: (view) => {
            let own = ownScrollBox.get(view)
            if (own === undefined) {
              own = inOwnScrollBox(view.dom)
              ownScrollBox.set(view, own)
            }
            return scrollCaretIntoWindow(view, own)
          },
        },
      }),
    ]
  },
})

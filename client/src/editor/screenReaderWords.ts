/**
 * Words a screen reader reads inside the text of an editor ("[inserted: ", "]", "[deleted by
 * Management: three]") and a sighted reader does not see: the tracked changes' decorations
 * (suggestionDecorations.ts, overlayDecorations.ts) put them around each change.
 *
 * They are not hidden the usual way (`.visually-hidden`, an absolutely positioned box): every
 * positioned box is a paint layer of its own, and a party's copy or the table's view holds two or
 * more for each change, hundreds over a long text, which the browser walks again on each frame
 * (hit testing the mouse, pre-paint, paint). `.sr-words` (styles.css) is an inline box one pixel
 * wide, its overhanging words transparent, in the flow of the line and with no layer.
 */

/** The class of words for a screen reader inside an editor's text (styles.css). */
export const SCREEN_READER_WORDS_CLASS = 'sr-words'

/** A span of `text` for a screen reader only, to place inside an editor's text. */
export function screenReaderWords(text: string): HTMLSpanElement {
  const span = document.createElement('span')
  span.className = SCREEN_READER_WORDS_CLASS
  span.textContent = text
  return span
}

/**
 * The caret stays in view while typing: never left under the header and formatting toolbar that
 * stick to the top of the window, nor below the window's bottom edge (CaretInView).
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { CARET_MARGIN_PX } from '../../client/src/editor/CaretInView'
import { placeCaretAtEnd, screenshot } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'

/**
 * The caret's box (as the editor computes it for its head) and the bottom edge of the bars stuck
 * over the text, in window coordinates.
 */
async function caretAndBars(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector('.ProseMirror') as
      | (Element & {
          editor?: {
            state: { selection: { head: number } }
            view: { coordsAtPos(pos: number): { top: number; bottom: number } }
          }
        })
      | null
    const editor = root?.editor
    const caret = editor?.view.coordsAtPos(editor.state.selection.head)
    const toolbar = document.querySelector('[role="toolbar"]')?.getBoundingClientRect()
    const top = caret?.top ?? Number.NaN
    const bottom = caret?.bottom ?? Number.NaN
    const barsBottom = toolbar?.bottom ?? Number.NaN
    return {
      top,
      bottom,
      barsBottom,
      windowHeight: window.innerHeight,
      /** Between the bars' bottom edge and the caret's top. */
      spaceAbove: top - barsBottom,
      /** Between the caret's bottom and the window's bottom edge. */
      spaceBelow: window.innerHeight - bottom,
    }
  })
}

describe('the caret in view', () => {
  const suite = useBrowserSuite()

  it('scrolls the text out from under the sticky toolbar, and up from below the window', async () => {
    const page = await suite.openDraftAs('mediator@demo.test')
    const text = page.getByRole('textbox', { name: 'Working draft' })
    const paragraph = text.locator('p', { hasText: 'COSTS OF THE PARTNERSHIP' })
    await placeCaretAtEnd(paragraph)

    // Scroll the window so the caret's line is hidden under the toolbar, then type.
    const start = await caretAndBars(page)
    await page.evaluate((by) => window.scrollBy(0, by), start.bottom - start.barsBottom + 4)
    const hidden = await caretAndBars(page)
    expect(hidden.top).toBeGreaterThan(0)
    expect(hidden.bottom).toBeLessThanOrEqual(hidden.barsBottom)
    expect(hidden.spaceAbove).toBeLessThan(0)
    await page.keyboard.type(' Under.')
    await expect
      .poll(async () => (await caretAndBars(page)).spaceAbove)
      .toBeGreaterThanOrEqual(CARET_MARGIN_PX - 2)
    await screenshot(page, 'caret-out-from-under-toolbar')

    // Scroll it below the window's bottom edge, then type.
    const before = await caretAndBars(page)
    await page.evaluate((by) => window.scrollBy(0, by), before.top - before.windowHeight - 40)
    expect((await caretAndBars(page)).top).toBeGreaterThan(before.windowHeight)
    await page.keyboard.type(' Below.')
    await expect
      .poll(async () => (await caretAndBars(page)).spaceBelow)
      .toBeGreaterThanOrEqual(CARET_MARGIN_PX - 2)
    expect(await paragraph.textContent()).toContain(' Under. Below.')
    await suite.closePages()
  })
})

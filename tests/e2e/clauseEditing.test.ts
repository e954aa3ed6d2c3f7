/**
 * Editing the clause tree by keyboard in the real editor (ClauseCommands): Enter in an empty last
 * paragraph starts a clause, "## " makes an article, Tab demotes, Alt+Shift+Up moves a clause and
 * Control+Z puts it back, Backspace at a heading's start dissolves the clause, Control+Alt+3 makes
 * a section. The outline and the numbers follow; pasted headings nest into clauses; letters typed
 * right after the Enter that makes a clause land in it.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { placeCaretAtEnd, placeCaretAtStart, screenshot } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'

/** The outline's entries ("9. Notices"), in order. */
async function outline(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Outline' }).getByRole('button').allTextContents()
}

/** The type and text of the block holding the editor's caret. */
async function caretBlock(page: Page): Promise<{ type: string; text: string }> {
  return page.evaluate(() => {
    const root = document.querySelector('.ProseMirror') as
      | (Element & {
          editor?: {
            state: {
              selection: { $from: { parent: { type: { name: string }; textContent: string } } }
            }
          }
        })
      | null
    const parent = root?.editor?.state.selection.$from.parent
    return { type: parent?.type.name ?? '', text: parent?.textContent ?? '' }
  })
}

/** Ends the undo manager's current capture, as a pause between a person's actions does. */
async function pauseUndoCapture(page: Page): Promise<void> {
  await page.evaluate(() => {
    const root = document.querySelector('.ProseMirror') as
      | (Element & {
          editor?: {
            state: {
              plugins: Array<{
                spec: { key?: { key: string } }
                getState(state: unknown): { undoManager?: { stopCapturing(): void } } | undefined
              }>
            }
          }
        })
      | null
    const editor = root?.editor
    if (!editor) throw new Error('no editor')
    for (const plugin of editor.state.plugins)
      if (plugin.spec.key?.key.startsWith('y-undo'))
        plugin.getState(editor.state)?.undoManager?.stopCapturing()
  })
}

describe('editing the clause tree by keyboard', () => {
  const suite = useBrowserSuite()

  it('makes, demotes, moves and dissolves clauses, with the outline following', async () => {
    const page = await suite.openDraftAs('mediator@demo.test')
    const text = page.getByRole('textbox', { name: 'Working draft' })
    const entries = () => outline(page)
    const before = await entries()
    expect(before.at(-2)).toMatch(/^8\. .*Term of Agreement$/)
    expect(before.at(-1)).toMatch(/^9\. .*Savings Clause$/)

    // Enter at the end of article 8's last paragraph, then Enter in that empty paragraph: a new
    // article 9, the caret in its heading.
    await placeCaretAtEnd(text.locator('p', { hasText: 'terminate this Partnership agreement' }))
    await page.keyboard.press('Enter')
    await expect.poll(() => caretBlock(page)).toEqual({ type: 'paragraph', text: '' })
    await page.keyboard.press('Enter')
    await expect.poll(() => caretBlock(page)).toEqual({ type: 'clauseHeading', text: '' })
    await page.keyboard.type('Notices')
    await expect.poll(entries).toContain('9. Notices')
    expect((await entries()).at(-1)).toMatch(/^10\. .*Savings Clause$/)
    const article = page.getByRole('button', { name: 'Article heading' })
    await expect.poll(() => article.getAttribute('aria-pressed')).toBe('true')
    const notices = text.locator('.clause-heading', { hasText: 'Notices' })
    expect(await notices.locator('.clause-number').textContent()).toBe('9. ')

    // Its body, then "## " at the start of the next paragraph: article 10.
    await page.keyboard.press('Enter')
    await page.keyboard.type('Notices go by mail.')
    await page.keyboard.press('Enter')
    await page.keyboard.type('## Addresses')
    await expect.poll(entries).toContain('10. Addresses')
    expect((await entries()).at(-1)).toMatch(/^11\. .*Savings Clause$/)

    // Tab in its heading: section 9.1.
    await page.keyboard.press('Tab')
    await expect.poll(entries).toContain('9.1. Addresses')
    const section = page.getByRole('button', { name: 'Section heading' })
    await expect.poll(() => section.getAttribute('aria-pressed')).toBe('true')
    expect((await entries()).at(-1)).toMatch(/^10\. .*Savings Clause$/)
    await pauseUndoCapture(page)

    // Alt+Shift+Up in the Savings Clause heading: it goes before Notices, with the caret.
    await placeCaretAtEnd(text.locator('.clause-heading', { hasText: 'Savings Clause' }))
    await page.keyboard.press('Alt+Shift+ArrowUp')
    await expect
      .poll(async () => (await entries()).slice(-3))
      .toEqual([expect.stringMatching(/^9\. .*Savings Clause$/), '10. Notices', '10.1. Addresses'])
    await pauseUndoCapture(page)
    await page.keyboard.type(' (moved)')
    expect(
      await text.locator('.clause-heading', { hasText: 'Savings Clause' }).textContent(),
    ).toMatch(/Savings Clause \(moved\)$/)
    await screenshot(page, 'clause-editing-moved')

    // Control+Z twice (the typing, then the move): the order is back.
    await pauseUndoCapture(page)
    await page.keyboard.press('Control+z')
    await page.keyboard.press('Control+z')
    await expect
      .poll(async () => (await entries()).slice(-3))
      .toEqual(['9. Notices', '9.1. Addresses', expect.stringMatching(/^10\. .*Savings Clause$/)])

    // Backspace at the start of "Addresses": it joins the paragraph before it.
    await placeCaretAtStart(text.locator('.clause-heading', { hasText: 'Addresses' }))
    await page.keyboard.press('Backspace')
    await expect.poll(entries).not.toContain('9.1. Addresses')
    await expect
      .poll(() => text.locator('p', { hasText: 'Notices go by mail.' }).textContent())
      .toBe('Notices go by mail.Addresses')

    // Control+Alt+3 in that paragraph: section 9.1.
    await page.keyboard.press('Control+Alt+3')
    await expect.poll(entries).toContain('9.1. Notices go by mail.Addresses')
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    await screenshot(page, 'clause-editing-done')
    await suite.closePages()
  })

  it('nests flat headings pasted from a web page into clauses after the clause', async () => {
    const page = await suite.openDraftAs('mediator@demo.test')
    const text = page.getByRole('textbox', { name: 'Working draft' })
    await placeCaretAtEnd(text.locator('p', { hasText: 'terminate this Partnership agreement' }))
    await page.evaluate(() => {
      const data = new DataTransfer()
      data.setData(
        'text/html',
        '<meta charset="utf-8"><h1>Definitions</h1><p>Terms used here.</p><h3>Employee</h3><p>A person employed.</p>',
      )
      data.setData('text/plain', 'Definitions Terms used here. Employee A person employed.')
      const target = document.querySelector('.ProseMirror') as HTMLElement
      target.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      )
    })
    // After article 8 (the text goes on as the test before left it).
    const afterEight = async () => {
      const entries = await outline(page)
      const eight = entries.findIndex((entry) => /^8\. .*Term of Agreement$/.test(entry))
      return entries.slice(eight + 1, eight + 4)
    }
    await expect.poll(afterEight).toEqual(['9. Definitions', '9.1. Employee', '10. Notices'])
    expect(await text.locator('p', { hasText: 'A person employed.' }).count()).toBe(1)

    // A clause copied in this editor and pasted: a copy with an id of its own.
    const ids = () =>
      text
        .locator('section.clause')
        .evaluateAll((sections) =>
          sections.map((section) => section.getAttribute('data-clause-id')),
        )
    const existing = (await ids())[0] as string
    await placeCaretAtEnd(text.locator('p', { hasText: 'A person employed.' }))
    await page.evaluate((id) => {
      const data = new DataTransfer()
      data.setData(
        'text/html',
        `<section class="clause" data-clause-id="${id}" data-pm-slice="0 0 []"><h2 class="clause-heading">Copied</h2><p>Copied words.</p></section>`,
      )
      data.setData('text/plain', 'Copied Copied words.')
      const target = document.querySelector('.ProseMirror') as HTMLElement
      target.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      )
    }, existing)
    await expect.poll(afterEight).toEqual(['9. Definitions', '9.1. Employee', '9.2. Copied'])
    const after = await ids()
    expect(new Set(after).size).toBe(after.length)
    expect(after.filter((id) => id === existing)).toHaveLength(1)
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    await suite.closePages()
  })

  it('keeps every letter typed right after Enter makes a clause', async () => {
    const page = await suite.openDraftAs('mediator@demo.test')
    const text = page.getByRole('textbox', { name: 'Working draft' })
    const last = text.locator('p', { hasText: 'terminate this Partnership agreement' })
    /** The clause headings of the editor's text, and whether the caret's clause is laid out. */
    const read = () =>
      page.evaluate(() => {
        const root = document.querySelector('.ProseMirror') as Element & {
          editor: {
            state: {
              doc: {
                descendants(
                  visit: (node: { type: { name: string }; textContent: string }) => void,
                ): void
              }
            }
          }
        }
        const headings: string[] = []
        root.editor.state.doc.descendants((node) => {
          if (node.type.name === 'clauseHeading') headings.push(node.textContent)
        })
        const caret = getSelection()?.anchorNode
        const clause = (caret instanceof Element ? caret : caret?.parentElement)?.closest(
          '.ProseMirror > section.clause',
        )
        const shown = clause ? getComputedStyle(clause).contentVisibility : 'no clause'
        return { headings, shown }
      })
    // A new article typed after article 8 at a fast typist's pace, several times over: the new
    // article is laid out from the keystroke that makes it, so no letter lands in the next one.
    for (const title of ['Notices', 'Waivers', 'Counterparts', 'Assignment', 'Headings']) {
      await placeCaretAtEnd(last)
      await page.keyboard.press('Enter')
      await page.keyboard.press('Enter')
      expect((await read()).shown).toBe('visible')
      await page.keyboard.type(title)
      await expect.poll(async () => (await read()).headings).toContain(title)
    }
    const { headings } = await read()
    expect(headings.filter((heading) => heading.includes('Savings Clause'))).toEqual([
      'Savings Clause',
    ])
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    await suite.closePages()
  })
})

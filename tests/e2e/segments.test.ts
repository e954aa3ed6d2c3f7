/**
 * Segments in the browser: the draft's editor holds one segment per article (not one child per
 * block), clause numbers and the outline read through them, and Backspace at the start of an
 * article joins its heading to the text before as it would without segments, leaving every segment
 * in place, in the editor and in the store.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { placeCaretAtEnd, placeCaretAtStart, screenshot } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'

describe('segments in the editor', () => {
  const suite = useBrowserSuite()

  it('groups the draft by article and joins across a boundary without merging segments', async () => {
    const page = await suite.openDraftAs('mediator@demo.test')
    const text = page.getByRole('textbox', { name: 'Working draft' })

    // The title and preamble, then one segment per article (the demo text has nine).
    const segments = text.locator(':scope > .segment')
    expect(await segments.count()).toBe(10)
    expect(await text.locator(':scope > :not(.segment)').count()).toBe(0)
    await expect
      .poll(() => segments.nth(3).locator(':scope > h2').first().textContent())
      .toBe('3. Decision-Making')
    const outline = page.getByRole('navigation', { name: 'Outline' }).getByRole('button')
    const headings = await outline.count()
    expect(headings).toBe(await text.locator('h1, h2, h3, h4').count())

    // Backspace at the start of article 3's heading joins it to the end of article 2.
    const lastOfArticle2 = segments.nth(2).locator(':scope > *').last()
    const before = (await lastOfArticle2.textContent()) ?? ''
    const secondOfArticle3 =
      (await segments.nth(3).locator(':scope > *').nth(1).textContent()) ?? ''
    await placeCaretAtStart(segments.nth(3).locator(':scope > h2'))
    await page.keyboard.press('Backspace')
    await expect.poll(() => lastOfArticle2.textContent()).toBe(`${before}Decision-Making`)
    expect(await segments.count()).toBe(10)
    expect(await segments.nth(3).locator(':scope > *').first().textContent()).toBe(secondOfArticle3)
    // Article 3 is gone, so the articles after it are numbered one less.
    await expect.poll(() => outline.count()).toBe(headings - 1)
    expect(await segments.nth(3).locator(':scope > h2').count()).toBe(0)
    expect(await segments.nth(4).locator(':scope > h2').first().textContent()).toBe('3. Scope')
    // Typing goes on where the heading's words now are.
    await page.keyboard.type(' (joined)')
    await expect.poll(() => lastOfArticle2.textContent()).toBe(`${before} (joined)Decision-Making`)
    await screenshot(page, 'segments-joined')

    // Markdown's "### " typed at the start of an article makes it a section and keeps the clause:
    // the same clause id (sign-offs, history and annotations are keyed by it).
    const employment = text.locator('h2', { hasText: 'Employment Security' })
    const clauseId = await employment.getAttribute('data-clause-id')
    expect(clauseId).toMatch(/^c-/)
    await placeCaretAtStart(employment)
    await page.keyboard.type('### ')
    const section = text.locator('h3', { hasText: 'Employment Security' })
    await expect.poll(() => section.getAttribute('data-clause-id')).toBe(clauseId)
    expect(await section.textContent()).toBe('3.1. Employment Security')

    // Backspace at the very start of the text changes nothing (it used to lift the title out of
    // its segment), and Enter in an empty paragraph makes another paragraph in the same segment
    // (it used to split the segment or lift the paragraph out of it, so nothing seemed to happen).
    const title = segments.first().locator(':scope > h1')
    const titleText = await title.textContent()
    await placeCaretAtStart(title)
    await page.keyboard.press('Backspace')
    await page.keyboard.type('The ')
    await expect.poll(() => title.textContent()).toBe(`The ${titleText}`)
    expect(await segments.count()).toBe(10)
    const scope = segments.nth(4)
    const blocks = await scope.locator(':scope > *').count()
    await placeCaretAtEnd(scope.locator(':scope > p').first())
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter')
    await page.keyboard.type('New paragraph.')
    await expect.poll(() => scope.locator(':scope > *').count()).toBe(blocks + 2)
    expect(await scope.locator(':scope > p').nth(2).textContent()).toBe('New paragraph.')
    expect(await segments.count()).toBe(10)
    expect(await text.locator(':scope > :not(.segment)').count()).toBe(0)

    // The store holds the same: ten segments, the joined words at the end of the second article.
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    const stored = suite.server.registry.peek('lmp-1997.draft')?.doc.getXmlFragment('default')
    const storedSegments = (stored?.toArray() ?? []).filter(
      (child) => child instanceof Y.XmlElement && child.nodeName === 'segment',
    ) as Y.XmlElement[]
    expect(storedSegments).toHaveLength(10)
    const storedLast = storedSegments[2]?.get(storedSegments[2].length - 1)
    expect(storedLast?.toString()).toContain('(joined)Decision-Making')
    await suite.closePages()
  })

  it('keeps the text in a segment after select-all and typing', async () => {
    const page = await suite.openDraftAs('mediator@demo.test')
    const text = page.getByRole('textbox', { name: 'Working draft' })
    await placeCaretAtStart(text.locator('h1'))
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.type('A new text.')
    await expect.poll(() => text.textContent()).toBe('A new text.')
    expect(await text.locator(':scope > .segment').count()).toBe(1)
    expect(await text.locator(':scope > :not(.segment)').count()).toBe(0)
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    const stored = suite.server.registry.peek('lmp-1997.draft')?.doc.getXmlFragment('default')
    expect(stored?.toArray().map((child) => (child as Y.XmlElement).nodeName)).toEqual(['segment'])
    await suite.closePages()
  })
})

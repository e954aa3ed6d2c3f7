/**
 * Two people in two browser contexts edit the single text together: each sees the other's words
 * and caret, the save status reaches "All changes saved", the pages pass axe-core's serious and
 * critical checks, and sign-in and formatting work from the keyboard alone.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  paintedShare,
  placeCaretAtEnd,
  screenshot,
  seriousAxeViolations,
  signInWithKeyboard,
} from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'

describe('co-editing in the browser', () => {
  const suite = useBrowserSuite()
  const openPage = () => suite.newPage()

  afterEach(() => suite.closePages())

  it('the sign-in page has no serious accessibility violations and rejects a wrong password', async () => {
    const page = await openPage()
    await page.goto(`${suite.server.url}/`)
    await page.getByLabel('Email').waitFor()
    expect(await seriousAxeViolations(page)).toEqual([])
    await signInWithKeyboard(page, 'mediator@demo.test', 'wrong-password')
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Wrong email or password')
    await screenshot(page, 'sign-in-error')
  })

  it('two people type into the same text and see each other', async () => {
    const mediator = await suite.openDraftAs('mediator@demo.test')
    const drafter = await suite.openDraftAs('drafter@demo.test')

    // Each types at the end of a different paragraph.
    const mediatorText = mediator.getByRole('textbox', { name: 'Working draft' })
    await placeCaretAtEnd(mediatorText.locator('p').first())
    await mediator.keyboard.type(' Mediator bridging text.')
    const drafterText = drafter.getByRole('textbox', { name: 'Working draft' })
    await placeCaretAtEnd(drafterText.locator('p').nth(1))
    await drafter.keyboard.type(' Drafting team wording.')

    await expect.poll(() => drafterText.textContent()).toContain('Mediator bridging text.')
    await expect.poll(() => mediatorText.textContent()).toContain('Drafting team wording.')

    // Remote carets carry the other person's name.
    await expect
      .poll(() => mediator.locator('.collaboration-carets__label').allTextContents())
      .toContain('Jordan Lee')
    await expect
      .poll(() => drafter.locator('.collaboration-carets__label').allTextContents())
      .toContain('Dana Reyes')
    // Both are listed as present.
    await expect.poll(() => mediator.getByRole('list', { name: '2 people here' }).count()).toBe(1)

    // A caret on the first line of an article (its heading): its name label sits above the line
    // and must be seen whole, not clipped by the article (articles skip rendering off screen, which
    // clips their paint). The click lands after the heading's last word.
    const articleHeading = mediatorText
      .locator(':scope > section.clause')
      .first()
      .locator(':scope > h2')
    const block = await articleHeading.boundingBox()
    if (!block) throw new Error('no article')
    await mediator.mouse.click(block.x + block.width - 20, block.y + block.height / 2)
    await mediator.keyboard.type('Q')
    const mediatorLabel = drafter.locator('.collaboration-carets__label', { hasText: 'Dana Reyes' })
    await expect.poll(() => mediatorLabel.count()).toBe(1)
    // The caret plugin redraws carets on every presence change, so the label found may be replaced
    // (detached, with no computed style) by the time it is read: read until a drawn one answers.
    let labelColor: number[] | undefined
    await expect
      .poll(async () => {
        labelColor = await mediatorLabel.evaluate((label) =>
          getComputedStyle(label).backgroundColor.match(/\d+/g)?.slice(0, 3).map(Number),
        )
        return labelColor?.length
      })
      .toBe(3)
    // Read until a drawn label is seen whole: the label may be redrawn, and move with the caret,
    // between its box being read and the screenshot. A clipped label never passes.
    await expect
      .poll(() => paintedShare(mediatorLabel, labelColor as unknown as [number, number, number]))
      .toBeGreaterThan(0.4)

    await expect
      .poll(() => mediator.locator('.save-status').textContent())
      .toBe('All changes saved')
    await expect.poll(() => drafter.locator('.save-status').textContent()).toBe('All changes saved')
    await screenshot(mediator, 'co-editing-mediator')
    await screenshot(drafter, 'co-editing-drafter')

    // What both saw saved is in the store.
    const stored = suite.server.registry.peek('lmp-1997.draft')
    expect(stored?.doc.getXmlFragment('default').toString()).toContain('Mediator bridging text.')

    expect(await seriousAxeViolations(mediator)).toEqual([])
  })

  it("a colleague's keystroke rebuilds only the clause it changed; every other clause keeps its node", async () => {
    const mediator = await suite.openDraftAs('mediator@demo.test')
    const drafter = await suite.openDraftAs('drafter@demo.test')
    const mediatorText = mediator.getByRole('textbox', { name: 'Working draft' })
    const drafterText = drafter.getByRole('textbox', { name: 'Working draft' })
    await mediatorText.locator(':scope > section.clause').first().waitFor()
    // The top-level nodes of the editor's document (Tiptap keeps the editor on its element).
    type EditorElement = { editor: { state: { doc: { content: { content: unknown[] } } } } }
    const keep = () =>
      mediatorText.evaluate((root) => {
        const nodes = (root as unknown as EditorElement).editor.state.doc.content.content
        ;(window as unknown as { kept: unknown[] }).kept = nodes
        return nodes.length
      })
    // For each top-level node: whether it is the very node kept before, and whether it holds the
    // words typed.
    const kept = () =>
      mediatorText.evaluate((root) => {
        const before = (window as unknown as { kept: unknown[] }).kept
        const nodes = (root as unknown as EditorElement).editor.state.doc.content.content
        return nodes.map((node, index) => ({
          same: node === before[index],
          typedIn: JSON.stringify(node).includes('Colleague.'),
        }))
      })
    const clauses = await keep()
    expect(clauses).toBeGreaterThan(3)

    // The drafter types into the second clause; the mediator's editor receives it.
    await placeCaretAtEnd(
      drafterText.locator(':scope > section.clause').nth(1).locator('p').first(),
    )
    await drafter.keyboard.type(' Colleague.')
    await expect.poll(() => mediatorText.textContent()).toContain('Colleague.')
    const after = await kept()
    expect(after).toHaveLength(clauses)
    expect(after.filter((node) => node.typedIn)).toEqual([{ same: false, typedIn: true }])
    expect(after.filter((node) => !node.typedIn && !node.same)).toEqual([])
  })

  it('formats and undoes from the keyboard, undoing only my own edits', async () => {
    const mediator = await suite.openDraftAs('mediator@demo.test')
    const drafter = await suite.openDraftAs('drafter@demo.test')
    const mediatorText = mediator.getByRole('textbox', { name: 'Working draft' })
    const drafterText = drafter.getByRole('textbox', { name: 'Working draft' })

    await placeCaretAtEnd(drafterText.locator('p').nth(2))
    await drafter.keyboard.type(' Drafter keeps this.')
    await expect.poll(() => mediatorText.textContent()).toContain('Drafter keeps this.')

    await placeCaretAtEnd(mediatorText.locator('p').nth(3))
    await mediator.keyboard.type(' Mediator removes this.')
    await expect.poll(() => drafterText.textContent()).toContain('Mediator removes this.')

    // The toolbar is one stop for Tab; Alt+F10 moves there from the text, the arrow keys move
    // between its buttons, and Enter presses the one reached: Undo.
    const toolbar = mediator.getByRole('toolbar', { name: 'Formatting' })
    expect(await toolbar.locator('button[tabindex="0"]').count()).toBe(1)
    const undo = mediator.getByRole('button', { name: 'Undo my last edit' })
    await mediator.keyboard.press('Alt+F10')
    expect(await toolbar.evaluate((element) => element.contains(document.activeElement))).toBe(true)
    for (let step = 0; step < 12; step++) {
      if (await undo.evaluate((element) => element === document.activeElement)) break
      await mediator.keyboard.press('ArrowRight')
    }
    expect(await undo.evaluate((element) => element === document.activeElement)).toBe(true)
    await mediator.keyboard.press('Enter')
    await expect.poll(() => drafterText.textContent()).not.toContain('Mediator removes this.')
    expect(await mediatorText.textContent()).toContain('Drafter keeps this.')
    // Escape goes back to the text.
    await undo.focus()
    await mediator.keyboard.press('Escape')
    expect(await mediatorText.evaluate((element) => element.contains(document.activeElement))).toBe(
      true,
    )

    // Bold from the keyboard shortcut.
    await placeCaretAtEnd(mediatorText.locator('p').nth(3))
    await mediator.keyboard.press('Control+b')
    await mediator.keyboard.type(' Bold words')
    await expect
      .poll(() => drafterText.locator('strong').allTextContents())
      .toContain(' Bold words')
    await expect
      .poll(() => mediator.getByRole('button', { name: 'Bold' }).getAttribute('aria-pressed'))
      .toBe('true')
    await expect
      .poll(() => mediator.locator('.save-status').textContent())
      .toBe('All changes saved')
    await screenshot(mediator, 'keyboard-formatting')
  })

  it('the outline lists the clauses and moves the caret to the one chosen, after edits above it', async () => {
    const mediator = await suite.openDraftAs('mediator@demo.test')
    const text = mediator.getByRole('textbox', { name: 'Working draft' })
    const undo = mediator.getByRole('button', { name: 'Undo my last edit' })
    expect(await undo.isDisabled()).toBe(true)

    // Typing in the first article moves the ones after it; the outline must still take the caret
    // to the right one.
    await placeCaretAtEnd(text.locator('p').first())
    await mediator.keyboard.type(' Words above the second article.')
    await expect.poll(() => undo.isDisabled()).toBe(false)
    const outline = mediator.getByRole('navigation', { name: 'Outline' })
    const entries = outline.getByRole('button')
    const second = (await entries.nth(1).textContent()) ?? ''
    expect(second).toBe('2. Process and Structure')
    // Choosing a clause puts the focus in the text at once (in the same task as the click), so
    // that a key pressed right after it is not lost.
    expect(
      await entries.nth(1).evaluate((button) => {
        // As a mouse press or Tab would: the button has the focus when it is chosen.
        ;(button as HTMLButtonElement).focus()
        ;(button as HTMLButtonElement).click()
        return document.activeElement?.getAttribute('aria-label')
      }),
    ).toBe('Working draft')
    await mediator.keyboard.type('Chosen ')
    // The outline lists every clause: the second entry is the second article, whose heading
    // now starts with the words typed (after its number, which is not text of the heading).
    const headings = text.locator('h2.clause-heading')
    await expect
      .poll(() => headings.nth(1).textContent())
      .toBe(second.replace(/^(\d+\. )/, '$1Chosen '))
    // The outline shows the heading's new words.
    await expect.poll(() => entries.nth(1).textContent()).toContain('Chosen ')
    await expect
      .poll(() => mediator.locator('.save-status').textContent())
      .toBe('All changes saved')
  })
})

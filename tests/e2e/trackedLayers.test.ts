/**
 * The round of tracked layers as people do it, in three browsers at once (the union's, management's
 * and the mediator's): in the union's copy of Single Text 1 a member types over two words of clause
 * 5, strikes a sentence and bolds a phrase; the union's lead gives the rationale and shares the
 * clause; management suggests a counter and shares it; the mediator accepts one change of each
 * party and rejects one, edits the words of a change left open, and circulates Single Text 2; both
 * parties then see Single Text 2 with where its words came from, the change left open on words
 * the mediator changed shown against Single Text 1's words, and the other one carried onto Single
 * Text 2. Screenshots of each stage in test-artifacts/tracked-*.png.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { screenshot, signInWithKeyboard } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { placeCaretAfter, selectWords } from '../helpers/editorSelection'
import { circulateAsMediator, signInDemo, TEST_PASSWORD } from '../helpers/testServer'

const N = 'lmp-1997'
const UNION = 'Coalition of Unions'
const MANAGEMENT = 'Management'
const SENTENCE =
  'We recognize that there could be circumstances when such a commitment cannot be achieved. '

/** Each tracked change shown in a suggesting view: its kind, words as seen, party and author. */
function shownChanges(page: Page) {
  return page.locator('.document-text [data-change]').evaluateAll((elements) =>
    elements.map((element) => {
      const copy = element.cloneNode(true) as Element
      copy.querySelectorAll('.visually-hidden, .sr-words').forEach((hidden) => {
        hidden.remove()
      })
      return {
        kind: element.getAttribute('data-change') ?? '',
        text: (copy.textContent ?? '').trim(),
        author: element.getAttribute('data-author') ?? '',
      }
    }),
  )
}

/** The text of `element` with the words meant only for screen readers left out. */
function seenText(element: Locator): Promise<string> {
  return element.evaluate((node) => {
    const copy = node.cloneNode(true) as Element
    copy.querySelectorAll('.visually-hidden, .sr-words').forEach((hidden) => {
      hidden.remove()
    })
    return copy.textContent ?? ''
  })
}

/**
 * Scrolls `element` to the middle of its scrollers and waits until the page has painted twice since, so that a
 * screenshot shows what scrolled in (a scroller inside the sticky panel repaints a frame late).
 */
async function showAndPaint(element: Locator): Promise<void> {
  await element.evaluate((node) => node.scrollIntoView({ block: 'center' }))
  await element
    .page()
    .evaluate(
      () =>
        new Promise<void>((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
        ),
    )
}

const views = (page: Page) => page.getByRole('navigation', { name: 'Views' })

/** Clause 5's paragraph in the editor `text`. */
const clause5 = (text: Locator) => text.locator('p').filter({ hasText: /^The Parties acknowledge/ })

describe('tracked layers: the round in three browsers', () => {
  const suite = useBrowserSuite()

  /** Signs `email` in on `page` (a new one when not given) and opens the demo negotiation. */
  async function enter(email: string, page?: Page): Promise<Page> {
    const used = page ?? (await suite.newPage())
    await used.goto(`${suite.server.url}/`)
    await signInWithKeyboard(used, email, TEST_PASSWORD)
    await used.getByRole('link', { name: /National Labor-Management/ }).click()
    await views(used).waitFor()
    return used
  }

  /** The next person at the same desk: signs out and signs `email` in. */
  async function switchUser(page: Page, email: string): Promise<Page> {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Email').waitFor()
    return enter(email, page)
  }

  /** The party's suggesting view, from its tab, with clause 5 in it. */
  async function suggesting(page: Page, party: string): Promise<Locator> {
    await views(page).getByRole('button', { name: 'Suggest changes' }).click()
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/negotiations/${N}/suggest`)
    const text = page.getByRole('textbox', { name: `Suggestions of ${party} on Single Text 1` })
    await text.getByText(/^The Parties acknowledge/).waitFor()
    return text
  }

  /** The lead of the party on `page` gives the rationale and shares clause 5, confirming. */
  async function shareClause5(page: Page, text: Locator, rationale: string): Promise<void> {
    const panel = page.getByRole('region', { name: /^Clause 5\. Employment Security/ })
    // A click on the copy just opened was once lost in CI (the caret stayed at the start of the
    // text, the editor focused; cause not found): the lead clicks again until the panel follows.
    await expect
      .poll(async () => {
        await text.getByText(/^The Parties acknowledge/).click()
        return panel.count()
      })
      .toBe(1)
    await expect.poll(() => panel.textContent()).toMatch(/\d suggested changes? in this clause/)
    await panel.getByLabel(/^Rationale/).click()
    await page.keyboard.type(rationale)
    await expect.poll(() => panel.getByLabel(/^Rationale/).inputValue()).toBe(rationale)
    await panel.getByRole('button', { name: 'Share clause 5' }).click()
    await page.getByText('Everyone at the table, the other parties included').waitFor()
    await page.getByRole('button', { name: 'Share clause 5' }).last().click()
    await expect
      .poll(() => panel.getByRole('status').last().textContent())
      .toBe('Clause 5 was shared with the table.')
  }

  /** Single Text `n`'s view on `page` with clause 5 chosen in the outline; its panel. */
  async function clause5Of(page: Page, n: number): Promise<Locator> {
    await views(page)
      .getByRole('button', { name: `Single Text ${n}`, exact: true })
      .click()
    await page
      .getByRole('navigation', { name: 'Clauses' })
      .getByRole('button', { name: /^5\. Employment Security/ })
      .click()
    const panel = page.getByRole('complementary', { name: 'Clause 5' })
    await panel.waitFor()
    return panel
  }

  it('suggests, shares, accepts and rejects, circulates and carries forward', async () => {
    const url = suite.server.url
    await circulateAsMediator(url, 'First single text')
    const union = await enter('labor.member@demo.test')
    const management = await enter('mgmt.member@demo.test')
    const mediator = await enter('mediator@demo.test')

    // 1. A union member types over two words, strikes a sentence and bolds a phrase of clause 5.
    const unionText = await suggesting(union, UNION)
    await selectWords(clause5(unionText), 'mutual obligation')
    await union.keyboard.type('binding commitment')
    await selectWords(clause5(unionText), SENTENCE)
    await union.keyboard.press('Backspace')
    await selectWords(clause5(unionText), 'no loss of employment')
    await union
      .getByRole('toolbar', { name: 'Formatting' })
      .getByRole('button', { name: 'Bold' })
      .click()
    await expect
      .poll(() => shownChanges(union))
      .toEqual(
        expect.arrayContaining([
          { kind: 'delete', text: 'mutual obligation', author: 'you' },
          { kind: 'insert', text: 'binding commitment', author: 'you' },
          { kind: 'delete', text: SENTENCE.trim(), author: 'you' },
          expect.objectContaining({ kind: 'format', author: 'you' }),
        ]),
      )
    expect(await unionText.locator('strong', { hasText: 'no loss of employment' }).count()).toBe(1)
    await showAndPaint(clause5(unionText))
    await screenshot(union, 'tracked-1-union-member-suggests')

    // 2. The union's lead reads the member's changes, writes the rationale and shares clause 5.
    await switchUser(union, 'labor.lead@demo.test')
    const leadText = await suggesting(union, UNION)
    await expect
      .poll(async () => (await shownChanges(union)).map((change) => change.author))
      .toEqual(expect.arrayContaining(['Priya Shah']))
    await shareClause5(union, leadText, 'Members need to know their jobs are secure.')
    await showAndPaint(clause5(leadText))
    await screenshot(union, 'tracked-2-union-lead-shares')

    // 3. Management counters on the same clause: inserts words and types over one; its lead shares.
    const managementText = await suggesting(management, MANAGEMENT)
    await placeCaretAfter(clause5(managementText), 'attrition,')
    await management.keyboard.type(' voluntary transfers,')
    await selectWords(clause5(managementText), 'aggressive')
    await management.keyboard.type('active')
    await expect
      .poll(() => shownChanges(management))
      .toEqual(
        expect.arrayContaining([
          { kind: 'insert', text: 'voluntary transfers,', author: 'you' },
          { kind: 'insert', text: 'active', author: 'you' },
        ]),
      )
    await switchUser(management, 'mgmt.lead@demo.test')
    const managementLeadText = await suggesting(management, MANAGEMENT)
    await shareClause5(management, managementLeadText, 'Flexibility to redeploy staff.')
    await showAndPaint(clause5(managementLeadText))
    await screenshot(management, 'tracked-3-management-shares')

    // 4. The mediator reviews clause 5: accepts the union's bold and management's insertion,
    //    rejects the union's struck sentence.
    const review = await clause5Of(mediator, 1)
    const overlay = mediator.getByRole('textbox', { name: 'Single Text 1 with shared suggestions' })
    await expect.poll(() => overlay.locator('[data-party="labor"]').count()).toBeGreaterThan(0)
    await expect.poll(() => overlay.locator('[data-party="mgmt"]').count()).toBeGreaterThan(0)
    await review.getByRole('heading', { name: 'Review the suggestions on clause 5' }).waitFor()
    expect(await review.textContent()).toContain('Interest: Members need to know their jobs')
    // The union's bold is seen as bold, and said in words, not only outlined.
    const bolded = overlay.locator('.ovl-fmt[data-party="labor"]')
    expect(await bolded.textContent()).toBe('no loss of employment')
    expect(await bolded.evaluate((element) => getComputedStyle(element).fontWeight)).toBe('700')
    expect(
      await review
        .locator('.review-change', { hasText: 'no loss of employment' })
        .locator('.review-kind')
        .textContent(),
    ).toBe('Made bold')
    await showAndPaint(clause5(overlay))
    await screenshot(mediator, 'tracked-4-mediator-overlay')
    const decide = async (name: RegExp, decided: 'accepted' | 'rejected') => {
      const button = review.getByRole('button', { name })
      const row = review.locator('.review-change', { has: mediator.getByRole('button', { name }) })
      const id = await row.getAttribute('data-change-id')
      await button.click()
      await review.locator(`.review-change.review-${decided}[data-change-id="${id}"]`).waitFor()
    }
    await decide(new RegExp(`^Accept: ${UNION} made bold ‘no loss of employment’`), 'accepted')
    await decide(new RegExp(`^Accept: ${MANAGEMENT} inserted ‘voluntary transfers,’`), 'accepted')
    await decide(new RegExp(`^Reject: ${UNION} deleted ‘We recognize that`), 'rejected')
    await showAndPaint(review.locator('.review-rejected'))
    await screenshot(mediator, 'tracked-5-mediator-decided')

    // The clause's history names party, author, suggestion and Single Text 1 of what was accepted.
    const token = (await signInDemo(url, 'mediator')).token
    const listed = await callApi<Array<{ id: string; partyId: string }>>(
      url,
      'GET',
      `/api/negotiations/${N}/suggestions?iteration=1`,
      token,
    )
    const suggestionOf = (party: string) =>
      listed.body.find((suggestion) => suggestion.partyId === party)?.id ?? 'none'
    const history = review.locator('.history-timeline')
    await expect
      .poll(() => history.textContent())
      .toContain(
        `accepted a change of the ${UNION} suggestion by Priya Shah on Single Text 1: made bold ‘no loss of employment’`,
      )
    expect(await history.textContent()).toContain(
      `accepted a change of the ${MANAGEMENT} suggestion by Sam Whitfield on Single Text 1: inserted ‘voluntary transfers,’`,
    )
    // What was done in words, and the suggestion's id only in the tooltip.
    expect(await history.textContent()).not.toMatch(/reformatted|s-[0-9a-f]{8}-/)
    expect(
      await history.locator('[title]', { hasText: 'made bold' }).first().getAttribute('title'),
    ).toBe(`Suggestion ${suggestionOf('labor')}`)
    await showAndPaint(history)
    await screenshot(mediator, 'tracked-6-clause-history')

    // The working draft has the accepted words and the bold, and the struck sentence still.
    await review.getByRole('button', { name: 'Edit freely in the working draft' }).click()
    const draft = mediator.getByRole('textbox', { name: 'Working draft' })
    await expect.poll(() => draft.textContent()).toContain('attrition, voluntary transfers, growth')
    expect(await draft.locator('strong', { hasText: 'no loss of employment' }).count()).toBe(1)
    expect(await draft.textContent()).toContain(SENTENCE.trim())
    // The mediator writes their own word where the union's replacement was (left open).
    await selectWords(clause5(draft), 'mutual')
    await mediator.keyboard.type('joint')
    await expect
      .poll(() => mediator.locator('.save-status').textContent())
      .toBe('All changes saved')
    await showAndPaint(draft.locator('strong', { hasText: 'no loss of employment' }))
    await screenshot(mediator, 'tracked-7-working-draft')

    // 5. The mediator circulates Single Text 2 through the circulate form.
    await mediator.getByLabel('Note to the table on Single Text 2').fill('Clause 5 as reviewed')
    await mediator.getByRole('button', { name: 'Circulate as Single Text 2' }).click()
    await mediator.getByText('Single Text 2 goes to everyone at the table').waitFor()
    // Before it goes, the changes since Single Text 1 with where each came from.
    await mediator
      .getByRole('button', { name: 'Review the changes against Single Text 1 as a redline' })
      .click()
    const since = mediator.locator('#draft-redline .draft-change')
    await expect
      .poll(async () => (await since.allTextContents()).join('\n'))
      .toMatch(/voluntary transfers/)
    const rows = await since.allTextContents()
    expect(rows.find((row) => row.includes('voluntary transfers'))).toContain('Sam Whitfield')
    const bold = rows.find((row) => row.includes('no loss of employment')) ?? ''
    expect(bold).toContain('Priya Shah')
    expect(bold).toContain('Bold added to ‘no loss of employment’')
    // Words of a change never run into the words after it or its provenance.
    expect(rows.find((row) => row.includes('voluntary transfers'))).toMatch(
      /transfers,\]? ?growth\b.*\S\s+From the Management suggestion by Sam Whitfield on Single Text 1, accepted by/,
    )
    expect(rows.find((row) => row.includes('joint'))).toContain('Mediator’s edit')
    await showAndPaint(mediator.locator('#draft-redline'))
    await screenshot(mediator, 'tracked-8-circulate-confirm')
    await mediator.getByRole('button', { name: 'Circulate Single Text 2' }).click()

    // 6. Both parties see Single Text 2: the accepted words and their provenance, management's
    //    change still open on unchanged words carried onto it, the union's (on words the mediator
    //    changed) shown against Single Text 1's words.
    for (const [page, label] of [
      [union, 'union'],
      [management, 'management'],
    ] as const) {
      await expect
        .poll(() => page.locator('.iteration-label').textContent())
        .toMatch(/^Single Text 2/)
      const panel = await clause5Of(page, 2)
      const text = page.getByRole('textbox', { name: 'Single Text 2 with shared suggestions' })
      await text.waitFor()
      await expect.poll(() => seenText(text)).toContain('a joint obligation')
      expect(await seenText(text)).toContain('attrition, voluntary transfers, growth')
      expect(await text.locator('strong', { hasText: 'no loss of employment' }).count()).toBe(1)
      // Side by side, the current text keeps its bold too.
      expect(
        await panel
          .getByRole('textbox', { name: 'Single Text 2, clause 5' })
          .locator('strong', { hasText: 'no loss of employment' })
          .count(),
      ).toBe(1)
      // Carried: management's "active" over "aggressive" is in place on Single Text 2.
      await expect
        .poll(() => text.locator('ins[data-party="mgmt"]').allTextContents())
        .toContainEqual(expect.stringContaining('active'))
      expect(await text.locator('ins', { hasText: 'binding commitment' }).count()).toBe(0)
      // Written against Single Text 1: the union's replacement over Single Text 1's words.
      const earlier = panel.locator('.alternative', {
        hasText: 'Written against Single Text 1; the text changed.',
      })
      await earlier.first().waitFor()
      expect(await earlier.locator('.ovl-del').allTextContents()).toContainEqual(
        expect.stringContaining('mutual obligation'),
      )
      expect(await earlier.locator('ins').allTextContents()).toContainEqual(
        expect.stringContaining('binding commitment'),
      )
      // Provenance of the accepted language.
      await expect
        .poll(() => panel.locator('.history-timeline').textContent())
        .toMatch(new RegExp(`${UNION} suggestion by Priya Shah`))
      expect(await panel.locator('.history-timeline').textContent()).toMatch(
        new RegExp(`${MANAGEMENT} suggestion by Sam Whitfield`),
      )
      await showAndPaint(text.locator('ins[data-party="mgmt"]').first())
      await screenshot(page, `tracked-9-${label}-single-text-2`)
      await showAndPaint(earlier.first())
      await screenshot(page, `tracked-10-${label}-written-against-1`)
    }

    // Side by side at 1280x800: each column wide enough to read (one under the other in the
    // narrow panel), as tall as its words, and the clause's heading whole at the top of each.
    await union.setViewportSize({ width: 1280, height: 800 })
    const columns = union.locator('.suggestion-columns > .alternative')
    await expect.poll(() => columns.count()).toBe(3)
    for (let at = 0; at < 3; at++) {
      const column = columns.nth(at)
      const box = await column.boundingBox()
      expect(box?.width).toBeGreaterThanOrEqual(240)
      const scroller = column.locator('.overlay-column')
      const heading = scroller.getByRole('heading').first()
      const [top, headingTop] = [await scroller.boundingBox(), await heading.boundingBox()]
      expect(headingTop?.y).toBeGreaterThanOrEqual((top?.y ?? 0) - 1)
      // No blank space below the words (the text's editor is as tall as its clause).
      expect(
        await scroller.locator('.suggestion-overlay-text').evaluate((element) => {
          const last = element.lastElementChild?.getBoundingClientRect().bottom ?? 0
          return element.getBoundingClientRect().bottom - last
        }),
      ).toBeLessThan(24)
      // Nothing scrolls across: the words a screen reader hears around a change, the whole deleted
      // sentence among them, overhang their one-pixel box on one line, unseen (styles.css).
      expect(
        await scroller.evaluate((element) => element.scrollWidth - element.clientWidth),
      ).toBeLessThanOrEqual(0)
    }
    const sideBySide = union.getByRole('heading', { name: 'Shared suggestions side by side' })
    await sideBySide.evaluate((node) => node.scrollIntoView({ block: 'start' }))
    await showAndPaint(sideBySide)
    await sideBySide.evaluate((node) => node.scrollIntoView({ block: 'start' }))
    await screenshot(union, 'tracked-11-columns-1280')
  })
})

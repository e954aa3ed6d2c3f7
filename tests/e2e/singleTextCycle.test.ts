/**
 * The single-text cycle in three browsers (mediator, union lead, management lead): circulate
 * Single Text 1, the union side suggests language for clause 3 in its copy with a rationale, its
 * lead shares it, the mediator accepts it and circulates Single Text 2, both leads sign
 * clause 3, the status board shows it tentatively agreed, an edit to it is refused until both leads
 * consent to reopen it.
 */
import { RATIONALES_ROOT, readSeed } from '@onetext/shared/suggestions/copyDoc'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { findClauseElement } from '../../server/src/negotiation/draftOps'
import { callApi } from '../helpers/api'
import {
  placeCaretAtEnd,
  placeCaretAtStart,
  screenshot,
  seriousAxeViolations,
  signInWithKeyboard,
} from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { login, TEST_PASSWORD } from '../helpers/testServer'
import { connectClient, waitForDoc, whenSynced } from '../helpers/yClient'

const DEMO = 'lmp-1997'
/** What the union suggests at the end of clause 3. */
const CLAUSE_3_ADDITION =
  ' Where the vital interests of either party are affected, no decision is final without consensus. The mediator may convene the parties to reach it.'

describe('the single-text cycle in the browser', () => {
  const suite = useBrowserSuite()

  async function enter(email: string): Promise<Page> {
    const page = await suite.newPage()
    await page.goto(`${suite.server.url}/`)
    await signInWithKeyboard(page, email, TEST_PASSWORD)
    await page.getByRole('link', { name: /National Labor-Management/ }).click()
    await page.getByRole('navigation', { name: 'Views' }).waitFor()
    return page
  }

  const tab = (page: Page, name: string | RegExp) =>
    page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name })
  const clauseCard = (page: Page, heading: string) =>
    page.locator('.clause-card', { has: page.getByRole('heading', { name: heading }) })
  /**
   * Adds `words` at the end of clause 3's last paragraph in the union's copy of Single Text 1, as
   * a union member's editor writes it, with `rationale`; the union lead shares the clause. Returns
   * the shared suggestion's id.
   */
  async function suggestAndShare(words: string, rationale: string): Promise<string> {
    const url = suite.server.url
    const mediatorToken = await login(url, 'mediator@demo.test')
    const first = await callApi<{ clauses: Array<{ id: string; heading: string }> }>(
      url,
      'GET',
      `/api/negotiations/${DEMO}/iterations/1`,
      mediatorToken,
    )
    const clauseId = first.body.clauses.find((clause) => clause.heading === 'Decision-Making')?.id
    if (!clauseId) throw new Error('Single Text 1 has a clause 3')
    const copy = connectClient(
      url,
      `${DEMO}.suggest.labor.1`,
      await login(url, 'labor.member@demo.test'),
    )
    try {
      await whenSynced(copy)
      await waitForDoc(copy.doc, (doc) => readSeed(doc) !== null)
      const paragraphs = (findClauseElement(copy.doc, clauseId)?.toArray() ?? []).filter(
        (child): child is Y.XmlElement =>
          child instanceof Y.XmlElement && child.nodeName === 'paragraph',
      )
      const last = paragraphs[paragraphs.length - 1]?.get(0)
      if (!(last instanceof Y.XmlText)) throw new Error('clause 3 has no paragraph')
      copy.doc.transact(() => {
        last.insert(last.length, words)
        copy.doc.getMap<Y.Text>(RATIONALES_ROOT).set(clauseId, new Y.Text(rationale))
      })
      await copy.tracker.whenSaved()
    } finally {
      copy.destroy()
    }
    const shared = await callApi<Array<{ id: string }>>(
      url,
      'POST',
      `/api/negotiations/${DEMO}/suggestions/share`,
      await login(url, 'labor.lead@demo.test'),
      { iteration: 1, clauseIds: [clauseId] },
    )
    expect(shared.status).toBe(200)
    return shared.body[0]?.id ?? ''
  }

  const savedAll = (page: Page) =>
    expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')

  it('runs from first circulation to a tentatively agreed, locked and reopened clause', async () => {
    const mediator = await enter('mediator@demo.test')
    const union = await enter('labor.lead@demo.test')
    const management = await enter('mgmt.lead@demo.test')

    // 1. The mediator circulates Single Text 1; everyone is told live.
    await mediator
      .getByLabel('Note to the table on Single Text 1')
      .fill('First single text for discussion')
    await mediator.getByRole('button', { name: 'Circulate as Single Text 1' }).click()
    // Nothing is circulated on one click: the page says what will happen, then acts.
    await mediator.getByText('Single Text 1 goes to everyone at the table').waitFor()
    await mediator.getByRole('button', { name: 'Circulate Single Text 1' }).click()
    for (const page of [mediator, union, management]) {
      await expect
        .poll(() => page.locator('.iteration-label').textContent())
        .toMatch(/^Single Text 1, circulated/)
    }

    // 2-4. The union side suggests language for clause 3 in its copy of Single Text 1 (written
    // as the editor writes it), its lead shares it with a rationale, and the mediator accepts it:
    // through the copy and the API (the suggesting and reviewing pages have tests of their own).
    const suggestion = await suggestAndShare(CLAUSE_3_ADDITION, 'Members need certainty.')
    const accepted = await callApi<{ status: string }>(
      suite.server.url,
      'POST',
      `/api/negotiations/${DEMO}/suggestions/${suggestion}/accept`,
      await login(suite.server.url, 'mediator@demo.test'),
      {},
    )
    expect(accepted.status).toBe(200)
    expect(accepted.body.status).toBe('accepted')
    await tab(mediator, 'Single Text 1').click()
    const mediatorClause = clauseCard(mediator, '3. Decision-Making')
    await mediatorClause.getByRole('button', { name: /Decision-Making/ }).click()
    const panel = mediator.getByRole('complementary', { name: 'Clause 3' })
    await expect.poll(() => panel.getByText(/accepted by Dana Reyes/).count()).toBeGreaterThan(0)
    await screenshot(mediator, 'cycle-2-accepted')
    expect(await seriousAxeViolations(mediator)).toEqual([])

    // 5. Circulate Single Text 2 with the accepted words.
    await tab(mediator, 'Working draft').click()
    const draft = mediator.getByRole('textbox', { name: 'Working draft' })
    await expect
      .poll(() => draft.textContent())
      .toContain('The mediator may convene the parties to reach it.')
    await mediator
      .getByLabel('Note to the table on Single Text 2')
      .fill('Accepted union language on 3')
    await mediator.getByRole('button', { name: 'Circulate as Single Text 2' }).click()
    const changes = mediator.locator('.circulate-changes li')
    await expect.poll(() => changes.allTextContents()).toEqual(['3. Decision-Making (changed)'])
    // The changes can be reviewed as a redline before anything is sent.
    await mediator
      .getByRole('button', { name: 'Review the changes against Single Text 1 as a redline' })
      .click()
    const redline = mediator.locator('#draft-redline')
    await expect
      .poll(() => redline.locator('ins').allTextContents())
      .toContainEqual(expect.stringContaining('convene'))
    expect(await redline.getByRole('region').count()).toBe(1)
    await screenshot(mediator, 'cycle-circulate-confirm')
    await mediator.getByRole('button', { name: 'Circulate Single Text 2' }).click()
    await expect
      .poll(() => union.locator('.iteration-label').textContent())
      .toMatch(/^Single Text 2/)

    // 6. Both leads sign clause 3.
    for (const [page, party] of [
      [union, 'Coalition of Unions'],
      [management, 'Management'],
    ] as const) {
      await tab(page, 'Single Text 2').click()
      await clauseCard(page, '3. Decision-Making')
        .getByRole('button', { name: /Decision-Making/ })
        .click()
      await page.getByRole('button', { name: `Sign clause 3 for ${party}` }).click()
      await page.getByRole('button', { name: 'Initial clause 3' }).click()
      await expect
        .poll(() =>
          page
            .getByRole('complementary', { name: 'Clause 3' })
            .getByText(/initialled/)
            .count(),
        )
        .toBeGreaterThan(0)
    }

    // Management records an objection at the table on clause 3; the union side sees it, threaded.
    const mgmtPanel = management.getByRole('complementary', { name: 'Clause 3' })
    await mgmtPanel.getByLabel('Kind', { exact: true }).selectOption('question')
    // An annotation stays with its writer's party unless the table is chosen, and the form says
    // who will read it before it is sent.
    const readers = mgmtPanel.locator('.annotation-readers')
    expect(await readers.textContent()).toBe(
      'Read by: Management only (not the mediator, not the other parties)',
    )
    await mgmtPanel.getByLabel('Where', { exact: true }).selectOption({ label: 'the table' })
    expect(await readers.textContent()).toBe(
      'Read by: everyone at the table, including the other parties',
    )
    await mgmtPanel
      .getByLabel('Comment', { exact: true })
      .fill('Who convenes the parties when the mediator is absent?')
    await mgmtPanel.getByRole('button', { name: 'Add annotation' }).click()
    const unionPanel = union.getByRole('complementary', { name: 'Clause 3' })
    const note = unionPanel.locator('.annotation', { hasText: 'Who convenes the parties' })
    await expect.poll(() => note.count()).toBe(1)
    expect(await note.textContent()).toContain('in the table by Morgan Ellis')
    await note.getByLabel('Reply').fill('The parties jointly, as in section 2.')
    await note.getByRole('button', { name: 'Reply' }).click()
    await expect
      .poll(() => mgmtPanel.locator('.annotation-reply').allTextContents())
      .toContain('Luis Ortega: The parties jointly, as in section 2.')

    // 7. The status board shows clause 3 tentatively agreed.
    await tab(management, 'Status board').click()
    const row = management.getByRole('row', { name: /3\. Decision-Making/ })
    await expect.poll(() => row.textContent()).toContain('Tentatively agreed')
    expect(await row.textContent()).toContain('Signed LO')
    expect(await row.textContent()).toContain('Signed ME')
    await screenshot(management, 'cycle-3-status-board')

    // 8. An edit to clause 3 is refused: the editor will not take it, and nothing changes.
    await tab(mediator, 'Working draft').click()
    const lockedParagraph = draft
      .locator('section.clause-locked p')
      .filter({ hasText: 'The mediator may convene' })
    await expect.poll(() => lockedParagraph.count()).toBe(1)
    // Locked is said in words (and an icon), not by the tint alone.
    expect(await draft.locator('.clause-lock-note').allTextContents()).toEqual([
      expect.stringContaining('Tentatively agreed and locked'),
    ])
    await draft
      .locator('.clause-lock-note')
      .evaluate((note) => note.scrollIntoView({ block: 'center' }))
    await draft.locator('h2', { hasText: 'Decision-Making' }).waitFor()
    await screenshot(mediator, 'cycle-4-lock-note')
    const before = await draft.textContent()
    await placeCaretAtEnd(lockedParagraph)
    await mediator.keyboard.type(' unilateral change')
    expect(await draft.textContent()).toBe(before)
    // The refused keystroke says why, in a live region a screen reader announces.
    const refusedNote = mediator.getByRole('status').filter({ hasText: 'Nothing was changed' })
    await refusedNote.waitFor()
    expect(await refusedNote.textContent()).toContain('tentatively agreed and locked')
    await screenshot(mediator, 'cycle-4-locked-keystroke')
    // Nor will it add a block after the clause's last one (Enter at the start of the next
    // heading), which the server would refuse, ending this copy's saving.
    const scope = draft.locator('h2', { hasText: 'Scope' })
    await placeCaretAtStart(scope)
    await mediator.keyboard.press('Enter')
    expect(await draft.textContent()).toBe(before)
    expect(await scope.textContent()).toBe('4. Scope')
    await savedAll(mediator)
    await screenshot(mediator, 'cycle-4-locked-clause')

    // 9. Both leads consent to reopen; then the change goes through.
    await union
      .getByRole('complementary', { name: 'Clause 3' })
      .getByLabel('Reason to reopen')
      .fill('Consultation period needs a time limit')
    await union.getByRole('button', { name: 'Ask to reopen' }).click()
    await tab(management, 'Single Text 2').click()
    await clauseCard(management, '3. Decision-Making')
      .getByRole('button', { name: /Decision-Making/ })
      .click()
    await management.getByRole('button', { name: 'Consent to reopen for Management' }).click()
    await management.getByRole('button', { name: 'Consent to reopen', exact: true }).click()
    await expect.poll(() => draft.locator('.clause-locked').count()).toBe(0)
    expect(await draft.locator('.clause-lock-note').count()).toBe(0)
    await placeCaretAtEnd(draft.locator('p').filter({ hasText: 'The mediator may convene' }))
    await mediator.keyboard.type(' Within thirty days.')
    await expect.poll(() => draft.textContent()).toContain('Within thirty days.')
    await savedAll(mediator)
  })
})

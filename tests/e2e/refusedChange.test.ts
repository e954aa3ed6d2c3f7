/**
 * A change the server refuses in the browser: the mediator's page has not yet heard that clause 3
 * was tentatively agreed (its status document's messages are held back here, as a slow network
 * would), so the editor takes an edit to it; the server refuses it. The page must keep every other
 * edit, before and after the refused one, without a reload: it rebuilds from the server's copy,
 * takes the refused change out, saves the rest and says what was refused. Refusals that keep coming
 * back end with the editor stopped and a reload offered.
 */
import type { WebSocketRoute } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { openWorkingDraft, placeCaretAtEnd, screenshot } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { loadStoredDoc, login, TEST_PASSWORD } from '../helpers/testServer'
import { plainText } from '../helpers/yClient'

const N = 'lmp-1997'

describe('a refused change in the browser', () => {
  const suite = useBrowserSuite()

  it('takes out only the refused change, keeps and saves the rest without a reload', async () => {
    const url = suite.server.url
    const token = async (who: string) => login(url, `${who}@demo.test`)
    const api = async (who: string, path: string, body?: unknown) =>
      callApi(url, 'POST', `/api/negotiations/${N}${path}`, await token(who), body)
    expect((await api('mediator', '/iterations', { note: 'First text' })).status).toBe(201)
    const iteration = await callApi<{ clauses: Array<{ id: string; heading: string }> }>(
      url,
      'GET',
      `/api/negotiations/${N}/iterations/1`,
      await token('mediator'),
    )
    const clause = iteration.body.clauses.find(
      (candidate) => candidate.heading === 'Decision-Making',
    )
    expect(clause).toBeDefined()

    const page = await suite.newPage()
    // Hold back what the server says on the status document while `holdStatus` is set.
    let holdStatus = false
    await page.routeWebSocket(/\/sync\/lmp-1997\.status/, (ws: WebSocketRoute) => {
      const server = ws.connectToServer()
      server.onMessage((message) => {
        if (!holdStatus) ws.send(message)
      })
    })
    await openWorkingDraft(page, url, 'mediator@demo.test', TEST_PASSWORD)
    // Set on this page load only: still there after the rebuild means there was no reload.
    await page.evaluate(() => {
      ;(window as unknown as { sameLoad: boolean }).sameLoad = true
    })
    const draft = () => page.getByRole('textbox', { name: 'Working draft' })
    const locked = () => draft().locator('p', { hasText: 'The decision-making process may vary' })
    const earlier = () =>
      draft().locator('p', { hasText: 'Health care services and the institutions' }).first()
    const later = () =>
      draft().locator('p', { hasText: 'The issue of scope is inextricably' }).first()
    await locked().waitFor()
    await earlier().waitFor()
    await later().waitFor()

    holdStatus = true
    for (const [lead, initials] of [
      ['labor.lead', 'LO'],
      ['mgmt.lead', 'ME'],
    ] as const) {
      expect((await api(lead, `/clauses/${clause?.id}/signoff`, { initials })).status).toBe(200)
    }
    // The page has not heard of the lock: the editor takes the edit, between two others.
    expect(await draft().locator('.clause-locked').count()).toBe(0)
    await placeCaretAtEnd(earlier())
    await page.keyboard.type(' Edit before.')
    await placeCaretAtEnd(locked())
    // One input (one transaction, one message): typed key by key on a slow machine, the refusal
    // can arrive halfway and the rest of the words go to the rebuilt copy, refused again.
    await page.keyboard.insertText(' unilateral change')
    await placeCaretAtEnd(later())
    await page.keyboard.type(' Edit after.')

    const notice = page.getByRole('status').filter({ hasText: 'A change was not saved' })
    await expect.poll(() => notice.count()).toBe(1)
    expect(await notice.textContent()).toContain('tentatively agreed clause')
    await page.waitForFunction(
      () => document.querySelector('.save-status')?.textContent === 'All changes saved',
    )
    const text = await draft().textContent()
    expect(text).toContain('Edit before.')
    expect(text).toContain('Edit after.')
    expect(text).not.toContain('unilateral change')
    expect(await draft().getAttribute('contenteditable')).toBe('true')
    expect(await page.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad)).toBe(
      true,
    )
    const stored = plainText(await loadStoredDoc(suite.server, `${N}.draft`))
    expect(stored).toContain('Edit before.')
    expect(stored).toContain('Edit after.')
    expect(stored).not.toContain('unilateral change')
    await screenshot(page, 'refused-change-kept-the-rest')
    // The caret is where it was: typing goes on in the rebuilt editor.
    await page.keyboard.type(' Still typing.')
    await expect.poll(() => later().textContent()).toContain('Edit after. Still typing.')

    // The same refusal over and over (the page still has not heard of the lock): after a few
    // rebuilds the copy stops taking edits and offers a reload instead.
    const alert = page.getByRole('alert')
    for (let attempt = 0; attempt < 6 && (await alert.count()) === 0; attempt++) {
      await placeCaretAtEnd(locked())
      await page.keyboard.type(' again')
      await expect
        .poll(async () =>
          (await alert.count()) > 0 ? 'stopped' : await page.locator('.save-status').textContent(),
        )
        .toMatch(/stopped|All changes saved/)
    }
    await expect.poll(() => alert.textContent()).toContain('tentatively agreed clause')
    expect(await alert.textContent()).toContain('reload the page')
    expect(await page.locator('.save-status').getAttribute('data-state')).toBe('refused')
    expect(await draft().getAttribute('contenteditable')).toBe('false')
    await screenshot(page, 'refused-change')

    holdStatus = false
    await alert.getByRole('button', { name: 'Reload' }).click()
    await page.waitForFunction(
      () => document.querySelector('.save-status')?.textContent === 'All changes saved',
    )
    const reloaded = page.getByRole('textbox', { name: 'Working draft' })
    await expect.poll(() => reloaded.locator('.clause-locked').count()).toBeGreaterThan(0)
    expect(await reloaded.textContent()).not.toContain('unilateral change')
    expect(await reloaded.textContent()).toContain('Edit after.')
    expect(await reloaded.getAttribute('contenteditable')).toBe('true')
  })
})

/**
 * A change the server refuses in the browser: the mediator's page has not yet heard that clause 3
 * was tentatively agreed (its status document's messages are held back here, as a slow network
 * would), so the editor takes an edit to it; the server refuses it. The page must not claim it was
 * saved or take further edits that can never be saved: it says why, stops editing, and a reload
 * starts again from the server's copy.
 */
import type { WebSocketRoute } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { openWorkingDraft, placeCaretAtEnd, screenshot } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { login, TEST_PASSWORD } from '../helpers/testServer'

const N = 'lmp-1997'

describe('a refused change in the browser', () => {
  const suite = useBrowserSuite()

  it('says the change was refused, stops editing, and reloads from the server’s copy', async () => {
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
    const draft = page.getByRole('textbox', { name: 'Working draft' })
    const paragraph = draft.locator('p', { hasText: 'The decision-making process may vary' })
    await paragraph.waitFor()

    holdStatus = true
    for (const [lead, initials] of [
      ['labor.lead', 'LO'],
      ['mgmt.lead', 'ME'],
    ] as const) {
      expect((await api(lead, `/clauses/${clause?.id}/signoff`, { initials })).status).toBe(200)
    }
    // The page has not heard of the lock: the clause is not shaded, and the editor takes the edit.
    expect(await draft.locator('.clause-locked').count()).toBe(0)
    await placeCaretAtEnd(paragraph)
    await page.keyboard.type(' unilateral change')

    const alert = page.getByRole('alert')
    await expect.poll(() => alert.textContent()).toContain('tentatively agreed clause')
    expect(await alert.textContent()).toContain('reload the page')
    expect(await page.locator('.save-status').getAttribute('data-state')).toBe('refused')
    expect(await draft.getAttribute('contenteditable')).toBe('false')
    expect(await page.getByRole('toolbar').count()).toBe(0)
    await screenshot(page, 'refused-change')

    holdStatus = false
    await alert.getByRole('button', { name: 'Reload' }).click()
    await page.waitForFunction(
      () => document.querySelector('.save-status')?.textContent === 'All changes saved',
    )
    const reloaded = page.getByRole('textbox', { name: 'Working draft' })
    await expect.poll(() => reloaded.locator('.clause-locked').count()).toBeGreaterThan(0)
    expect(await reloaded.textContent()).not.toContain('unilateral change')
    expect(await reloaded.getAttribute('contenteditable')).toBe('true')
  })
})

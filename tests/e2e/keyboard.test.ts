/**
 * The keyboard's way through a page: the first Tab reaches "Skip to the content", which moves the
 * focus past the header to the page's content, on the negotiation list and in a negotiation.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { screenshot, seriousAxeViolations, signInWithKeyboard } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { TEST_PASSWORD } from '../helpers/testServer'

describe('the keyboard', () => {
  const suite = useBrowserSuite()

  const focused = (page: Page) =>
    page.evaluate(() => {
      const element = document.activeElement
      return { id: element?.id ?? '', text: element?.textContent?.trim() ?? '' }
    })

  async function skipsToContent(page: Page) {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.keyboard.press('Tab')
    expect((await focused(page)).text).toBe('Skip to the content')
    expect(await page.getByRole('link', { name: 'Skip to the content' }).isVisible()).toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await focused(page)).id).toBe('content')
  }

  it('skips the header to the content on every page with one', async () => {
    const page = await suite.newPage()
    await page.goto(`${suite.server.url}/`)
    await signInWithKeyboard(page, 'labor.lead@demo.test', TEST_PASSWORD)
    await page.getByRole('link', { name: /National Labor-Management/ }).waitFor()
    await skipsToContent(page)
    // The next Tab lands in the content, not back in the header.
    await page.keyboard.press('Tab')
    expect((await focused(page)).text).toMatch(/National Labor-Management/)

    await page.goto(`${suite.server.url}/negotiations/lmp-1997`)
    await page.getByRole('navigation', { name: 'Views' }).waitFor()
    await skipsToContent(page)
  })

  it('passes axe on sign-in, the negotiation list, the status board and the members page', async () => {
    const page = await suite.newPage()
    await page.goto(`${suite.server.url}/`)
    await page.getByLabel('Email').waitFor()
    expect(await seriousAxeViolations(page)).toEqual([])
    await signInWithKeyboard(page, 'mediator@demo.test', TEST_PASSWORD)
    await page.getByRole('link', { name: /National Labor-Management/ }).waitFor()
    expect(await seriousAxeViolations(page)).toEqual([])
    await page.goto(`${suite.server.url}/negotiations/lmp-1997/board`)
    await page.getByRole('heading', { name: 'Status board' }).waitFor()
    expect(await seriousAxeViolations(page)).toEqual([])
    await page.goto(`${suite.server.url}/negotiations/lmp-1997/members`)
    await page.getByRole('heading', { name: 'Members', exact: true }).waitFor()
    expect(await seriousAxeViolations(page)).toEqual([])
    await screenshot(page, 'members-page')
  })
})

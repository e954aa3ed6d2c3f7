/**
 * Links to every view: each view, tab, iteration and clause has an address; opening it (or
 * reloading) shows that view; the page's title names the negotiation and the view; the browser's
 * back and forward move between views. A local table's links lead to the published texts only.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { screenshot, seriousAxeViolations } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { login } from '../helpers/testServer'
import { appendToClause, connectClient, whenSynced } from '../helpers/yClient'

const N = 'lmp-1997'
const TITLE = 'National Labor-Management Partnership Agreement, 1997'

describe('links to every view', () => {
  const suite = useBrowserSuite()

  const currentTab = (page: Page) =>
    page.getByRole('navigation', { name: 'Views' }).locator('[aria-current="page"]')

  /** Opens `path`, checks the view and the title, then reloads and checks them again. */
  async function opens(
    page: Page,
    path: string,
    check: { tab: string; title: string; also?: (page: Page) => Promise<void> },
  ) {
    for (const how of ['open', 'reload'] as const) {
      if (how === 'open') await page.goto(`${suite.server.url}${path}`)
      else await page.reload()
      await expect.poll(() => currentTab(page).textContent(), { timeout: 10_000 }).toBe(check.tab)
      await expect.poll(() => page.title()).toBe(check.title)
      await check.also?.(page)
      expect(new URL(page.url()).pathname).toBe(path)
    }
  }

  it('opens, reloads and goes back and forth between views by their addresses', async () => {
    const server = suite.server
    const mediatorToken = await login(server.url, 'mediator@demo.test')
    const api = <T>(method: string, path: string, body?: unknown) =>
      callApi<T>(server.url, method, `/api/negotiations/${N}${path}`, mediatorToken, body)
    expect((await api('POST', '/iterations', { note: 'First' })).status).toBe(201)
    const clauses = (await api<{ clauses: Array<{ id: string }> }>('GET', '/iterations/1')).body
      .clauses
    const clause3 = clauses[2]?.id ?? ''
    const draft = connectClient(server.url, `${N}.draft`, mediatorToken)
    await whenSynced(draft)
    appendToClause(draft.doc, clause3, ' The parties may agree otherwise.')
    await draft.tracker.whenSaved()
    draft.destroy()
    expect((await api('POST', '/iterations', { note: 'Second' })).status).toBe(201)
    expect((await api('POST', '/iterations/1/publish', { published: true })).status).toBe(200)

    const mediator = await suite.signedIn('mediator@demo.test')
    const clausePanel = (page: Page) => page.getByRole('complementary', { name: 'Clause 3' })
    await opens(mediator, `/negotiations/${N}/text/clause/${clause3}`, {
      tab: 'Single Text 2',
      title: `Clause 3. Decision-Making · Single Text 2 · ${TITLE} · OneText`,
      also: async (page) => {
        await clausePanel(page).waitFor()
        expect(await page.locator('.outline-link[aria-current="true"]').textContent()).toBe(
          '3. Decision-Making',
        )
      },
    })
    await screenshot(mediator, 'deep-link-clause')
    expect(await seriousAxeViolations(mediator)).toEqual([])

    await opens(mediator, `/negotiations/${N}/board`, {
      tab: 'Status board',
      title: `Status board · ${TITLE} · OneText`,
    })
    await opens(mediator, `/negotiations/${N}/layer/labor`, {
      tab: 'Coalition of Unions layer (read only)',
      title: `Coalition of Unions layer · ${TITLE} · OneText`,
    })
    await opens(mediator, `/negotiations/${N}/draft`, {
      tab: 'Working draft',
      title: `Working draft · ${TITLE} · OneText`,
    })
    await opens(mediator, `/negotiations/${N}/compare/1/2`, {
      tab: 'Compare',
      title: `Compare · ${TITLE} · OneText`,
      also: async (page) => {
        expect(await page.getByLabel('From').inputValue()).toBe('1')
        expect(await page.getByLabel('To').inputValue()).toBe('2')
        await page.getByRole('heading', { name: '1 clause changed' }).waitFor()
      },
    })
    await opens(mediator, `/negotiations/${N}/iterations/1/clause/${clause3}`, {
      tab: 'All iterations',
      title: `Clause 3. Decision-Making · Single Text 1 · ${TITLE} · OneText`,
      also: async (page) => {
        expect(await page.getByLabel('Text as of').inputValue()).toBe('1')
        await page.getByRole('button', { name: '3. Decision-Making', pressed: true }).waitFor()
        await page
          .getByRole('complementary', { name: 'Clause history' })
          .getByText(/Single Text 1/)
          .first()
          .waitFor()
      },
    })

    // Clicking moves the address on; back and forward walk the views visited.
    await mediator.goto(`${server.url}/negotiations/${N}/text`)
    await expect.poll(() => currentTab(mediator).textContent()).toBe('Single Text 2')
    await mediator
      .getByRole('navigation', { name: 'Clauses' })
      .getByRole('button', { name: '5. Employment Security' })
      .click()
    await expect
      .poll(() => new URL(mediator.url()).pathname)
      .toBe(`/negotiations/${N}/text/clause/${clauses[4]?.id}`)
    await mediator
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Status board' })
      .click()
    await expect.poll(() => new URL(mediator.url()).pathname).toBe(`/negotiations/${N}/board`)
    await mediator.goBack()
    await expect.poll(() => currentTab(mediator).textContent()).toBe('Single Text 2')
    await mediator.getByRole('complementary', { name: 'Clause 5' }).waitFor()
    await mediator.goBack()
    await expect.poll(() => mediator.title()).toBe(`Single Text 2 · ${TITLE} · OneText`)
    expect(await mediator.getByRole('complementary', { name: /^Clause/ }).count()).toBe(0)
    await mediator.goForward()
    await mediator.getByRole('complementary', { name: 'Clause 5' }).waitFor()

    // A local table reads the published text by its address; an address of a view it does not
    // have shows its own default view.
    const observer = await suite.signedIn('observer@demo.test')
    await opens(observer, `/negotiations/${N}/iterations/1`, {
      tab: 'National text',
      title: `Single Text 1 · ${TITLE} · OneText`,
    })
    await observer.goto(`${server.url}/negotiations/${N}/draft`)
    await expect.poll(() => currentTab(observer).textContent()).toBe('National text')
    expect(await observer.getByRole('textbox', { name: 'Working draft' }).count()).toBe(0)
  })

  it('fits eight parties on one line of tabs, their layers one choice away', async () => {
    const token = await login(suite.server.url, 'mediator@demo.test')
    const parties = [
      'Nurses',
      'Engineers',
      'Clerical Staff',
      'Pharmacists',
      'Technicians',
      'Physicians',
      'Management',
      'Medical Group',
    ]
    const created = await callApi<{ id: string; parties: Array<{ id: string; name: string }> }>(
      suite.server.url,
      'POST',
      '/api/negotiations',
      token,
      {
        title: 'Eight-party round',
        parties,
        format: 'md',
        content: '# Eight-party round\n\n## Wages\n\nRates rise by 3%.\n',
      },
    )
    expect(created.status).toBe(201)
    const page = await suite.signedIn('mediator@demo.test')
    await page.goto(`${suite.server.url}/negotiations/${created.body.id}`)
    const tabs = page.getByRole('navigation', { name: 'Views' }).locator('li')
    await expect.poll(() => tabs.count()).toBeGreaterThan(2)
    const tops = await tabs.evaluateAll((items) =>
      items.map((item) => Math.round(item.getBoundingClientRect().top)),
    )
    expect(new Set(tops).size).toBe(1)
    const fits = await page
      .getByRole('navigation', { name: 'Views' })
      .locator('ul')
      .evaluate((list) => list.scrollWidth <= list.clientWidth)
    expect(fits).toBe(true)
    const choice = page.getByLabel('Party layer (read only)')
    expect(await choice.locator('option').count()).toBe(parties.length + 1)
    const pharmacists = created.body.parties.find((party) => party.name === 'Pharmacists')
    await choice.selectOption({ label: 'Pharmacists layer (read only)' })
    await expect
      .poll(() => new URL(page.url()).pathname)
      .toBe(`/negotiations/${created.body.id}/layer/${pharmacists?.id}`)
    expect(await choice.getAttribute('aria-current')).toBe('page')
    await expect.poll(() => page.title()).toBe('Pharmacists layer · Eight-party round · OneText')
    await screenshot(page, 'eight-party-tabs')
    expect(await seriousAxeViolations(page)).toEqual([])
  })
})

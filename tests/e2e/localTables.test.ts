/**
 * History and comparison: the mediator compares Single Text 1 with 2 and reads a clause's history;
 * a local table (observer) sees only what was published, read-only, and compares published texts.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import {
  placeCaretAtEnd,
  screenshot,
  seriousAxeViolations,
  signInWithKeyboard,
} from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { login, TEST_PASSWORD } from '../helpers/testServer'
import { appendToClause, connectClient, whenSynced } from '../helpers/yClient'

const FIXTURE = path.resolve(import.meta.dirname, '../../server/src/seed/lmp-agreement-1997.md')

describe('history, comparison and the local tables’ view', () => {
  const suite = useBrowserSuite()

  it('compares iterations and shows observers only published texts', async () => {
    const server = suite.server
    const mediatorToken = await login(server.url, 'mediator@demo.test')
    const api = (method: string, path: string, body?: unknown) =>
      callApi<{ clauses: Array<{ id: string }> }>(
        server.url,
        method,
        `/api/negotiations/lmp-1997${path}`,
        mediatorToken,
        body,
      )
    expect((await api('POST', '/iterations', { note: 'First text' })).status).toBe(201)
    const clauses = (await api('GET', '/iterations/1')).body.clauses
    const draft = connectClient(server.url, 'lmp-1997.draft', mediatorToken)
    await whenSynced(draft)
    appendToClause(
      draft.doc,
      clauses[4]?.id ?? '',
      ' Employment security extends to contracted services.',
    )
    await draft.tracker.whenSaved()
    draft.destroy()
    expect((await api('POST', '/iterations', { note: 'Second text' })).status).toBe(201)
    expect((await api('POST', '/iterations/1/publish', { published: true })).status).toBe(200)

    // The mediator compares 1 with 2.
    const mediator = await suite.newPage()
    await mediator.goto(`${server.url}/`)
    await signInWithKeyboard(mediator, 'mediator@demo.test', TEST_PASSWORD)
    await mediator.getByRole('link', { name: /National Labor-Management/ }).click()
    await mediator
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Compare' })
      .click()
    await expect
      .poll(() => mediator.getByRole('heading', { name: '1 clause changed' }).count())
      .toBe(1)
    const changed = mediator.getByRole('region', { name: 'Clause 5' })
    expect(await changed.locator('ins').allTextContents()).toContainEqual(
      expect.stringContaining('contracted services'),
    )
    // Screen readers do not announce <ins>: the words inside it say what it is.
    expect(await changed.locator('ins').first().textContent()).toMatch(/^\[inserted:\s[\s\S]*\]$/)
    // On a long text the changed clauses alone are what a reader wants.
    const clausesShown = mediator.locator('.diff-clause')
    const allClauses = await clausesShown.count()
    await mediator.getByRole('checkbox', { name: 'Changed clauses only' }).check()
    await expect.poll(() => clausesShown.count()).toBe(1)
    expect(await mediator.getByText(`${allClauses - 1} unchanged clauses not shown.`).count()).toBe(
      1,
    )
    expect(await seriousAxeViolations(mediator)).toEqual([])
    await screenshot(mediator, 'compare-changes-only')
    await mediator.getByRole('checkbox', { name: 'Changed clauses only' }).uncheck()
    await expect.poll(() => clausesShown.count()).toBe(allClauses)
    expect(await seriousAxeViolations(mediator)).toEqual([])
    // Lists read as lists in the comparison too: the Purpose clause's six goals, then in each
    // column side by side.
    const purpose = mediator.getByRole('region', { name: 'Clause 1' })
    expect(await purpose.locator('.clause-text ul > li').count()).toBe(6)
    await screenshot(mediator, 'compare-redline')
    await mediator.getByRole('button', { name: 'Side by side' }).click()
    await expect.poll(() => purpose.locator('.side-by-side ul > li').count()).toBe(12)
    await screenshot(mediator, 'compare-side-by-side')

    // Its history in the clause panel.
    await mediator
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Single Text 2' })
      .click()
    await mediator
      .locator('.clause-card', { hasText: 'Employment Security' })
      .getByRole('button', { name: /Employment Security/ })
      .click()
    const history = mediator
      .getByRole('complementary', { name: 'Clause 5' })
      .locator('.history-timeline')
    await expect
      .poll(() => history.textContent())
      .toContain('Single Text 2 (clause 5): words changed')
    await screenshot(mediator, 'clause-history')

    // The whole text as of Single Text 1, read-only.
    await mediator
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'All iterations' })
      .click()
    await mediator.getByLabel('Text as of').selectOption('1')
    const asOf = mediator
      .locator('.clause-card', { hasText: 'Employment Security' })
      .locator('.clause-text')
    // Both iterations contain the clause's first words: wait for the text of Single Text 1 itself
    // (the view switches once it has fetched that iteration).
    await expect
      .poll(async () => {
        const text = (await asOf.textContent()) ?? ''
        return (
          text.includes('The Parties acknowledge a mutual obligation') &&
          !text.includes('contracted services')
        )
      })
      .toBe(true)

    // The local table sees Single Text 1 only (2 is not published), read-only.
    const observer = await suite.newPage()
    await observer.goto(`${server.url}/`)
    await signInWithKeyboard(observer, 'observer@demo.test', TEST_PASSWORD)
    await observer.getByRole('link', { name: /National Labor-Management/ }).click()
    const tabs = observer.getByRole('navigation', { name: 'Views' }).getByRole('button')
    await expect.poll(() => tabs.allTextContents()).toEqual(['National text'])
    await expect
      .poll(() => observer.getByLabel('Published text').locator('option').allTextContents())
      .toEqual(['Single Text 1 (latest published)'])
    await expect.poll(() => observer.locator('.clause-card').count()).toBe(9)
    expect(await observer.locator('.clause-text').allTextContents()).not.toContainEqual(
      expect.stringContaining('contracted services'),
    )
    // The agreement's lists read as lists (the Purpose clause's six goals), not as "- " lines.
    const goals = observer
      .locator('.clause-card', { hasText: 'Purpose' })
      .locator('.clause-text li')
    expect(await goals.count()).toBe(6)
    expect(await goals.first().textContent()).toMatch(/^improve quality of health care/)
    // Read-only: no live editor at all.
    expect(await observer.locator('.ProseMirror').count()).toBe(0)
    expect(await seriousAxeViolations(observer)).toEqual([])
    await screenshot(observer, 'local-table-view')

    // The local table downloads the published text as PDF.
    const downloading = observer.waitForEvent('download')
    await observer.getByRole('button', { name: 'PDF' }).click()
    const download = await downloading
    expect(download.suggestedFilename()).toBe('lmp-1997-single-text-1.pdf')
    const pdf = await download.path()
    expect(execFileSync('pdftotext', [pdf, '-']).toString()).toContain('Decision-Making')

    // Once 2 is published the local table can compare.
    expect((await api('POST', '/iterations/2/publish', { published: true })).status).toBe(200)
    await observer.reload()
    await observer
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Compare' })
      .click()
    await expect
      .poll(() => observer.getByRole('heading', { name: '1 clause changed' }).count())
      .toBe(1)
    await screenshot(observer, 'local-table-compare')

    // A local supplement derived from Single Text 1: local changes and the national change since.
    // The view asks for the latest published text (2) first; the reader picks 1 while that answer
    // is still on its way. The late answer for 2 must not replace the text the reader picked.
    let releaseLatest = () => {}
    const latestHeld = new Promise<void>((resolve) => {
      releaseLatest = resolve
    })
    const latestAnswered = observer.waitForEvent('requestfinished', (request) =>
      /\/iterations\/2$/.test(request.url()),
    )
    await observer.route(/\/iterations\/2$/, async (route) => {
      await latestHeld
      await route.continue()
    })
    await observer.route(/\/iterations\/1$/, async (route) => {
      await route.fulfill({ response: await route.fetch() })
      releaseLatest()
    })
    await observer
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'National text' })
      .click()
    await observer.getByLabel('Published text').selectOption('1')
    await latestAnswered
    await expect
      .poll(() => observer.getByText(/^Single Text \d+, circulated/).textContent())
      .toMatch(/^Single Text 1,/)
    await observer.unrouteAll()
    await observer.getByLabel('Local supplement title').fill('Local 12')
    await observer
      .getByRole('button', { name: 'Start a local supplement from Single Text 1' })
      .click()
    await observer
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Local supplement: Local 12' })
      .click()
    const supplement = observer.getByRole('textbox', { name: 'Local supplement' })
    await supplement.waitFor()
    await placeCaretAtEnd(
      supplement.locator('p').filter({ hasText: 'The decision-making process may vary' }),
    )
    await observer.keyboard.type(' Locally, the site committee decides scheduling.')
    await expect
      .poll(() => observer.locator('.save-status').textContent())
      .toBe('All changes saved')
    await observer.getByRole('button', { name: 'Compare again' }).click()
    const differences = observer.locator('.supplement-diff')
    await expect.poll(() => differences.textContent()).toContain('Local change')
    expect(await differences.textContent()).toContain('National language changed')
    expect(await differences.locator('ins').allTextContents()).toContainEqual(
      expect.stringContaining('site committee'),
    )
    await screenshot(observer, 'local-supplement')
  })

  it('starts a negotiation from an imported Markdown file', async () => {
    const page = await suite.newPage()
    await page.goto(`${suite.server.url}/`)
    await signInWithKeyboard(page, 'mediator@demo.test', TEST_PASSWORD)
    await page.getByLabel('Title').fill('2025 Local 39 supplement talks')
    await page
      .getByLabel('Parties, separated by commas')
      .fill('Local 39, Regional Management, Medical Group')
    await page.getByLabel('Starting text (.md or .docx)').setInputFiles(FIXTURE)
    await page.getByRole('button', { name: 'Import and start as mediator' }).click()
    const draft = page.getByRole('textbox', { name: 'Working draft' })
    await draft.waitFor()
    await expect.poll(() => draft.locator('h2').first().textContent()).toBe('1. Purpose')
    expect(await page.locator('.role-badge').textContent()).toBe('Mediator')
    expect(await seriousAxeViolations(page)).toEqual([])
    await screenshot(page, 'imported-negotiation')
  })
})

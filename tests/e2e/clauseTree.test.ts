/**
 * The clause tree in the browser: a long draft's editor holds one section per article (the
 * clauses nest inside it), numbers and heading levels come from the tree and stay put while an
 * article is typed in, select-all-and-type leaves a valid document, and a tentatively agreed
 * clause is shaded and noted whole: typing in it or in its sections changes nothing, while the
 * next article takes words.
 */
import { randomUUID } from 'node:crypto'
import { getDocumentSchema } from '@onetext/shared/schema'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { hashPassword } from '../../server/src/auth/passwords'
import { callApi } from '../helpers/api'
import { placeCaretAtEnd, screenshot } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { login, TEST_PASSWORD } from '../helpers/testServer'

/** Words enough for a paragraph of about 450 characters. */
const WORDS =
  'The parties agree that the employer shall consult the union before any change to the terms ' +
  'set out here, that such consultation shall take place in good time and in good faith, and ' +
  'that the outcome shall be recorded in writing and shared with every member of the unit. '

/**
 * A text of `articles` articles, each with two paragraphs and three sections, each section with a
 * paragraph and two sub-sections: with 30 articles, about 200 000 characters (some 70 pages).
 */
function longMarkdown(articles: number): string {
  const lines = ['# Long agreement', '']
  for (let article = 1; article <= articles; article++) {
    lines.push(`## Terms of group ${article}`, '', WORDS.repeat(2), '', WORDS, '')
    for (let section = 1; section <= 3; section++) {
      lines.push(`### Section ${article}-${section}`, '', WORDS.repeat(2), '')
      for (let sub = 1; sub <= 2; sub++)
        lines.push(`#### Part ${article}-${section}-${sub}`, '', WORDS, '')
    }
  }
  return lines.join('\n')
}

const NESTED_MARKDOWN = `# Nested agreement

## Wages

Rates rise by three percent each year.

### Base rates

Base rates are set by grade.

#### Hourly staff

Hourly staff are paid weekly.

#### Salaried staff

Salaried staff are paid monthly.

### Overtime

Overtime is paid at time and a half.

## Hours

The working week is thirty-seven hours.

### Night work

Night work is paid at a higher rate.

## Leave

Annual leave is twenty-five days.
`

describe('the clause tree in the editor', () => {
  const suite = useBrowserSuite()

  afterEach(() => suite.closePages())

  /** Starts a negotiation of `markdown` as the mediator; returns its id and the mediator's token. */
  async function startNegotiation(
    title: string,
    markdown: string,
  ): Promise<{ id: string; token: string }> {
    const token = await login(suite.server.url, 'mediator@demo.test')
    const created = await callApi<{ id: string; parties: Array<{ id: string }> }>(
      suite.server.url,
      'POST',
      '/api/negotiations',
      token,
      { title, parties: ['Union', 'Employer'], format: 'md', content: markdown },
    )
    expect(created.status).toBe(201)
    return { id: created.body.id, token }
  }

  /** The mediator's page with the working draft of negotiation `id` open and saved. */
  async function openDraft(id: string, title: string): Promise<Page> {
    const page = await suite.signedIn('mediator@demo.test', title)
    await page.goto(`${suite.server.url}/negotiations/${id}/draft`)
    await page.getByRole('textbox', { name: 'Working draft' }).waitFor()
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    return page
  }

  it('holds a long draft as one section per article, numbered from the tree', async () => {
    const title = 'Long clause tree agreement'
    const { id } = await startNegotiation(title, longMarkdown(30))
    const page = await openDraft(id, title)
    const text = page.getByRole('textbox', { name: 'Working draft' })

    // The title, then thirty articles: nothing else at the top, the sections inside them.
    const articles = text.locator(':scope > section.clause')
    expect(await articles.count()).toBe(30)
    expect(await text.locator(':scope > :not(section.clause)').count()).toBe(1)
    expect(await text.locator(':scope > h1').textContent()).toBe('Long agreement')
    expect(await articles.nth(2).locator(':scope > section.clause').count()).toBe(3)
    // Headings are all h2; the level is told by aria-level and shown by level-N.
    const third = articles.nth(2)
    const heading = third.locator(':scope > h2')
    await expect.poll(() => heading.textContent()).toBe('3. Terms of group 3')
    expect(await heading.getAttribute('aria-level')).toBe('2')
    const section = third.locator(':scope > section.clause').nth(1).locator(':scope > h2')
    expect(await section.textContent()).toBe('3.2. Section 3-2')
    expect(await section.getAttribute('aria-level')).toBe('3')
    expect(await section.getAttribute('class')).toContain('level-3')
    const part = third.locator('section.clause section.clause > h2').nth(3)
    expect(await part.textContent()).toBe('3.2(b). Part 3-2-2')
    expect(await part.getAttribute('aria-level')).toBe('4')
    // Articles far below are not laid out until they come near (content-visibility: auto).
    expect(
      await articles.nth(29).evaluate((element) => getComputedStyle(element).contentVisibility),
    ).toBe('auto')
    // The outline lists every clause: 30 articles, 90 sections, 180 parts.
    const outline = page.getByRole('navigation', { name: 'Outline' }).getByRole('button')
    expect(await outline.count()).toBe(30 * (1 + 3 * (1 + 2)))
    expect(await outline.nth(1).textContent()).toBe('1.1. Section 1-1')

    // Typing in an article keeps its number and its sections' numbers.
    await placeCaretAtEnd(third.locator(':scope > p').first())
    await page.keyboard.type(' Typed here.')
    await expect
      .poll(() => third.locator(':scope > p').first().textContent())
      .toMatch(/Typed here\.$/)
    expect(await heading.textContent()).toBe('3. Terms of group 3')
    expect(await section.textContent()).toBe('3.2. Section 3-2')
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    await screenshot(page, 'clause-tree-long')
  })

  it('leaves a valid document after select-all and typing', async () => {
    const title = 'Select-all agreement'
    const { id } = await startNegotiation(title, NESTED_MARKDOWN)
    const page = await openDraft(id, title)
    const text = page.getByRole('textbox', { name: 'Working draft' })
    await placeCaretAtEnd(text.locator('p').first())
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.type('A new text.')
    await expect.poll(() => text.textContent()).toBe('A new text.')
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    const stored = suite.server.registry.peek(`${id}.draft`)?.doc.getXmlFragment('default')
    if (!stored) throw new Error('the draft is not loaded')
    const node = yXmlFragmentToProseMirrorRootNode(stored, getDocumentSchema())
    expect(() => node.check()).not.toThrow()
    expect(node.textContent).toBe('A new text.')
  })

  it('shades and notes a locked clause whole, refuses typing in it, and takes typing next to it', async () => {
    const title = 'Nested agreement'
    const { id, token } = await startNegotiation(title, NESTED_MARKDOWN)
    const api = <T>(method: string, path: string, body?: unknown, as = token) =>
      callApi<T>(suite.server.url, method, `/api/negotiations/${id}${path}`, as, body)
    const detail = await api<{ parties: Array<{ id: string; name: string }> }>('GET', '')
    const passwordHash = await hashPassword(TEST_PASSWORD)
    const leads: string[] = []
    for (const party of detail.body.parties) {
      const userId = randomUUID()
      const email = `${party.id}.lead@${id}.test`
      await suite.server.directory.createUser({
        id: userId,
        email,
        name: `${party.name} Lead`,
        passwordHash,
      })
      await suite.server.directory.putMember({
        negotiationId: id,
        userId,
        role: 'party-lead',
        partyId: party.id,
      })
      leads.push(await login(suite.server.url, email))
    }
    expect((await api('POST', '/iterations', { note: 'First text' })).status).toBe(201)
    const clauses = (
      await api<{ clauses: Array<{ id: string; heading: string }> }>('GET', '/iterations/1')
    ).body.clauses
    const wages = clauses.find((clause) => clause.heading === 'Wages')
    if (!wages) throw new Error('no clause Wages')
    // Every party's lead initials Wages: it is tentatively agreed and locked, sections and all.
    for (const lead of leads)
      expect(
        (await api('POST', `/clauses/${wages.id}/signoff`, { initials: 'XY' }, lead)).status,
      ).toBe(200)

    const page = await openDraft(id, title)
    const text = page.getByRole('textbox', { name: 'Working draft' })
    const locked = text.locator(`section.clause[data-clause-id="${wages.id}"]`)
    await expect.poll(() => locked.getAttribute('class')).toContain('clause-locked')
    expect(await text.locator('.clause-locked').count()).toBe(1)
    // The note is above the article's heading, once (not again above its sections).
    expect(await text.locator('.clause-lock-note').count()).toBe(1)
    expect(
      await locked.evaluate((element) =>
        element.firstElementChild?.classList.contains('clause-lock-note'),
      ),
    ).toBe(true)
    const overtime = locked.locator('h2', { hasText: 'Overtime' })
    expect(await overtime.textContent()).toBe('1.2. Overtime')
    expect(await locked.locator('h2', { hasText: 'Salaried' }).textContent()).toBe(
      '1.1(b). Salaried staff',
    )
    await screenshot(page, 'clause-tree-nested-locked')

    // Typing in a section of the locked article changes nothing, and says why.
    const before = await locked.textContent()
    await placeCaretAtEnd(locked.locator('p', { hasText: 'time and a half' }))
    await page.keyboard.type('x')
    await expect.poll(() => page.locator('.lock-refusal').count()).toBe(1)
    expect(await locked.textContent()).toBe(before)

    // The next article takes words.
    const hours = text.locator('section.clause', { has: page.locator('h2', { hasText: 'Hours' }) })
    await placeCaretAtEnd(hours.locator(':scope > p').first())
    await page.keyboard.type(' Or fewer.')
    await expect
      .poll(() => hours.locator(':scope > p').first().textContent())
      .toBe('The working week is thirty-seven hours. Or fewer.')
    expect(await locked.textContent()).toBe(before)
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    const outline = page.getByRole('navigation', { name: 'Outline' }).getByRole('button')
    expect(await outline.allTextContents()).toEqual([
      '1. Wages',
      '1.1. Base rates',
      '1.1(a). Hourly staff',
      '1.1(b). Salaried staff',
      '1.2. Overtime',
      '2. Hours',
      '2.1. Night work',
      '3. Leave',
    ])
    await screenshot(page, 'clause-tree-locked-refused')
  })
})

/**
 * The table's view of shared suggestions and the mediator's workspace in the browser: the union
 * and management each edit their copy of Single Text 1 and their leads share (over the API, as
 * a script of the table would); the mediator sees both parties' changes in place, hides and shows
 * a party, steps from change to change with an announcement, reviews the clause side by side,
 * accepts one change (the working draft shows it, the outline's count drops), and is told when a
 * change's words changed in the draft.
 */
import path from 'node:path'
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { RATIONALES_ROOT } from '@onetext/shared/suggestions/copyDoc'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { callApi } from '../helpers/api'
import {
  ARTIFACTS_DIR,
  screenshot,
  seriousAxeViolations,
  signInWithKeyboard,
} from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { circulateAsMediator, signInDemo, TEST_PASSWORD } from '../helpers/testServer'
import { connectClient, type TestClient, waitForDoc, whenSynced } from '../helpers/yClient'

const N = 'lmp-1997'
const schema = getDocumentSchema()

/** Position of the first `needle` inside clause `clauseId` of `doc`. */
function textPosition(doc: PMNode, clauseId: string, needle: string): number {
  let at = -1
  doc.descendants((node, pos) => {
    if (at >= 0) return false
    if (node.type.name === CLAUSE_NODE && node.attrs[CLAUSE_ID_ATTRIBUTE] !== clauseId) {
      // Only this clause's own words (a child clause is searched when it is the one).
      return true
    }
    if (node.isText) {
      const index = (node.text ?? '').indexOf(needle)
      if (index >= 0 && insideClause(doc, pos, clauseId)) at = pos + index
    }
    return true
  })
  if (at < 0) throw new Error(`no “${needle}” in clause ${clauseId}`)
  return at
}

function insideClause(doc: PMNode, pos: number, clauseId: string): boolean {
  const resolved = doc.resolve(pos)
  for (let depth = resolved.depth; depth > 0; depth--) {
    const node = resolved.node(depth)
    if (node.type.name === CLAUSE_NODE) return node.attrs[CLAUSE_ID_ATTRIBUTE] === clauseId
  }
  return false
}

/** Edits `client`'s rich text as the editor would: a ProseMirror transform written back. */
function edit(client: TestClient, change: (tr: Transform) => void): void {
  const tr = new Transform(yXmlFragmentToProseMirrorRootNode(client.fragment, schema))
  change(tr)
  client.doc.transact(() =>
    updateYFragment(client.doc, client.fragment, tr.doc, {
      mapping: new Map(),
      isOMark: new Map(),
    }),
  )
}

describe('shared suggestions at the table', () => {
  const suite = useBrowserSuite()
  const clients: TestClient[] = []

  afterAll(() => {
    for (const client of clients) client.destroy()
  })

  async function openCopy(name: string, token: string): Promise<TestClient> {
    const client = connectClient(suite.server.url, name, token)
    clients.push(client)
    await whenSynced(client)
    await waitForDoc(client.doc, (doc) => doc.getXmlFragment(RICH_TEXT_FIELD).length > 0)
    return client
  }

  async function textPage(email: string, iteration = 1): Promise<Page> {
    const page = await suite.newPage()
    await page.goto(`${suite.server.url}/`)
    await signInWithKeyboard(page, email, TEST_PASSWORD)
    await page.getByRole('link', { name: /National Labor-Management/ }).click()
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: `Single Text ${iteration}`, exact: true })
      .click()
    return page
  }

  it('shows each party’s changes in place and lets the mediator accept one into the draft', async () => {
    await circulateAsMediator(suite.server.url, 'For suggestions')
    const url = suite.server.url
    const who = {
      mediator: await signInDemo(url, 'mediator'),
      laborMember: await signInDemo(url, 'labor.member'),
      laborLead: await signInDemo(url, 'labor.lead'),
      mgmtMember: await signInDemo(url, 'mgmt.member'),
      mgmtLead: await signInDemo(url, 'mgmt.lead'),
    }
    const iteration = await callApi<{
      clauses: Array<{ id: string; number: string; heading: string; text: string }>
      doc: unknown
    }>(url, 'GET', `/api/negotiations/${N}/iterations/1`, who.mediator.token)
    expect(iteration.status).toBe(200)
    expect(iteration.body.doc).toMatchObject({ type: 'doc' })
    const clause = iteration.body.clauses.find(
      (entry) => (entry.text.match(/[A-Za-z]{4,}/g) ?? []).length >= 12,
    )
    if (!clause) throw new Error('no clause with enough words')
    const words = [...new Set(clause.text.match(/\b[a-z]{5,}\b/g) ?? [])]
    const [struck, replaced, after] = words
    if (!struck || !replaced || !after) throw new Error('too few distinct words')

    // The union strikes one word and replaces another; management inserts one.
    const union = await openCopy(`${N}.suggest.labor.1`, who.laborMember.token)
    edit(union, (tr) => {
      const at = textPosition(tr.doc, clause.id, ` ${struck}`)
      tr.delete(at, at + struck.length + 1)
    })
    edit(union, (tr) => {
      const at = textPosition(tr.doc, clause.id, replaced)
      tr.replaceWith(at, at + replaced.length, schema.text('fairly'))
    })
    union.doc.getMap(RATIONALES_ROOT).set(clause.id, new Y.Text('Members need notice'))
    await union.tracker.whenSaved()
    const management = await openCopy(`${N}.suggest.mgmt.1`, who.mgmtMember.token)
    edit(management, (tr) => {
      const at = textPosition(tr.doc, clause.id, after) + after.length
      tr.insert(at, schema.text(' promptly', [schema.marks.bold?.create() ?? []].flat()))
    })
    // Management strikes the word the union struck too.
    edit(management, (tr) => {
      const at = textPosition(tr.doc, clause.id, ` ${struck}`)
      tr.delete(at, at + struck.length + 1)
    })
    await management.tracker.whenSaved()
    let total = 0
    for (const [lead, label] of [
      [who.laborLead, 'union'],
      [who.mgmtLead, 'management'],
    ] as const) {
      const shared = await callApi(
        url,
        'POST',
        `/api/negotiations/${N}/suggestions/share`,
        lead.token,
        {
          iteration: 1,
          clauseIds: [clause.id],
        },
      )
      expect(shared.status, `${label}: ${JSON.stringify(shared.body)}`).toBe(200)
      for (const suggestion of shared.body as Array<{ changes: unknown[] }>)
        total += suggestion.changes.length
    }

    // A union member's outline counts the table's open changes and the party's own drafts.
    edit(union, (tr) => {
      const at = textPosition(tr.doc, clause.id, after) + after.length
      tr.insert(at, schema.text(' quickly'))
    })
    await union.tracker.whenSaved()
    const unionPage = await textPage('labor.member@demo.test')
    const unionOutline = unionPage
      .getByRole('navigation', { name: 'Clauses' })
      .locator('li', { hasText: clause.heading })
    await expect.poll(() => unionOutline.locator('.count-drafts').count()).toBe(1)
    expect(Number(await unionOutline.locator('.count-shared').textContent())).toBe(total)
    expect(await unionOutline.getByRole('button').textContent()).toMatch(
      new RegExp(`${total} open suggested changes, \\d+ draft changes? of my party`),
    )

    const mediator = await textPage('mediator@demo.test')
    const overlay = mediator.getByRole('textbox', { name: 'Single Text 1 with shared suggestions' })
    await overlay.waitFor()
    const union_ = overlay.locator('[data-party="labor"]')
    const management_ = overlay.locator('[data-party="mgmt"]')
    await expect.poll(() => union_.count()).toBeGreaterThan(0)
    await expect.poll(() => management_.count()).toBeGreaterThan(0)
    expect(await overlay.locator('ins[data-party="mgmt"]').textContent()).toContain('promptly')
    expect(await overlay.locator('ins[data-party="mgmt"] strong').count()).toBe(1)
    expect(
      (await overlay.locator('.ovl-del[data-party="labor"]').allTextContents()).map((text) =>
        text.trim(),
      ),
    ).toContain(struck)
    // Screen readers hear what each change is.
    expect(await overlay.textContent()).toContain(
      `[deleted by Coalition of Unions:\u00a0${struck}]`,
    )
    expect(await overlay.textContent()).toContain(`[deleted by Management:\u00a0${struck}]`)
    // The word both parties struck shows each party's strike, one element each in its party's
    // colour and pattern, and over the word one look of several parties with both parties'
    // swatches (colour and pattern) before it.
    const strikes = await overlay.locator('.ovl-del', { hasText: struck }).evaluateAll((elements) =>
      elements.map((element) => ({
        party: element.getAttribute('data-party'),
        color: getComputedStyle(element).getPropertyValue('--party-color').trim(),
        pattern: element.className
          .split(' ')
          .find((name: string) => name.startsWith('ovl-pattern-')),
      })),
    )
    expect(strikes.map((strike) => strike.party).sort()).toEqual(['labor', 'mgmt'])
    expect(new Set(strikes.map((strike) => strike.color)).size).toBe(2)
    expect(new Set(strikes.map((strike) => strike.pattern)).size).toBe(2)
    const several = overlay.locator('.ovl-several', { hasText: struck })
    expect(await several.getAttribute('data-parties')).toBe('labor mgmt')
    expect(await several.getAttribute('title')).toBe('Struck by Coalition of Unions and Management')
    const swatches = overlay.locator('.ovl-several-parties').first().locator('.party-swatch')
    expect(await swatches.evaluateAll((elements) => elements.map((e) => e.className))).toEqual([
      'party-swatch ovl-pattern-0',
      'party-swatch ovl-pattern-1',
    ])
    // A close-up of the overlap (the text zoomed for the screenshot only).
    const zoom = (value: string) =>
      overlay.evaluate((element: HTMLElement, to: string) => {
        element.style.zoom = to
      }, value)
    await zoom('3')
    await several.scrollIntoViewIfNeeded()
    const box = await several.boundingBox()
    if (box)
      await mediator.screenshot({
        path: path.join(ARTIFACTS_DIR, 'suggestions-overlap.png'),
        clip: {
          x: Math.max(0, box.x - 150),
          y: Math.max(0, box.y - 60),
          width: box.width + 300,
          height: box.height + 120,
        },
      })
    await zoom('')

    // The party toggles hide and show a party's changes.
    const toggles = mediator.getByRole('group', { name: 'Show suggestions of' })
    const unionToggle = toggles.getByRole('button', { name: /Coalition of Unions/ })
    expect(await unionToggle.getAttribute('aria-pressed')).toBe('true')
    await unionToggle.click()
    await expect.poll(() => union_.count()).toBe(0)
    expect(await management_.count()).toBeGreaterThan(0)
    expect(await unionToggle.getAttribute('aria-pressed')).toBe('false')
    await unionToggle.click()
    await expect.poll(() => union_.count()).toBeGreaterThan(0)

    // Next and Previous step through the changes and say which.
    const announcement = mediator.locator('.overlay-announcement')
    await mediator.getByRole('button', { name: 'Next change' }).click()
    await expect
      .poll(() => announcement.textContent())
      .toMatch(new RegExp(`^Change 1 of ${total}: `))
    await mediator.getByRole('button', { name: 'Next change' }).click()
    await expect
      .poll(() => announcement.textContent())
      .toMatch(new RegExp(`^Change 2 of ${total}: `))
    await mediator.getByRole('button', { name: 'Previous change' }).click()
    const first = await announcement.textContent()
    expect(first).toMatch(
      new RegExp(`^Change 1 of ${total}: (Coalition of Unions|Management), \\S`),
    )
    expect(await announcement.getAttribute('aria-live')).toBe('polite')
    expect(await overlay.locator('.ovl-current').count()).toBeGreaterThan(0)
    await screenshot(mediator, 'suggestions-overlay')
    expect(await seriousAxeViolations(mediator)).toEqual([])

    // The clause the change is on is chosen: its panel has the review and the parties side by side.
    const panel = mediator.getByRole('complementary', { name: `Clause ${clause.number}` })
    await panel
      .getByRole('heading', { name: `Review the suggestions on clause ${clause.number}` })
      .waitFor()
    await panel.getByRole('heading', { name: 'Shared suggestions side by side' }).waitFor()
    expect(await panel.textContent()).toContain('Interest: Members need notice')
    const outlineCount = mediator
      .getByRole('navigation', { name: 'Clauses' })
      .locator('li', { hasText: clause.heading })
      .locator('.count-shared')
    const before = Number(await outlineCount.textContent())
    expect(before).toBe(total)
    // An insertion's words are apart from the words before and after them.
    const fairlyRow = panel
      .locator('.review-change', { hasText: 'fairly' })
      .locator('.review-context')
    expect(
      await fairlyRow.evaluate((element) => {
        const copy = element.cloneNode(true) as Element
        copy.querySelectorAll('.visually-hidden').forEach((hidden) => {
          hidden.remove()
        })
        return copy.textContent ?? ''
      }),
    ).toMatch(new RegExp(`${replaced} fairly\\b`))
    await panel.scrollIntoViewIfNeeded()
    await screenshot(mediator, 'suggestions-review-panel')
    expect(await seriousAxeViolations(mediator)).toEqual([])

    // Accepting management's insertion: the draft has it, the count drops.
    await panel.getByRole('button', { name: 'Accept: Management inserted ‘promptly’' }).click()
    await panel.locator('.review-accepted').waitFor()
    await expect.poll(async () => Number(await outlineCount.textContent())).toBe(before - 1)

    // The mediator edited the word the union replaced: accepting that change is refused in words.
    const draft = await openCopy(`${N}.draft`, who.mediator.token)
    edit(draft, (tr) => {
      const at = textPosition(tr.doc, clause.id, replaced)
      tr.replaceWith(at, at + replaced.length, schema.text('Changed'))
    })
    await draft.tracker.whenSaved()
    await panel
      .getByRole('button', { name: 'Accept: Coalition of Unions inserted ‘fairly’' })
      .click()
    await panel
      .getByRole('alert')
      .filter({ hasText: 'Written against Single Text 1; the text changed.' })
      .first()
      .waitFor()
    await screenshot(mediator, 'suggestions-review-text-changed')

    // Edit freely: the working draft opens at the clause, with the accepted words in it.
    await panel.getByRole('button', { name: 'Edit freely in the working draft' }).click()
    const editor = mediator.getByRole('textbox', { name: 'Working draft' })
    await editor.waitFor()
    await expect.poll(() => editor.textContent()).toContain('promptly')
    // The same review follows the caret beside the working draft: a change accepted there arrives
    // in the text being edited.
    const beside = mediator.getByRole('complementary', { name: 'Shared suggestions' })
    await beside
      .getByRole('heading', { name: `Review the suggestions on clause ${clause.number}` })
      .waitFor()
    expect(
      await beside.getByRole('button', { name: 'Edit freely in the working draft' }).count(),
    ).toBe(0)
    /** The words of the clause's own blocks (not its child clauses) in the editor. */
    const ownWords = () =>
      editor.evaluate((root, id) => {
        const section = root.querySelector(`section[data-clause-id="${id}"]`)
        return Array.from(section?.children ?? [])
          .filter((child) => child.tagName !== 'SECTION')
          .map((child) => child.textContent ?? '')
          .join(' ')
      }, clause.id)
    const count = async () =>
      ((await ownWords()).match(new RegExp(`\\b${struck}\\b`, 'g')) ?? []).length
    const struckBefore = await count()
    expect(struckBefore).toBeGreaterThan(0)
    await beside
      .getByRole('button', { name: `Accept: Coalition of Unions deleted ‘${struck}’` })
      .click()
    await expect.poll(count).toBe(struckBefore - 1)
    await screenshot(mediator, 'suggestions-draft-after-accept')

    // A party member sees the table's shared suggestions in place too.
    const member = await textPage('mgmt.member@demo.test')
    const memberOverlay = member.getByRole('textbox', {
      name: 'Single Text 1 with shared suggestions',
    })
    await memberOverlay.waitFor()
    await expect
      .poll(() => memberOverlay.locator('[data-party="labor"]').count())
      .toBeGreaterThan(0)
    // Management's accepted insertion is no longer an open change.
    expect(await memberOverlay.locator('ins[data-party="mgmt"]').count()).toBe(0)
    await screenshot(member, 'suggestions-party-view')

    // Single Text 2 is circulated with the mediator's word where the union's change was: that
    // change is shown against Single Text 1's words, never over the new text.
    await circulateAsMediator(url, 'Second')
    const later = await textPage('mediator@demo.test', 2)
    await later
      .getByRole('navigation', { name: 'Clauses' })
      .getByRole('button', { name: new RegExp(`^${clause.number}\\. ${clause.heading}`) })
      .click()
    const laterPanel = later.getByRole('complementary', { name: `Clause ${clause.number}` })
    const outdated = laterPanel.locator('.alternative', {
      hasText: 'Written against Single Text 1; the text changed.',
    })
    await outdated.first().waitFor()
    expect(await outdated.locator('.ovl-del').allTextContents()).toContainEqual(
      expect.stringContaining(replaced),
    )
    const laterOverlay = later.getByRole('textbox', {
      name: 'Single Text 2 with shared suggestions',
    })
    if (await laterOverlay.count()) {
      expect(await laterOverlay.locator('ins', { hasText: 'fairly' }).count()).toBe(0)
    }
    await outdated.first().locator('.outdated-note').scrollIntoViewIfNeeded()
    await screenshot(later, 'suggestions-written-against-earlier')
  })
})

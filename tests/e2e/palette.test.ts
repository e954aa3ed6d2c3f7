/**
 * The party palette on screen: three parties' shared suggestions in their three colours and
 * patterns over the current iteration and side by side in the clause panel (as the mediator, a
 * party lead with the sign-off button in the party's colour, and a member, who also sees the
 * party's private draft in its Suggest changes view) pass axe; twelve parties put every palette
 * colour on screen as inserted and struck words, and axe's colour contrast rule measures them all
 * and finds nothing; a local table's supplement passes axe.
 */
import { PARTY_PALETTE, parseHexColor } from '@onetext/shared/partyPalette'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { paintedShare, runAxe, screenshot, seriousAxeViolations } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import {
  type PartyRound,
  type RoundClause,
  type RoundEdit,
  type RoundParty,
  startPartyRound,
  suggestInRound,
} from '../helpers/partyRound'
import { appendToClause, connectClient, whenSynced } from '../helpers/yClient'

const NUMBERS = ['four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve']

/**
 * A party's suggestion on the wages clause: a word replaced, two deleted, two added (short enough
 * that each change keeps to one line).
 */
function wagesSuggestion(index: number): RoundEdit[] {
  return [
    { find: 'three percent', replace: `${NUMBERS[index % NUMBERS.length]} percent` },
    { find: ' each year', replace: '' },
    { find: 'every grade', replace: 'every grade and step' },
  ]
}

/** `hex` as the browser's computed `rgb(r, g, b)`. */
function cssRgb(hex: string): string {
  return `rgb(${parseHexColor(hex).join(', ')})`
}

function clauseNamed(round: PartyRound, heading: string): RoundClause {
  const clause = round.clauses.find((candidate) => candidate.heading === heading)
  if (!clause) throw new Error(`no clause ${heading}`)
  return clause
}

describe('the party palette on screen', () => {
  const suite = useBrowserSuite()

  /** Opens the current iteration at `clause` with its panel, as `page`'s account. */
  async function openClause(page: Page, round: PartyRound, clause: RoundClause) {
    await page.goto(`${suite.server.url}/negotiations/${round.id}/text/clause/${clause.id}`)
    const panel = page.getByRole('complementary', { name: `Clause ${clause.number}` })
    await panel.waitFor()
    return panel
  }

  /** The overlay of the current iteration with the parties' shared suggestions. */
  const overlayOf = (page: Page) =>
    page.getByRole('textbox', { name: 'Single Text 1 with shared suggestions' })

  /** `party`'s column in the side-by-side columns of clause panel `panel`. */
  const columnOf = (panel: Locator, party: RoundParty) =>
    panel.locator('.suggestion-columns .alternative').filter({
      has: panel
        .page()
        .locator('.proposal-meta strong', { hasText: new RegExp(`^${party.name}$`) }),
    })

  /**
   * Checks that `party`'s (the `index`th party's) inserted words in `box`, and its struck words
   * unless `struck` is false, are drawn with its colour and its pattern, and that the inserted
   * ones are painted so.
   */
  async function inPartyColor(box: Locator, party: RoundParty, index: number, struck = true) {
    const inserted = box.locator(`ins.ovl-ins[data-party="${party.id}"]`).first()
    await inserted.waitFor()
    const changes = [inserted]
    if (struck) changes.push(box.locator(`.ovl-del[data-party="${party.id}"]`).first())
    for (const change of changes) {
      expect(await change.evaluate((node) => getComputedStyle(node).textDecorationColor)).toBe(
        cssRgb(party.color),
      )
      expect(await change.getAttribute('class')).toContain(`ovl-pattern-${index % 4}`)
    }
    expect(await inserted.evaluate((node) => getComputedStyle(node, '::before').color)).toBe(
      cssRgb(party.color),
    )
    // The words are in ink; the + and the line under them in the party's colour.
    await inserted.scrollIntoViewIfNeeded()
    expect(await paintedShare(inserted, parseHexColor(party.color))).toBeGreaterThan(0.004)
  }

  /** Leaves only `party`'s toggle pressed in the overlay's toolbar on `page`. */
  async function showOnly(page: Page, party: RoundParty) {
    const toggles = page.locator('.overlay-parties .party-toggle')
    for (let at = 0; at < (await toggles.count()); at++) {
      const toggle = toggles.nth(at)
      const wanted = ((await toggle.textContent()) ?? '').includes(party.name)
      if ((await toggle.getAttribute('aria-pressed')) !== String(wanted)) await toggle.click()
      await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe(String(wanted))
    }
  }

  it('shows three parties’ changes in three colours and passes axe as mediator, lead and member', async () => {
    const server = suite.server
    const round = await startPartyRound(server, 'Three-party palette round', [
      'Nurses Union',
      'Hospital Management',
      'Medical Staff',
    ])
    expect(round.parties.map((party) => party.color)).toEqual(PARTY_PALETTE.slice(0, 3))
    const wages = clauseNamed(round, 'Wages')
    const scheduling = clauseNamed(round, 'Scheduling')
    for (const [index, party] of round.parties.entries()) {
      await suggestInRound(server, round, party.id, wages, wagesSuggestion(index), {
        rationale: `${party.name} members need it.`,
      })
    }
    const [nurses, , medical] = round.parties as [RoundParty, RoundParty, RoundParty]
    await suggestInRound(
      server,
      round,
      nurses.id,
      scheduling,
      { find: 'four weeks', replace: 'six weeks' },
      { draft: true },
    )

    // The mediator: every party's shared suggestion in the text and in its column of the panel.
    // Words struck by every party are one struck run in the text; shown alone, each party's are
    // in its colour and pattern.
    const mediator = await suite.signedIn('mediator@demo.test', round.title)
    const panel = await openClause(mediator, round, wages)
    for (const [index, party] of round.parties.entries()) {
      await inPartyColor(overlayOf(mediator), party, index, false)
      await inPartyColor(columnOf(panel, party), party, index)
    }
    await overlayOf(mediator).scrollIntoViewIfNeeded()
    await screenshot(mediator, 'palette-three-parties-mediator')
    for (const [index, party] of round.parties.entries()) {
      await showOnly(mediator, party)
      await inPartyColor(overlayOf(mediator), party, index)
      expect(await overlayOf(mediator).locator('[data-party]').count()).toBe(
        await overlayOf(mediator).locator(`[data-party="${party.id}"]`).count(),
      )
    }
    await screenshot(mediator, 'palette-three-parties-mediator-one-party')
    await panel.locator('.suggestion-columns').scrollIntoViewIfNeeded()
    await screenshot(mediator, 'palette-three-parties-mediator-columns')
    expect(await seriousAxeViolations(mediator)).toEqual([])

    // A lead: the others' suggestions in their colours, the sign-off button in the party's
    // colour, white words on it.
    const lead = await suite.signedIn(round.leads.get(medical.id)?.email ?? '', round.title)
    const leadPanel = await openClause(lead, round, wages)
    await inPartyColor(columnOf(leadPanel, nurses), nurses, 0)
    await inPartyColor(overlayOf(lead), nurses, 0, false)
    const sign = leadPanel.getByRole('button', {
      name: `Sign clause ${wages.number} for Medical Staff`,
    })
    await sign.scrollIntoViewIfNeeded()
    expect(await sign.evaluate((node) => getComputedStyle(node).backgroundColor)).toBe(
      cssRgb(medical.color),
    )
    expect(await sign.evaluate((node) => getComputedStyle(node).color)).toBe('rgb(255, 255, 255)')
    await screenshot(lead, 'palette-three-parties-lead')
    expect(await seriousAxeViolations(lead)).toEqual([])
    // Without initials the button is disabled: grey, like every disabled button, not grey words
    // on the party's colour.
    await leadPanel.getByLabel('Initials').fill('')
    expect(await sign.isDisabled()).toBe(true)
    expect(await sign.evaluate((node) => getComputedStyle(node).backgroundColor)).not.toBe(
      cssRgb(medical.color),
    )

    // A member: the party's private draft in its Suggest changes view, in the party's colour.
    const member = await suite.signedIn(round.members.get(nurses.id)?.email ?? '', round.title)
    await member.goto(`${server.url}/negotiations/${round.id}/suggest`)
    const copy = member.getByRole('textbox', {
      name: `Suggestions of ${nurses.name} on Single Text 1`,
    })
    const drafted = copy.locator(`.sugg-ins[data-party="${nurses.id}"]`, { hasText: 'six' })
    await drafted.waitFor()
    const struck = copy.locator(`del.sugg-del[data-party="${nurses.id}"]`, { hasText: 'four' })
    for (const change of [drafted, struck]) {
      expect(await change.evaluate((node) => getComputedStyle(node).color)).toBe(
        cssRgb(nurses.color),
      )
    }
    await drafted.scrollIntoViewIfNeeded()
    expect(await paintedShare(drafted, parseHexColor(nurses.color))).toBeGreaterThan(0.01)
    await screenshot(member, 'palette-three-parties-member-draft')
    expect(await seriousAxeViolations(member)).toEqual([])
    // And every party's shared suggestions in the panel's columns.
    const memberPanel = await openClause(member, round, wages)
    for (const [index, party] of round.parties.entries()) {
      await inPartyColor(columnOf(memberPanel, party), party, index)
    }
    await memberPanel.locator('.suggestion-columns').scrollIntoViewIfNeeded()
    await screenshot(member, 'palette-three-parties-member')
    expect(await seriousAxeViolations(member)).toEqual([])
  })

  it('puts every palette colour on screen as tracked words, and axe measures each one', async () => {
    const server = suite.server
    const names = [
      'Nurses',
      'Management',
      'Physicians',
      'Pharmacists',
      'Technicians',
      'Clerical Staff',
      'Engineers',
      'Therapists',
      'Midwives',
      'Porters',
      'Cooks',
      'Cleaners',
    ]
    const round = await startPartyRound(server, 'Twelve-party palette round', names)
    expect(round.parties.map((party) => party.color)).toEqual([...PARTY_PALETTE])
    const wages = clauseNamed(round, 'Wages')
    for (const [index, party] of round.parties.entries()) {
      await suggestInRound(server, round, party.id, wages, wagesSuggestion(index))
    }
    const mediator = await suite.signedIn('mediator@demo.test', round.title)
    const panel = await openClause(mediator, round, wages)
    for (const [index, party] of round.parties.entries()) {
      await inPartyColor(overlayOf(mediator), party, index, false)
      await inPartyColor(columnOf(panel, party), party, index)
    }
    await overlayOf(mediator).scrollIntoViewIfNeeded()
    await screenshot(mediator, 'palette-twelve-parties-text')
    await columnOf(panel, round.parties[0] as RoundParty).scrollIntoViewIfNeeded()
    await screenshot(mediator, 'palette-twelve-parties-top')
    await columnOf(panel, round.parties[11] as RoundParty).scrollIntoViewIfNeeded()
    await screenshot(mediator, 'palette-twelve-parties-bottom')

    // Axe's colour contrast rule measures every inserted and struck word of every party, in the
    // text and in its column, each brought to the middle of the window first (under a sticky
    // header axe cannot tell the background, and says so instead of measuring).
    const measured = async (change: Locator) => {
      await change.evaluate((element) => element.scrollIntoView({ block: 'center' }))
      const contrast = await runAxe(change, ['color-contrast'])
      expect(contrast.violations).toEqual([])
      expect(contrast.incomplete).toEqual([])
      return contrast.passes.flatMap((found) => found.nodes).length
    }
    // Struck words lie on the party's pattern, a gradient axe does not measure (it says so): their
    // colour is measured against the darkest pixel of the pattern under them, drawn without them.
    const struckContrast = async (change: Locator) => {
      await change.evaluate((element) => element.scrollIntoView({ block: 'center' }))
      const contrast = await runAxe(change, ['color-contrast'])
      expect(contrast.violations).toEqual([])
      // Drawn without its words by a style sheet: the editor would redraw an element's own style.
      // Words several parties struck are drawn without the strike of several parties over them too.
      const key = (await change.getAttribute('data-change-key')) ?? ''
      const ink = await change.evaluate(async (element, key) => {
        const sheet = document.createElement('style')
        sheet.id = 'palette-test-unpainted'
        sheet.textContent = `[data-change-key="${CSS.escape(key)}"], .ovl-several { color: transparent !important; text-decoration-color: transparent !important; }`
        const color = getComputedStyle(element).color
        document.head.append(sheet)
        await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))
        return color
      }, key)
      // Each line of the struck words on its own (a box around words that wrap takes in others).
      const lines = await change.evaluate((element) =>
        Array.from(element.getClientRects())
          .filter((rect) => rect.width > 1)
          .map(({ x, y, width, height }) => ({ x, y, width, height })),
      )
      const pngs = []
      for (const clip of lines) pngs.push(await change.page().screenshot({ clip }))
      await change
        .page()
        .evaluate(() => document.getElementById('palette-test-unpainted')?.remove())
      if (pngs.length === 0) throw new Error('struck words not on screen')
      let lowest = Number.POSITIVE_INFINITY
      for (const png of pngs) lowest = Math.min(lowest, await contrastOn(change.page(), png, ink))
      return lowest
    }
    /** The contrast of colour `ink` against the darkest pixel of `png`. */
    const contrastOn = (page: Page, png: Buffer, ink: string) =>
      page.evaluate(
        async ({ data, ink }) => {
          const luminance = (rgb: number[]) => {
            const [r, g, b] = rgb.map((value) => {
              const channel = value / 255
              return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
            }) as [number, number, number]
            return 0.2126 * r + 0.7152 * g + 0.0722 * b
          }
          const image = new Image()
          image.src = `data:image/png;base64,${data}`
          await image.decode()
          const canvas = document.createElement('canvas')
          canvas.width = image.width
          canvas.height = image.height
          const context = canvas.getContext('2d')
          if (!context) return 0
          context.drawImage(image, 0, 0)
          const pixels = context.getImageData(0, 0, image.width, image.height).data
          let darkest = 1
          for (let index = 0; index < pixels.length; index += 4) {
            darkest = Math.min(
              darkest,
              luminance([pixels[index] ?? 0, pixels[index + 1] ?? 0, pixels[index + 2] ?? 0]),
            )
          }
          const text = luminance((ink.match(/\d+/g) ?? []).slice(0, 3).map(Number))
          return (Math.max(text, darkest) + 0.05) / (Math.min(text, darkest) + 0.05)
        },
        { data: png.toString('base64'), ink },
      )
    const measuredAll = async (changes: Locator) => {
      const shown = await changes.count()
      for (let at = 0; at < shown; at++) {
        const change = changes.nth(at)
        if ((await change.getAttribute('class'))?.includes('ovl-del')) {
          expect(await struckContrast(change)).toBeGreaterThanOrEqual(4.5)
        } else {
          expect(await measured(change)).toBeGreaterThanOrEqual(1)
        }
      }
      return shown
    }
    // In the text: every party's inserted words, and the words struck (by all of them at once).
    expect(await measuredAll(overlayOf(mediator).locator('ins.ovl-ins'))).toBe(
      round.parties.length * 2,
    )
    expect(await measuredAll(overlayOf(mediator).locator('.ovl-del'))).toBeGreaterThanOrEqual(2)
    // In each party's column: its inserted and struck words.
    for (const party of round.parties) {
      const column = columnOf(panel, party)
      expect(await measuredAll(column.locator(`ins.ovl-ins[data-party="${party.id}"]`))).toBe(2)
      expect(
        await measuredAll(column.locator(`.ovl-del[data-party="${party.id}"]`)),
      ).toBeGreaterThanOrEqual(2)
    }
    expect(await seriousAxeViolations(mediator)).toEqual([])
    // Twelve parties' overlay and columns, each struck line screenshotted for its contrast: more
    // than the suite's minute.
  }, 240_000)

  it('passes axe on a local table’s supplement', async () => {
    const server = suite.server
    const round = await startPartyRound(server, 'Supplement palette round', [
      'Nurses Union',
      'Hospital Management',
      'Medical Staff',
    ])
    expect((await round.api('POST', '/iterations/1/publish', { published: true })).status).toBe(200)
    const started = await round.api<{ id: string; document: string }>(
      'POST',
      '/supplements',
      { title: 'Site 7', iteration: 1 },
      round.observer.token,
    )
    expect(started.status).toBe(201)
    const supplement = connectClient(server.url, started.body.document, round.observer.token)
    await whenSynced(supplement)
    appendToClause(
      supplement.doc,
      clauseNamed(round, 'Training').id,
      ' Locally, the site committee schedules the training.',
    )
    await supplement.tracker.whenSaved()
    supplement.destroy()

    const observer = await suite.signedIn(round.observer.email, round.title)
    await observer.goto(`${server.url}/negotiations/${round.id}/supplement/${started.body.id}`)
    await observer.getByRole('textbox', { name: 'Local supplement' }).waitFor()
    await expect
      .poll(() => observer.locator('.supplement-diff').textContent())
      .toContain('Local change')
    expect(await observer.locator('.supplement-diff ins').allTextContents()).toContainEqual(
      expect.stringContaining('site committee'),
    )
    await expect
      .poll(() => observer.locator('.save-status').textContent())
      .toBe('All changes saved')
    await screenshot(observer, 'palette-supplement')
    expect(await seriousAxeViolations(observer)).toEqual([])
    await observer.locator('.supplement-diff').scrollIntoViewIfNeeded()
    await screenshot(observer, 'palette-supplement-differences')
  })
})

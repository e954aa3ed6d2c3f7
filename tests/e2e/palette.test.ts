/**
 * The party palette on screen: three parties' tracked changes in their three colours in the
 * current iteration with a clause panel open (as the mediator, a party lead with the sign-off
 * button in the party's colour, and a member with the party's private draft) pass axe; twelve
 * parties put every palette colour on screen as inserted and deleted words, and axe's colour
 * contrast rule measures them all and finds nothing; a local table's supplement passes axe.
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

  /** The proposal of `party` in clause card `card` (the mediator's view shows every party's). */
  const cardProposal = (card: Locator, party: RoundParty) =>
    card.locator('.tracked-proposal').filter({
      has: card.page().locator('.proposal-meta strong', { hasText: party.name }),
    })

  /** Checks that `box`'s tracked words are in `party`'s colour, and the inserted ones painted so. */
  async function inPartyColor(box: Locator, party: RoundParty) {
    const inserted = box.locator('ins.tracked-ins').first()
    const deleted = box.locator('del.tracked-del').first()
    await inserted.waitFor()
    expect(await inserted.evaluate((node) => getComputedStyle(node).color)).toBe(
      cssRgb(party.color),
    )
    expect(await deleted.evaluate((node) => getComputedStyle(node).color)).toBe(cssRgb(party.color))
    await inserted.scrollIntoViewIfNeeded()
    expect(await paintedShare(inserted, parseHexColor(party.color))).toBeGreaterThan(0.01)
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

    // The mediator: every party's proposal in the clause card and in the panel.
    const mediator = await suite.signedIn('mediator@demo.test', round.title)
    const panel = await openClause(mediator, round, wages)
    const card = mediator.locator(`[data-clause-id="${wages.id}"]`)
    for (const party of round.parties) {
      await inPartyColor(cardProposal(card, party), party)
      await inPartyColor(panel.locator('.alternative', { hasText: party.name }), party)
    }
    await card.scrollIntoViewIfNeeded()
    await screenshot(mediator, 'palette-three-parties-mediator')
    expect(await seriousAxeViolations(mediator)).toEqual([])

    // A lead: the sign-off button in the party's colour, white words on it.
    const lead = await suite.signedIn(round.leads.get(medical.id)?.email ?? '', round.title)
    const leadPanel = await openClause(lead, round, wages)
    await inPartyColor(leadPanel.locator('.alternative', { hasText: 'Nurses Union' }), nurses)
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

    // A member: the party's own private draft, and the others' shared proposals in the panel.
    const member = await suite.signedIn(round.members.get(nurses.id)?.email ?? '', round.title)
    await openClause(member, round, scheduling)
    const draft = cardProposal(member.locator(`[data-clause-id="${scheduling.id}"]`), nurses)
    await expect
      .poll(() => draft.locator('.proposal-meta').textContent())
      .toMatch(/draft \(private\)/)
    await inPartyColor(draft, nurses)
    const memberPanel = await openClause(member, round, wages)
    for (const party of round.parties) {
      await inPartyColor(memberPanel.locator('.alternative', { hasText: party.name }), party)
    }
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
    const card = mediator.locator(`[data-clause-id="${wages.id}"]`)
    for (const party of round.parties) {
      await inPartyColor(cardProposal(card, party), party)
      await inPartyColor(panel.locator('.alternative', { hasText: party.name }), party)
    }
    await cardProposal(card, round.parties[0] as RoundParty).scrollIntoViewIfNeeded()
    await screenshot(mediator, 'palette-twelve-parties-top')
    await cardProposal(card, round.parties[11] as RoundParty).scrollIntoViewIfNeeded()
    await screenshot(mediator, 'palette-twelve-parties-bottom')

    // Axe's colour contrast rule measures every inserted and deleted word of every party, in its
    // clause card and in the panel, each brought to the middle of the window first (under the
    // sticky header axe cannot tell the background, and says so instead of measuring).
    const measuredIn = async (box: Locator) => {
      await box.evaluate((element) => element.scrollIntoView({ block: 'center' }))
      const contrast = await runAxe(box, ['color-contrast'])
      expect(contrast.violations).toEqual([])
      expect(contrast.incomplete).toEqual([])
      const passed = contrast.passes.flatMap((found) => found.nodes)
      return box
        .page()
        .evaluate(
          (selectors) =>
            selectors.filter((selector) =>
              document.querySelector(selector)?.matches('ins.tracked-ins, del.tracked-del'),
            ).length,
          passed,
        )
    }
    for (const party of round.parties) {
      for (const box of [
        cardProposal(card, party),
        panel.locator('.alternative', { hasText: party.name }),
      ]) {
        const shown = await box.locator('ins.tracked-ins, del.tracked-del').count()
        expect(shown).toBeGreaterThanOrEqual(2)
        expect(await measuredIn(box)).toBe(shown)
      }
    }
    expect(await seriousAxeViolations(mediator)).toEqual([])
  })

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

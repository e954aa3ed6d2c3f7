/**
 * Votes in the browser: the mediator opens a vote on clause 3 under a rule; each party's members
 * vote within their party and see only their own party's ballots; the union lead shows its tally;
 * once closed, every page shows each party's position and the outcome, and no voter's name from
 * the other party.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { screenshot, seriousAxeViolations, signInWithKeyboard } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { circulateAsMediator, TEST_PASSWORD } from '../helpers/testServer'

describe('votes in the browser', () => {
  const suite = useBrowserSuite()

  async function clausePanel(email: string): Promise<Page> {
    const page = await suite.newPage()
    await page.goto(`${suite.server.url}/`)
    await signInWithKeyboard(page, email, TEST_PASSWORD)
    await page.getByRole('link', { name: /National Labor-Management/ }).click()
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Single Text 1' })
      .click()
    const card = page.locator('.clause-card', {
      has: page.getByRole('heading', { name: '3. Decision-Making' }),
    })
    await card.getByRole('button', { name: /Decision-Making/ }).click()
    await page.getByRole('complementary', { name: 'Clause 3' }).waitFor()
    return page
  }

  it('shows each party its own ballots and the table only the parties’ positions', async () => {
    await circulateAsMediator(suite.server.url, 'For the vote')

    const mediator = await clausePanel('mediator@demo.test')
    const mediatorPanel = mediator.getByRole('complementary', { name: 'Clause 3' })
    await mediatorPanel.getByLabel('Decided by').selectOption('majority')
    await mediatorPanel.getByRole('button', { name: 'Open vote' }).click()
    await mediatorPanel.getByText('Decided by a majority of the parties.').waitFor()

    const unionLead = await clausePanel('labor.lead@demo.test')
    const unionMember = await clausePanel('labor.member@demo.test')
    const managementLead = await clausePanel('mgmt.lead@demo.test')
    const vote = async (page: Page, choice: 'Yes' | 'No' | 'Abstain') => {
      const panel = page.getByRole('complementary', { name: 'Clause 3' })
      await panel.getByRole('button', { name: choice, exact: true }).click()
      await expect
        .poll(() =>
          panel.getByRole('button', { name: choice, exact: true }).getAttribute('aria-pressed'),
        )
        .toBe('true')
    }
    await vote(unionLead, 'Yes')
    await vote(unionMember, 'No')
    await vote(managementLead, 'Yes')

    const unionPanel = unionLead.getByRole('complementary', { name: 'Clause 3' })
    const partyLine = unionPanel.locator('.party-vote .muted')
    await expect.poll(() => partyLine.textContent()).toContain('1 yes, 1 no, 0 abstain')
    expect(await partyLine.textContent()).toContain('Priya Shah: no')
    await unionPanel.getByLabel('Show our tally to the table').check()
    await expect.poll(() => partyLine.textContent()).toContain('and this tally')
    // Management sees its own ballots only.
    const managementLine = managementLead
      .getByRole('complementary', { name: 'Clause 3' })
      .locator('.party-vote .muted')
    await expect.poll(() => managementLine.textContent()).toContain('1 yes, 0 no, 0 abstain')
    expect(await managementLine.textContent()).not.toContain('Priya')
    await screenshot(unionLead, 'vote-party-ballots')
    expect(await seriousAxeViolations(unionLead)).toEqual([])

    await mediatorPanel.getByRole('button', { name: 'Close the vote' }).click()
    await mediatorPanel.getByRole('button', { name: 'Close it' }).click()
    for (const page of [mediator, managementLead]) {
      const positions = page
        .getByRole('complementary', { name: 'Clause 3' })
        .locator('.party-positions li')
      await expect
        .poll(() => positions.allTextContents())
        .toEqual(['Coalition of Unions: abstains (1 yes, 1 no, 0 abstain).', 'Management: yes.'])
      const panelText = await page.getByRole('complementary', { name: 'Clause 3' }).textContent()
      expect(panelText).toContain('Failed (a majority of the parties needed)')
      expect(panelText).not.toContain('Priya')
      expect(panelText).not.toContain('Luis Ortega: yes')
    }
    await screenshot(managementLead, 'vote-closed-positions')

    // The activity feed tells management what happened since it last looked.
    const toggle = managementLead.getByRole('button', { name: /^Activity/ })
    await expect.poll(() => toggle.textContent()).toMatch(/Activity \d+ new/)
    await toggle.click()
    const feed = managementLead.getByRole('region', { name: 'Activity' })
    await expect
      .poll(() => feed.locator('li').allTextContents())
      .toContainEqual(expect.stringContaining('The vote “Accept the clause as it stands?” failed.'))
    await screenshot(managementLead, 'activity-feed')
    expect(await seriousAxeViolations(managementLead)).toEqual([])
    await feed.getByRole('button', { name: 'Mark all as read' }).click()
    await expect.poll(() => toggle.textContent()).toBe('Activity')

    // The place is kept with the account: another browser of the same lead has nothing new.
    const elsewhere = await clausePanel('mgmt.lead@demo.test')
    const elsewhereToggle = elsewhere.getByRole('button', { name: /^Activity/ })
    await elsewhereToggle.click()
    await elsewhere.getByRole('region', { name: 'Activity' }).getByText('Nothing new.').waitFor()
    expect(await elsewhereToggle.textContent()).toBe('Activity')
    // ...while the other lead, who never looked, still has everything to read.
    const unionToggle = unionLead.getByRole('button', { name: /^Activity/ })
    await expect.poll(() => unionToggle.textContent()).toMatch(/Activity \d+ new/)
  })
})

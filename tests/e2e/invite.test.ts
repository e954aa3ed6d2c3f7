/**
 * The mediator invites a new member by one-time link; the new member opens the link, creates an
 * account, and sees only their own party's panes.
 */
import { describe, expect, it } from 'vitest'
import { screenshot, seriousAxeViolations, signInWithKeyboard } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { TEST_PASSWORD } from '../helpers/testServer'

describe('inviting a member in the browser', () => {
  const suite = useBrowserSuite()
  const newPage = () => suite.newPage()

  it('invites, and the new member sees only their party’s documents', async () => {
    const mediator = await newPage()
    await mediator.goto(`${suite.server.url}/`)
    await signInWithKeyboard(mediator, 'mediator@demo.test', TEST_PASSWORD)
    await mediator.getByRole('link', { name: /National Labor-Management/ }).click()
    await mediator.getByRole('link', { name: 'Members' }).click()
    await mediator.getByRole('heading', { name: 'Invite someone' }).waitFor()

    await mediator.getByLabel('Email').fill('nia.brooks@demo.test')
    await mediator.getByLabel('Role', { exact: true }).selectOption('party-member')
    await mediator.getByLabel('Party', { exact: true }).selectOption('mgmt')
    await mediator.getByRole('button', { name: 'Create invitation link' }).click()
    const linkField = mediator.getByLabel(/One-time link/)
    await linkField.waitFor()
    const link = await linkField.inputValue()
    expect(link).toMatch(new RegExp(`^${suite.server.url}/invite/[A-Za-z0-9_-]{40,}$`))
    await expect
      .poll(() => mediator.getByText('nia.brooks@demo.test: Party member of Management').count())
      .toBe(1)
    expect(await seriousAxeViolations(mediator)).toEqual([])
    await screenshot(mediator, 'members-page-with-invite')

    const invited = await newPage()
    await invited.goto(link)
    await invited.getByText('You are invited to').waitFor()
    expect(await invited.locator('.login-tagline').textContent()).toContain(
      'Party member of Management',
    )
    expect(await seriousAxeViolations(invited)).toEqual([])
    await screenshot(invited, 'invite-page')
    await invited.getByLabel('Your name').fill('Nia Brooks')
    await invited.getByLabel('Choose a password').fill('negotiate-well')
    await invited.getByRole('button', { name: 'Join the negotiation' }).click()

    const tabs = invited.getByRole('navigation', { name: 'Views' }).getByRole('button')
    await expect
      .poll(() => tabs.allTextContents())
      .toEqual(['Management layer', 'Management caucus notes', 'Table', 'Status board'])
    expect(await invited.getByRole('button', { name: /Coalition of Unions/ }).count()).toBe(0)
    await invited.getByRole('button', { name: 'Management caucus notes' }).click()
    await invited.getByRole('textbox', { name: 'Management caucus notes' }).click()
    await invited.keyboard.type('Our fallback on scheduling.')
    await expect.poll(() => invited.locator('.save-status').textContent()).toBe('All changes saved')
    await screenshot(invited, 'new-member-caucus')

    // The members page lists the new member.
    await mediator.reload()
    const rows = mediator.locator('.member-table tbody tr', { hasText: 'nia.brooks@demo.test' })
    await expect.poll(() => rows.count()).toBe(1)
    expect(await rows.first().textContent()).toContain('Nia Brooks')
  })
})

/**
 * Drafting privacy in the browser: a party member does not see the working draft; the mediator
 * opens it to the table after a confirmation that says what will happen, the member then watches
 * the mediator type (read-only), and making drafting private again takes the view away at once.
 */
import { describe, expect, it } from 'vitest'
import { openWorkingDraft, screenshot, signInWithKeyboard } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { TEST_PASSWORD } from '../helpers/testServer'

describe('drafting privacy in the browser', () => {
  const suite = useBrowserSuite()

  it('keeps the working draft from the table until the mediator opens it, and closes it again', async () => {
    const member = await suite.newPage()
    await member.goto(`${suite.server.url}/`)
    await signInWithKeyboard(member, 'labor.member@demo.test', TEST_PASSWORD)
    await member.getByRole('link', { name: /National Labor-Management/ }).click()
    const tabs = member.getByRole('navigation', { name: 'Views' }).getByRole('button')
    await expect.poll(() => tabs.allTextContents()).toContain('Status board')
    expect(await tabs.allTextContents()).not.toContain('Working draft (read only)')

    const mediator = await openWorkingDraft(
      await suite.newPage(),
      suite.server.url,
      'mediator@demo.test',
      TEST_PASSWORD,
    )
    await mediator.getByRole('link', { name: 'Members' }).click()
    await mediator.getByRole('heading', { name: 'Drafting privacy' }).waitFor()
    await mediator.getByRole('button', { name: 'Open the working draft to the table…' }).click()
    await mediator.getByText('including what you type before you circulate it').waitFor()
    await screenshot(mediator, 'drafting-privacy-confirm')
    await mediator.getByRole('button', { name: 'Open drafting', exact: true }).click()
    await mediator.getByText('Open drafting: party leads and members watch').waitFor()

    await member.reload()
    await member.getByRole('button', { name: 'Working draft (read only)' }).click()
    const draft = member.getByRole('textbox', { name: 'Working draft' })
    await draft.waitFor()

    await mediator.getByRole('link', { name: 'Back to the text' }).click()
    const mediatorDraft = mediator.getByRole('textbox', { name: 'Working draft' })
    await mediatorDraft.locator('p').first().click()
    await mediator.keyboard.press('End')
    await mediator.keyboard.insertText(' Maybe 90 days?')
    await expect.poll(() => draft.textContent()).toContain('Maybe 90 days?')
    await screenshot(member, 'drafting-open-member-view')

    await mediator.getByRole('link', { name: 'Members' }).click()
    await mediator.getByRole('button', { name: 'Make drafting private again…' }).click()
    await mediator.getByRole('button', { name: 'Make drafting private', exact: true }).click()
    await mediator.getByText('Private drafting: only mediators').waitFor()
    await expect.poll(() => tabs.allTextContents()).not.toContain('Working draft (read only)')
    await screenshot(member, 'drafting-private-member-view')
  })
})

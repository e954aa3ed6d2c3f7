/**
 * Choosing, in the Activity panel, which events e-mail you: a union member ticks "a new iteration
 * is circulated"; when the mediator circulates, the mail reaches a real SMTP server, for that
 * member alone. A local table is offered publications only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { screenshot, seriousAxeViolations } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { type SmtpSink, startSmtpSink } from '../helpers/smtpSink'
import { circulateAsMediator } from '../helpers/testServer'

describe('activity e-mail in the browser', () => {
  let smtp: SmtpSink
  beforeAll(async () => {
    smtp = await startSmtpSink()
  })
  afterAll(async () => {
    await smtp.close()
  })
  const suite = useBrowserSuite({ env: () => ({ SMTP_URL: smtp.url }) })

  async function activityPanel(email: string) {
    const page = await suite.signedIn(email)
    await page.getByRole('link', { name: /National Labor-Management/ }).click()
    await page.getByRole('button', { name: /^Activity/ }).click()
    const panel = page.getByRole('region', { name: 'Activity' })
    await panel.getByRole('group', { name: 'E-mail me when' }).waitFor()
    return { page, panel }
  }

  it('mails a member the events they tick, and no one else', async () => {
    const { page, panel } = await activityPanel('labor.member@demo.test')
    const choice = panel.getByRole('group', { name: 'E-mail me when' })
    expect(await choice.getByRole('checkbox').count()).toBe(7)
    await choice.getByRole('checkbox', { name: 'A new iteration is circulated' }).check()
    await choice.getByText('Saved.').waitFor()
    await screenshot(page, 'activity-mail-choice')
    expect(await seriousAxeViolations(page)).toEqual([])

    const observer = await activityPanel('observer@demo.test')
    const observerChoice = observer.panel.getByRole('group', { name: 'E-mail me when' })
    expect(await observerChoice.getByRole('checkbox').allTextContents()).toHaveLength(1)
    expect(await observerChoice.textContent()).toContain(
      'An iteration is published to the local tables',
    )

    await circulateAsMediator(suite.server.url, 'For the mail')
    await suite.server.mail?.idle()
    expect(smtp.received.map((mail) => mail.to)).toEqual([['labor.member@demo.test']])
    expect(smtp.received[0]?.data).toMatch(/Single Text 1 was circulated/)

    // The choice is kept with the account: a reload shows it ticked.
    await page.reload()
    await page.getByRole('button', { name: /^Activity/ }).click()
    expect(
      await page.getByRole('checkbox', { name: 'A new iteration is circulated' }).isChecked(),
    ).toBe(true)
  })
})

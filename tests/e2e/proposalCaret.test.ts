/**
 * Two members of a party write one proposal together: when the lead types at the start of the
 * alternative language, the member's caret stays by the words it was at, so the member's next
 * keystroke lands there (not at the end of the text). Opening and closing a proposal moves the
 * keyboard's focus with it.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../helpers/browserSuite'
import { circulateAsMediator } from '../helpers/testServer'

describe('a proposal written together', () => {
  const suite = useBrowserSuite()

  async function clause3(email: string): Promise<Page> {
    const page = await suite.signedIn(email)
    await page.goto(`${suite.server.url}/negotiations/lmp-1997/text`)
    await page.getByRole('heading', { name: '3. Decision-Making' }).waitFor()
    return page
  }

  const card = (page: Page) =>
    page.locator('.clause-card', { has: page.getByRole('heading', { name: '3. Decision-Making' }) })

  it('keeps a member’s caret by the same words while a colleague types', async () => {
    await circulateAsMediator(suite.server.url, 'First')

    const lead = await clause3('labor.lead@demo.test')
    await card(lead)
      .getByRole('button', { name: /Propose alternative language/ })
      .click()
    const leadWords = lead.getByLabel(/Alternative language/)
    // Opening a proposal puts the keyboard in its words.
    await expect
      .poll(() => leadWords.evaluate((element) => element === document.activeElement))
      .toBe(true)

    const member = await clause3('labor.member@demo.test')
    await card(member)
      .getByRole('button', { name: /Edit our proposal/ })
      .click()
    const memberWords = member.getByLabel(/Alternative language/)
    await memberWords.waitFor()
    const anchor = 'Two such criteria'
    // The member's caret just before "Two such criteria".
    await memberWords.evaluate((element, words) => {
      const area = element as HTMLTextAreaElement
      area.focus()
      const at = area.value.indexOf(words)
      area.setSelectionRange(at, at)
    }, anchor)

    await leadWords.evaluate((element) => {
      const area = element as HTMLTextAreaElement
      area.focus()
      area.setSelectionRange(0, 0)
    })
    await lead.keyboard.type('Firstly, ')
    await expect.poll(() => memberWords.inputValue()).toMatch(/^Firstly, /)

    await member.keyboard.type('X')
    await expect.poll(() => leadWords.inputValue()).toContain(`X${anchor}`)
    expect(await memberWords.inputValue()).toMatch(/^Firstly, /)

    // Done puts the keyboard back on the button that opened the proposal.
    await card(lead).getByRole('button', { name: 'Done' }).click()
    const reopen = card(lead).getByRole('button', { name: /Edit our proposal/ })
    await expect
      .poll(() => reopen.evaluate((element) => element === document.activeElement))
      .toBe(true)
  })
})

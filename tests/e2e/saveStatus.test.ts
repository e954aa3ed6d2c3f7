/**
 * The save indicator in the browser: "All changes saved" once the server has the edit on disk,
 * "Offline" with the edits kept when the server goes away, and a warning before leaving the page
 * while an edit is not on disk (none when everything is saved).
 */
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newPage, openWorkingDraft, placeCaretAtEnd } from '../helpers/browser'
import { startTestServer, TEST_PASSWORD } from '../helpers/testServer'

const CLIENT_DIR = path.resolve(import.meta.dirname, '../../client/dist')

describe('the save indicator', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let browser: Browser
  let serverClosed = false

  beforeAll(async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    if (!serverClosed) await server?.close()
  })

  const openDraft = async () =>
    openWorkingDraft(await newPage(browser), server.url, 'mediator@demo.test', TEST_PASSWORD)

  it('lets a page with every edit saved close without asking', async () => {
    const page = await openDraft()
    const text = page.getByRole('textbox', { name: 'Working draft' })
    await placeCaretAtEnd(text.locator('p').first())
    await page.keyboard.type(' Saved words.')
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    expect(await page.locator('.save-status').getAttribute('data-state')).toBe('saved')
    let asked = false
    page.on('dialog', (dialog) => {
      asked = true
      void dialog.accept()
    })
    const closed = new Promise<void>((resolve) => page.once('close', () => resolve()))
    await page.close({ runBeforeUnload: true })
    await closed
    expect(asked).toBe(false)
  })

  it('reads "Saving..." through a run of typing instead of flickering with every keystroke', async () => {
    const page = await openDraft()
    const text = page.getByRole('textbox', { name: 'Working draft' })
    await placeCaretAtEnd(text.locator('p').first())
    await page.evaluate(() => {
      const status = document.querySelector('.save-status') as HTMLElement
      const seen: string[] = []
      ;(window as unknown as { statusTexts: string[] }).statusTexts = seen
      new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, {
        childList: true,
        characterData: true,
        subtree: true,
      })
    })
    await page.keyboard.type(' A run of typing.', { delay: 30 })
    await expect.poll(() => page.locator('.save-status').textContent()).toBe('All changes saved')
    const texts = await page.evaluate(
      () => (window as unknown as { statusTexts: string[] }).statusTexts,
    )
    // Every keystroke is acknowledged on its own (17 of them), yet the indicator changed only a
    // few times (once to "Saving...", once back; more only if the machine stalled mid-run).
    expect(texts[0]).toBe('Saving...')
    expect(texts.at(-1)).toBe('All changes saved')
    expect(texts.length).toBeLessThanOrEqual(6)
    await page.close()
  })

  it('shows edits made while the server is gone as kept, and asks before the page is left', async () => {
    const page = await openDraft()
    const text = page.getByRole('textbox', { name: 'Working draft' })
    await placeCaretAtEnd(text.locator('p').first())
    await server.close()
    serverClosed = true
    await expect
      .poll(() => page.locator('.save-status').textContent())
      .toBe('Connection lost. Reconnecting...')
    await page.keyboard.type(' Unsaved words.')
    await expect
      .poll(() => page.locator('.save-status').textContent())
      .toBe('Offline: your edits are kept here and will be saved on reconnect')
    expect(await page.locator('.save-status').getAttribute('class')).toContain('save-status-warn')

    const dialog = new Promise<string>((resolve) =>
      page.once('dialog', (shown) => {
        resolve(shown.type())
        void shown.dismiss()
      }),
    )
    await page.close({ runBeforeUnload: true })
    expect(await dialog).toBe('beforeunload')
    // Dismissed: the page and its unsaved words are still there.
    expect(page.isClosed()).toBe(false)
    expect(await text.textContent()).toContain('Unsaved words.')
  })
})

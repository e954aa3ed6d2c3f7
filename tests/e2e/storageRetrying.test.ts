/**
 * A failing disk, as the person typing sees it: while the server cannot write, the page says its
 * edits are not saved yet; once the disk recovers it says "All changes saved", and the edits are
 * there after the server restarts.
 */
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StorageFaults } from '../../server/src/storage/StorageFaults'
import {
  launchBrowser,
  newPage,
  openWorkingDraft,
  placeCaretAtEnd,
  screenshot,
} from '../helpers/browser'
import { makeDataDir, startTestServer, TEST_PASSWORD } from '../helpers/testServer'

const CLIENT_DIR = path.resolve(import.meta.dirname, '../../client/dist')

describe('the save indicator while the disk fails', () => {
  let browser: Browser
  const servers: Array<Awaited<ReturnType<typeof startTestServer>>> = []

  beforeAll(async () => {
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    for (const server of servers) await server.close()
  })

  it('shows the edits as not saved while the disk fails, then saved, and keeps them across a restart', async () => {
    const dataDir = makeDataDir()
    const faults = new StorageFaults()
    const server = await startTestServer({ dataDir, clientDir: CLIENT_DIR, storageFaults: faults })
    servers.push(server)
    const page = await openWorkingDraft(
      await newPage(browser),
      server.url,
      'mediator@demo.test',
      TEST_PASSWORD,
    )
    const status = page.locator('.save-status')
    const text = page.getByRole('textbox', { name: 'Working draft' })
    await placeCaretAtEnd(text.locator('p').first())

    faults.breakDisk(['append'])
    await page.keyboard.type(' Typed while the disk fails.')
    await expect.poll(() => status.getAttribute('data-state')).toBe('storage-retrying')
    expect(await status.textContent()).toBe('The server cannot save yet. Retrying...')
    expect(await status.getAttribute('class')).toContain('save-status-warn')
    await screenshot(page, 'storage-retrying')

    faults.repair()
    await expect.poll(() => status.textContent()).toBe('All changes saved')
    await page.close()
    servers.splice(servers.indexOf(server), 1)
    await server.close()

    const restarted = await startTestServer({ dataDir, clientDir: CLIENT_DIR })
    servers.push(restarted)
    const again = await openWorkingDraft(
      await newPage(browser),
      restarted.url,
      'drafter@demo.test',
      TEST_PASSWORD,
    )
    await expect
      .poll(() => again.getByRole('textbox', { name: 'Working draft' }).textContent())
      .toContain('Typed while the disk fails.')
  })
})

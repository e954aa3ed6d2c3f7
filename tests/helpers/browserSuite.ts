/**
 * Lifecycle of a browser test file: one server (port 0, serving the built client) and one headless
 * Chromium for the file, a fresh browser context per page, all torn down after the file.
 */
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchBrowser, newPage, openWorkingDraft, signInWithKeyboard } from './browser'
import { startTestServer, TEST_PASSWORD } from './testServer'

const CLIENT_DIR = path.resolve(import.meta.dirname, '../../client/dist')

/** What a browser test file uses. */
export interface BrowserSuite {
  /** The running server (available from the first test on). */
  readonly server: Awaited<ReturnType<typeof startTestServer>>
  /** A page in a new browser context (its own cookies), 1400x900 (see `newPage`). */
  newPage(): Promise<Page>
  /**
   * A new page signed in as `email` (the test password) through the sign-in form, on the list of
   * negotiations, once `listed` (the demo's title by default) is a link there.
   */
  signedIn(email: string, listed?: string | RegExp): Promise<Page>
  /** A new page signed in as `email` (the test password) with the demo's working draft open and saved. */
  openDraftAs(email: string): Promise<Page>
  /** Closes every page opened so far. */
  closePages(): Promise<void>
}

/**
 * Registers beforeAll/afterAll hooks for a server and a browser; call inside `describe`. `env`
 * (read when the server starts, after the hooks registered before this call have run) adds
 * environment settings.
 */
export function useBrowserSuite(
  options: { env?: () => Record<string, string> } = {},
): BrowserSuite {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startTestServer({
      clientDir: CLIENT_DIR,
      ...(options.env ? { env: options.env() } : {}),
    })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    for (const context of contexts.splice(0)) await context.close()
    await browser?.close()
    await server?.close()
  })

  return {
    get server() {
      if (!server) throw new Error('the server starts in beforeAll')
      return server
    },
    async newPage() {
      if (!browser) throw new Error('the browser starts in beforeAll')
      const page = await newPage(browser)
      contexts.push(page.context())
      return page
    },
    async signedIn(email: string, listed: string | RegExp = /National Labor-Management/) {
      const page = await this.newPage()
      await page.goto(`${this.server.url}/`)
      await signInWithKeyboard(page, email, TEST_PASSWORD)
      await page.getByRole('link', { name: listed }).waitFor()
      return page
    },
    async openDraftAs(email: string) {
      return openWorkingDraft(await this.newPage(), this.server.url, email, TEST_PASSWORD)
    },
    async closePages() {
      for (const context of contexts.splice(0)) await context.close()
    },
  }
}

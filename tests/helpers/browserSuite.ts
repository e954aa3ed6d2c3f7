/**
 * Lifecycle of a browser test file: one server (port 0, serving the built client) and one headless
 * Chromium for the file, a fresh browser context per page, all torn down after the file.
 */
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { launchBrowser, newPage, openWorkingDraft, signInWithKeyboard } from './browser'
import { startTestServer, TEST_PASSWORD } from './testServer'

const CLIENT_DIR = path.resolve(import.meta.dirname, '../../client/dist')

/** Lines of the server's log and the pages' errors kept for a failed test's report. */
const JOURNAL_LINES = 300

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
 * Each editor of `page` in one line: its name, whether it has the focus, the caret's block and
 * offset, and where the text on screen first differs from the editor's state (numbers and other
 * widgets left out), if it does: what a failed test needs to tell lost input from a slow page.
 */
async function describeEditors(page: Page): Promise<string> {
  return page.evaluate(() => {
    interface EditorLike {
      state: {
        doc: {
          textBetween(from: number, to: number, separator: string): string
          content: { size: number }
        }
        selection: {
          from: number
          to: number
          $from: { parentOffset: number; parent: { type: { name: string }; textContent: string } }
        }
      }
    }
    const lines: string[] = [
      `focus on ${document.activeElement?.tagName ?? 'nothing'}.${document.activeElement?.className ?? ''}`,
    ]
    for (const root of Array.from(document.querySelectorAll('.ProseMirror'))) {
      const editor = (root as Element & { editor?: EditorLike }).editor
      if (!editor) continue
      const { doc, selection } = editor.state
      const stateText = doc.textBetween(0, doc.content.size, '')
      const copy = root.cloneNode(true) as Element
      for (const widget of Array.from(copy.querySelectorAll('[contenteditable="false"]')))
        widget.remove()
      const screenText = copy.textContent ?? ''
      let differs = 0
      while (differs < stateText.length && stateText[differs] === screenText[differs]) differs++
      const agreement =
        stateText === screenText
          ? 'screen and state agree'
          : `screen and state differ at ${differs}: state "${stateText.slice(Math.max(0, differs - 30), differs + 30)}" screen "${screenText.slice(Math.max(0, differs - 30), differs + 30)}"`
      lines.push(
        `${root.getAttribute('aria-label') ?? 'editor'}${root.contains(document.activeElement) ? ' (focused)' : ''}: caret ${selection.from}-${selection.to} in ${selection.$from.parent.type.name} "${selection.$from.parent.textContent.slice(0, 60)}" at ${selection.$from.parentOffset}; ${agreement}`,
      )
    }
    return lines.join('; ')
  })
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
  // What the server logged and the pages reported during the current test, printed when it fails:
  // a failure seen only in CI then says what the server refused or the page threw.
  const journal: string[] = []
  const note = (source: string, line: string) => {
    journal.push(`${new Date().toISOString().slice(11, 23)} ${source}: ${line}`)
    if (journal.length > JOURNAL_LINES) journal.shift()
  }

  beforeAll(async () => {
    server = await startTestServer({
      clientDir: CLIENT_DIR,
      log: (line) => note('server', line),
      ...(options.env ? { env: options.env() } : {}),
    })
    browser = await launchBrowser()
  })

  beforeEach(() => {
    journal.length = 0
  })

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return
    const editors: string[] = []
    for (const [index, browserContext] of contexts.entries())
      for (const page of browserContext.pages())
        editors.push(`page ${index + 1} ${await describeEditors(page).catch(String)}`)
    console.error(
      [
        `What the server and the pages said during "${context.task.name}":`,
        ...journal,
        'The editors when it failed:',
        ...editors,
      ].join('\n'),
    )
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
      const name = `page ${contexts.length}`
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          note(name, `${message.type()} ${message.text()}`)
      })
      page.on('pageerror', (error) => note(name, `uncaught ${error.stack ?? error.message}`))
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

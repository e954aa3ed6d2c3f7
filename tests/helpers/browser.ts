/**
 * Launches Debian's Chromium through playwright-core, with the flags this environment needs, and
 * helpers the browser tests share: signing in through the real form, screenshots, axe-core checks.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { type Browser, chromium, type Locator, type Page } from 'playwright-core'

/** Where screenshots go (git-ignored; kept as CI artifacts). */
export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts')

/** Path of the Chromium binary. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** Starts headless Chromium. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/** Saves a full-page screenshot as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const file = path.join(ARTIFACTS_DIR, `${name}.png`)
  await page.screenshot({ path: file, fullPage: false })
  return file
}

/** Signs in through the sign-in form using only the keyboard. */
export async function signInWithKeyboard(
  page: Page,
  email: string,
  password: string,
): Promise<void> {
  await page.getByLabel('Email').focus()
  await page.keyboard.type(email)
  await page.keyboard.press('Tab')
  await page.keyboard.type(password)
  await page.keyboard.press('Enter')
}

/** An axe-core violation, trimmed to what a failure message needs. */
export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: string[]
}

const require = createRequire(import.meta.url)
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not block.
  await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document) => Promise<{ violations: unknown[] }> }
      }
    ).axe
    const result = await axe.run(document)
    return result.violations as Array<{
      id: string
      impact: string | null
      help: string
      nodes: Array<{ target: string[] }>
    }>
  })
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    }))
}

/**
 * Puts the caret at the end of an element's text (the End key only reaches the end of the visual
 * line), the way a click after the last word would.
 */
export async function placeCaretAtEnd(element: Locator): Promise<void> {
  await element.click()
  await element.evaluate((node) => {
    if (node instanceof HTMLTextAreaElement || node instanceof HTMLInputElement) {
      node.focus()
      node.setSelectionRange(node.value.length, node.value.length)
      return
    }
    const selection = window.getSelection()
    const range = document.createRange()
    range.selectNodeContents(node)
    range.collapse(false)
    selection?.removeAllRanges()
    selection?.addRange(range)
  })
  // ProseMirror reads the DOM selection on the next selectionchange event; wait for it to settle.
  await element.page().waitForFunction(() => {
    const selection = window.getSelection()
    return selection?.isCollapsed === true
  })
}

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

/** What axe-core found of one rule (or all): the CSS selectors of the nodes, by outcome. */
export interface AxeOutcome {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: string[] }>
  /** Nodes axe checked and found fine. */
  passes: Array<{ id: string; nodes: string[] }>
  /** Nodes axe could not decide (for colour contrast: a background it could not work out). */
  incomplete: Array<{ id: string; nodes: string[] }>
}

/**
 * Runs axe-core on the page, or on one element of it (`scope`, a locator), only `rules` when given,
 * and returns what it found. The words for a screen reader inside an editor's text (`.sr-words`,
 * transparent on purpose: client/src/editor/screenReaderWords.ts) are left out: axe cannot measure
 * the contrast of transparent words and would leave each undecided.
 */
export async function runAxe(
  scope: Page | Locator,
  rules?: readonly string[],
): Promise<AxeOutcome> {
  const page = 'page' in scope ? scope.page() : scope
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not block.
  await page.evaluate(AXE_SOURCE)
  const element = 'page' in scope ? await scope.elementHandle() : null
  return page.evaluate(
    async ({ only, root }) => {
      interface AxeResult {
        id: string
        impact: string | null
        help: string
        nodes: Array<{ target: string[] }>
      }
      const axe = (
        window as unknown as {
          axe: {
            run: (
              context: { include: Node[]; exclude: string[] },
              options: object,
            ) => Promise<{ violations: AxeResult[]; passes: AxeResult[]; incomplete: AxeResult[] }>
          }
        }
      ).axe
      const result = await axe.run(
        { include: [root ?? document], exclude: ['.sr-words'] },
        only ? { runOnly: { type: 'rule', values: only } } : {},
      )
      const nodes = (found: AxeResult) => found.nodes.map((node) => node.target.join(' '))
      return {
        violations: result.violations.map((found) => ({
          id: found.id,
          impact: found.impact,
          help: found.help,
          nodes: nodes(found),
        })),
        passes: result.passes.map((found) => ({ id: found.id, nodes: nodes(found) })),
        incomplete: result.incomplete.map((found) => ({ id: found.id, nodes: nodes(found) })),
      }
    },
    { only: rules ?? null, root: element },
  )
}

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const { violations } = await runAxe(page)
  return violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  )
}

/** How many times {@link placeCaret} tries again when the element it placed the caret in was replaced. */
const CARET_ATTEMPTS = 5

/**
 * Clicks `element`, puts the DOM caret at the start or end of its text, and waits until the page
 * has taken it: inside a rich-text editor, until the editor's own selection (what a key handled by
 * the editor reads; ProseMirror takes the DOM's on the next `selectionchange` event) is empty and at
 * that end of the textblock `element` is or holds; elsewhere, until the DOM selection is collapsed.
 * When the element leaves the page meanwhile (an editor made anew after a refused change), it finds
 * the element again and starts over, up to {@link CARET_ATTEMPTS} times.
 */
async function placeCaret(element: Locator, atEnd: boolean): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await element.click()
    const handle = await element.elementHandle()
    await handle.evaluate((node, toEnd) => {
      if (node instanceof HTMLTextAreaElement || node instanceof HTMLInputElement) {
        node.focus()
        const at = toEnd ? node.value.length : 0
        node.setSelectionRange(at, at)
        return
      }
      if (!node.isConnected) return
      const selection = window.getSelection()
      const range = document.createRange()
      range.selectNodeContents(node)
      range.collapse(!toEnd)
      selection?.removeAllRanges()
      selection?.addRange(range)
    }, atEnd)
    const outcome = await element.page().waitForFunction(
      ({ node, toEnd }) => {
        interface EditorView {
          state: {
            selection: {
              empty: boolean
              $from: {
                parentOffset: number
                parent: { content: { size: number } }
                before(): number
              }
            }
          }
          view: { nodeDOM(pos: number): Node | null }
        }
        if (!node.isConnected) return 'replaced'
        const root = node.closest('.ProseMirror') as (Element & { editor?: EditorView }) | null
        const editor = root?.editor
        if (!editor) return window.getSelection()?.isCollapsed === true && 'placed'
        const { selection } = editor.state
        if (!selection.empty) return false
        const { $from } = selection
        const block = editor.view.nodeDOM($from.before())
        if (!block || !(node === block || node.contains(block))) return false
        return $from.parentOffset === (toEnd ? $from.parent.content.size : 0) && 'placed'
      },
      { node: handle, toEnd: atEnd },
    )
    if ((await outcome.jsonValue()) === 'placed') return
    if (attempt === CARET_ATTEMPTS)
      throw new Error(`the element was replaced ${CARET_ATTEMPTS} times while the caret was placed`)
  }
}

/**
 * Puts the caret at the end of an element's text (the End key only reaches the end of the visual
 * line), the way a click after the last word would.
 */
export async function placeCaretAtEnd(element: Locator): Promise<void> {
  await placeCaret(element, true)
}

/** Puts the caret at the start of a block of the editor's text (see {@link placeCaretAtEnd}). */
export async function placeCaretAtStart(element: Locator): Promise<void> {
  await placeCaret(element, false)
}

/**
 * A page in a new browser context (its own cookies), 1400x900. A locator that never matches fails
 * with its name after 15 s, not at the test's timeout.
 */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  context.setDefaultTimeout(15_000)
  return context.newPage()
}

/**
 * Signs `email` in on `page` through the sign-in form, opens the demo agreement's working draft and
 * waits until it reads "All changes saved".
 */
export async function openWorkingDraft(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<Page> {
  await page.goto(`${baseUrl}/`)
  await signInWithKeyboard(page, email, password)
  await page.getByRole('link', { name: /National Labor-Management Partnership Agreement/ }).click()
  await page.getByRole('textbox', { name: 'Working draft' }).waitFor()
  await page.waitForFunction(
    () => document.querySelector('.save-status')?.textContent === 'All changes saved',
  )
  return page
}

/**
 * The share (0 to 1) of the pixels painted on screen inside `element`'s box that are within 24 of
 * `rgb` in every channel: whether the element is actually seen, not clipped or covered by others.
 */
export async function paintedShare(
  element: Locator,
  rgb: readonly [number, number, number],
): Promise<number> {
  const box = await element.boundingBox()
  if (!box) return 0
  const png = await element.page().screenshot({ clip: box })
  return element.page().evaluate(
    async ({ data, rgb }) => {
      const image = new Image()
      image.src = `data:image/png;base64,${data}`
      await image.decode()
      const canvas = document.createElement('canvas')
      canvas.width = image.width
      canvas.height = image.height
      const context = canvas.getContext('2d')
      if (!context) return 0
      context.drawImage(image, 0, 0)
      const pixels = context.getImageData(0, 0, image.width, image.height).data
      let matching = 0
      for (let index = 0; index < pixels.length; index += 4) {
        if (
          Math.abs((pixels[index] ?? 0) - rgb[0]) <= 24 &&
          Math.abs((pixels[index + 1] ?? 0) - rgb[1]) <= 24 &&
          Math.abs((pixels[index + 2] ?? 0) - rgb[2]) <= 24
        )
          matching++
      }
      return matching / (pixels.length / 4)
    },
    { data: png.toString('base64'), rgb },
  )
}

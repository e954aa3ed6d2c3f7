/**
 * Suggesting in place: two members of one party edit their party's copy of Single Text 1 at once.
 * One selects two words of clause 1 and types over them, the other deletes a word: each sees both
 * changes where they are, as tracked changes attributed to the member who made them (the server's
 * record of who owns which client, never a name a page writes), and the mediator reads the same
 * changes, read-only. Screenshots in test-artifacts/.
 */
import type { Locator, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { screenshot } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { circulateAsMediator } from '../helpers/testServer'

const COPY = /Suggestions of Coalition of Unions on Single Text 1/
const LATEST_COPY = /Suggestions of Coalition of Unions on Single Text \d+/

/**
 * Selects `words` (a stretch of one text node) in the editor `text` and waits until the editor has
 * it. A colleague's change that lands between the browser's selection and the editor reading it
 * puts the editor's selection from before back (y-tiptap restores the one it saw when the change
 * began), as it would a person's: then it selects again, as a person would.
 */
async function selectWords(text: Locator, words: string): Promise<void> {
  await expect
    .poll(async () => {
      await text.evaluate((root, wanted) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent?.indexOf(wanted) ?? -1
          if (at < 0) continue
          ;(root as HTMLElement).focus()
          const range = document.createRange()
          range.setStart(node, at)
          range.setEnd(node, at + wanted.length)
          const selection = window.getSelection()
          selection?.removeAllRanges()
          selection?.addRange(range)
          return
        }
        throw new Error(`no "${wanted}" in the text`)
      }, words)
      return text
        .page()
        .waitForFunction(
          (wanted) => {
            interface Selected {
              state: {
                selection: { from: number; to: number }
                doc: { textBetween(a: number, b: number): string }
              }
            }
            const editor = (
              document.querySelector('.ProseMirror') as (Element & { editor?: Selected }) | null
            )?.editor
            if (!editor) return false
            const { from, to } = editor.state.selection
            return editor.state.doc.textBetween(from, to) === wanted
          },
          words,
          { timeout: 2_000 },
        )
        .then(
          () => true,
          () => false,
        )
    }, SELECT_TIMEOUT)
    .toBe(true)
}

/** How long selecting may take, attempts included. */
const SELECT_TIMEOUT = { timeout: 15_000, interval: 0 }

/** The words of the copy in `element`: without the struck words and the words for screen readers. */
function copyText(element: Locator): Promise<string> {
  return element.evaluate((node) => {
    const copy = node.cloneNode(true) as Element
    copy
      .querySelectorAll('.sr-words, del.sugg-del, .collaboration-carets__caret')
      .forEach((shown) => {
        shown.remove()
      })
    return copy.textContent ?? ''
  })
}

/** Each tracked change shown: its kind, words (as seen, without the hidden words) and author. */
function shownChanges(page: Page) {
  return page.locator('.document-text [data-change]').evaluateAll((elements) =>
    elements.map((element) => {
      const copy = element.cloneNode(true) as Element
      copy.querySelectorAll('.visually-hidden, .sr-words').forEach((hidden) => {
        hidden.remove()
      })
      return {
        kind: element.getAttribute('data-change'),
        text: copy.textContent ?? '',
        author: element.getAttribute('data-author'),
        title: element.getAttribute('title') ?? '',
      }
    }),
  )
}

describe('suggesting mode', () => {
  const suite = useBrowserSuite()
  afterEach(() => suite.closePages())

  async function openCopy(
    email: string,
    path = 'suggest',
    name = COPY,
  ): Promise<{ page: Page; text: Locator }> {
    const page = await suite.signedIn(email)
    await page.goto(`${suite.server.url}/negotiations/lmp-1997/${path}`)
    const text = page.getByRole('textbox', { name })
    await text.waitFor()
    await text
      .getByText(/^Health care services/)
      .first()
      .waitFor()
    return { page, text }
  }

  it('shows each member’s changes in place, attributed, to the party and to the mediator', async () => {
    await circulateAsMediator(suite.server.url, 'First')
    const lead = await openCopy('labor.lead@demo.test')
    const member = await openCopy('labor.member@demo.test')

    await selectWords(lead.text, 'rapid change')
    await lead.page.keyboard.type('constant transformation')
    await selectWords(member.text, 'explosive ')
    await member.page.keyboard.press('Backspace')

    const inserted = (page: Page) =>
      shownChanges(page).then((changes) =>
        changes
          .filter((change) => change.kind === 'insert')
          .map((change) => `${change.text}|${change.author}`),
      )
    const deleted = (page: Page) =>
      shownChanges(page).then((changes) =>
        changes
          .filter((change) => change.kind === 'delete')
          .map((change) => `${change.text.trim()}|${change.author}`),
      )
    // Each sees both changes where they were made: in clause 1's first paragraph.
    for (const { page, text } of [lead, member]) {
      await expect
        .poll(() => copyText(text.locator('p').first()))
        .toContain('undergoing constant transformation.')
      await expect.poll(() => page.locator('.document-text del.sugg-del').count()).toBe(2)
    }
    await screenshot(lead.page, 'suggest-lead')
    await screenshot(member.page, 'suggest-member')

    // Each sees their own changes as "you", the colleague's under the colleague's name.
    await expect.poll(() => inserted(lead.page)).toEqual(['constant transformation|you'])
    await expect
      .poll(() => deleted(lead.page))
      .toEqual(expect.arrayContaining(['rapid change|you', 'explosive|Priya Shah']))
    await expect.poll(() => inserted(member.page)).toEqual(['constant transformation|Luis Ortega'])
    await expect
      .poll(() => deleted(member.page))
      .toEqual(expect.arrayContaining(['rapid change|Luis Ortega', 'explosive|you']))
    // The title says who and when, for a pointer's hover.
    const titles = (await shownChanges(member.page)).map((change) => change.title)
    expect(titles).toContainEqual(expect.stringMatching(/^Inserted by Luis Ortega, .*\d/))
    // A screen reader hears what changed.
    await expect
      .poll(() => member.text.locator('del.sugg-del .sr-words').first().textContent())
      .toMatch(/^\[deleted:/)
    // ...and nobody sees those words: they take no room in the line and stay transparent, in
    // forced colours (a contrast theme) too.
    const wordsLook = () =>
      member.text
        .locator('.sr-words')
        .first()
        .evaluate((words) => {
          const style = getComputedStyle(words)
          const advance = words.getBoundingClientRect().width + Number.parseFloat(style.marginRight)
          return { color: style.color, advance }
        })
    expect(await wordsLook()).toEqual({ color: 'rgba(0, 0, 0, 0)', advance: 0 })
    await member.page.emulateMedia({ forcedColors: 'active' })
    expect(await wordsLook()).toEqual({ color: 'rgba(0, 0, 0, 0)', advance: 0 })
    await member.page.emulateMedia({ forcedColors: 'none' })
    await screenshot(member.page, 'suggest-member-attributed')

    const mediator = await openCopy('mediator@demo.test', 'suggest/labor')
    await expect
      .poll(() => inserted(mediator.page))
      .toEqual(['constant transformation|Luis Ortega'])
    await expect
      .poll(() => deleted(mediator.page))
      .toEqual(expect.arrayContaining(['rapid change|Luis Ortega', 'explosive|Priya Shah']))
    expect(await mediator.text.getAttribute('contenteditable')).toBe('false')
    await mediator.page.getByText('constant transformation').first().click()
    await screenshot(mediator.page, 'suggest-mediator')

    // The lead gives the party's reason and shares clause 1 with the table.
    await lead.text.getByText('constant transformation').first().click()
    const panel = lead.page.getByRole('region', { name: /^Clause 1\. Purpose/ })
    await expect.poll(() => panel.textContent()).toContain('suggested changes in this clause')
    const rationale = panel.getByLabel(/^Rationale/)
    await rationale.click()
    await lead.page.keyboard.type('Change is the normal state of health care.')
    // The rationale is the party's: the member sees it as it is typed.
    await member.text.getByText('constant transformation').first().click()
    await expect
      .poll(() =>
        member.page
          .getByRole('region', { name: /^Clause 1\. Purpose/ })
          .getByLabel(/^Rationale/)
          .inputValue(),
      )
      .toBe('Change is the normal state of health care.')
    await panel.getByRole('button', { name: 'Share clause 1' }).click()
    await lead.page.getByRole('button', { name: 'Share clause 1' }).last().click()
    await expect
      .poll(() => panel.getByRole('status').last().textContent())
      .toBe('Clause 1 was shared with the table.')
    await screenshot(lead.page, 'suggest-shared')

    // Single Text 2 is circulated: the member's view moves to the party's copy of it and says so.
    await circulateAsMediator(suite.server.url, 'Second')
    await member.page.getByRole('textbox', { name: /on Single Text 2$/ }).waitFor()
    await expect
      .poll(() => member.page.locator('.switch-note').textContent())
      .toContain('Single Text 2 was circulated')
    await screenshot(member.page, 'suggest-next-iteration')
  })

  it('shows the words being typed as inserted while the typing lasts', async () => {
    // The copy of the latest iteration (the test before this one circulated one too).
    await circulateAsMediator(suite.server.url, 'Next')
    const member = await openCopy('labor.member@demo.test', 'suggest', LATEST_COPY)
    // In a clause no earlier test changed (suggestions are carried onto the next iteration).
    await selectWords(member.text, 'freely share')
    await member.page.keyboard.type('x')
    await expect.poll(() => copyText(member.text)).toContain('of the parties to x information')
    // Typing on at the end of the words inserted, as the browser types (the text node changes and
    // the editor reads it): after each frame, the words the typing highlight shows while the run
    // is without its wrapper (editor/typingRun.ts).
    const seen = await member.text.evaluate(async (root) => {
      interface Marks {
        state: { plugins: Array<{ key: string; getState(state: unknown): unknown }> }
      }
      const editor = (root as unknown as { editor: Marks }).editor
      const samples: Array<{ typing: boolean; words: string | null; moved: number }> = []
      // How often the page moves a range's end: the highlight's, as the typing goes on.
      let moved = 0
      const setEnd = Range.prototype.setEnd
      Range.prototype.setEnd = function (this: Range, node: Node, offset: number) {
        moved++
        setEnd.call(this, node, offset)
      }
      for (const letter of 'yzzy') {
        moved = 0
        document.execCommand('insertText', false, letter)
        await new Promise((frame) => requestAnimationFrame(() => setTimeout(frame, 0)))
        const plugin = editor.state.plugins.find((each) => each.key === 'suggestionMarks$')
        const state = plugin?.getState(editor.state) as { typing: unknown } | undefined
        const registry = CSS.highlights as unknown as Map<string, Iterable<Range>>
        const highlight = registry.get('sugg-typing')
        samples.push({
          typing: state?.typing != null,
          words: highlight ? [...highlight].map((range) => range.toString()).join('') : null,
          moved,
        })
      }
      Range.prototype.setEnd = setEnd
      return samples
    })
    // The first letter follows the one before within a frame: the typing has not paused.
    expect(seen[0]?.typing).toBe(true)
    const expected = ['xy', 'xyz', 'xyzz', 'xyzzy']
    seen.forEach((sample, index) => {
      if (!sample.typing) return
      expect(sample.words).toBe(expected[index])
      // Typing on at the end of the run moves neither end of the highlight (after the second
      // letter, which splits the run's first letter off): moving one has the browser rebuild
      // the highlight and paint again on every keystroke.
      if (index > 0) expect(sample.moved).toBe(0)
    })
    // Once the typing pauses, the words get their wrapper back, attributed.
    await expect
      .poll(() =>
        shownChanges(member.page).then((changes) =>
          changes.filter((change) => change.kind === 'insert').map((change) => change.text),
        ),
      )
      .toContain('xyzzy')
    expect(
      await member.page.evaluate(() =>
        (CSS.highlights as unknown as Map<string, unknown>).has('sugg-typing'),
      ),
    ).toBe(false)
  })
})

/**
 * The comparison view in the browser on a 300-clause, 150-page agreement: from choosing the
 * "Compare" view to the list of changed clauses and every clause's redline being on screen
 * (fetching the diff from the server included), in headless Chromium.
 */

import type { JSONContent } from '@tiptap/core'
import * as Y from 'yjs'
import { launchChromium, mediatorContext } from './browser'
import { syntheticAgreement } from './exportsBench'
import { median, round } from './stats'
import { OneTextTarget } from './targets/onetextTarget'

/** What the run measured; the JSON object the command prints last. */
export interface CompareRenderResult {
  clauses: number
  runs: number
  medianMs: number
  samplesMs: number[]
}

/**
 * A Yjs element of ProseMirror JSON `node` (a clause, its heading, a title or a paragraph): its
 * attributes, and its text children as one Y.XmlText without marks, or its element children.
 */
function toElement(node: JSONContent): Y.XmlElement {
  const element = new Y.XmlElement(node.type ?? 'paragraph')
  for (const [key, value] of Object.entries(node.attrs ?? {}))
    element.setAttribute(key, value as string)
  const children = node.content ?? []
  if (children.some((child) => child.type === 'text'))
    element.insert(0, [new Y.XmlText(children.map((child) => child.text ?? '').join(''))])
  else element.insert(0, children.map(toElement))
  return element
}

/** Replaces what a Y.XmlFragment holds with a ProseMirror JSON document (of {@link toElement}'s nodes). */
function writeDoc(fragment: Y.XmlFragment, doc: JSONContent): void {
  fragment.delete(0, fragment.length)
  fragment.insert(0, (doc.content ?? []).map(toElement))
}

/** Runs the benchmark. */
export async function compareRender(
  options: { clauses?: number; runs?: number; log?: (line: string) => void } = {},
): Promise<CompareRenderResult> {
  const log = options.log ?? (() => {})
  const clauses = options.clauses ?? 300
  const runs = options.runs ?? 5
  const target = new OneTextTarget()
  await target.start()
  const browser = await launchChromium()
  try {
    const context = await mediatorContext(browser, target)
    const writer = await target.writer()
    await writer.synced()
    const fragment = writer.doc.getXmlFragment('default')
    for (const [index, version] of [
      syntheticAgreement(clauses, 150),
      syntheticAgreement(clauses, 150, true),
    ].entries()) {
      writer.doc.transact(() => writeDoc(fragment, version))
      await writer.saved()
      await context.request.post(`${target.baseUrl}/api/negotiations/lmp-1997/iterations`, {
        data: { note: `version ${index + 1}` },
      })
    }
    writer.destroy()
    log(`two iterations of ${clauses} sections circulated`)
    const samples: number[] = []
    for (let run = 0; run < runs; run++) {
      const page = await context.newPage()
      await page.goto(`${target.baseUrl}/negotiations/lmp-1997`)
      const compare = page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('button', { name: 'Compare' })
      await compare.waitFor({ timeout: 60_000 })
      // Start from a settled page: the working draft (the mediator's first view) loaded and synced.
      await page.waitForFunction(
        () => document.querySelector('.save-status')?.textContent === 'All changes saved',
        null,
        {
          timeout: 60_000,
        },
      )
      const started = performance.now()
      await compare.click()
      await page.getByRole('heading', { name: /clauses? changed/ }).waitFor({ timeout: 60_000 })
      await page.locator('.diff-clause').last().waitFor({ state: 'attached' })
      samples.push(round(performance.now() - started, 1))
      await page.close()
    }
    return { clauses, runs, medianMs: round(median(samples), 1), samplesMs: samples }
  } finally {
    await browser.close()
    await target.stop()
  }
}

/**
 * Keystroke-to-paint latency in the editor on a 150-page agreement, in headless Chromium (Debian's,
 * through playwright-core): from a keydown event to the end of the frame that paints it, measured
 * in the page, while typing at a person's pace. With `suggest`, a party member types in the
 * party's suggestion copy of the agreement circulated as Single Text 1 instead of the mediator in
 * the working draft: the copy already holds {@link SUGGEST_CHANGES} changes spread over the text,
 * and a second member of the party types elsewhere meanwhile. With `colleague`, a second writer
 * types elsewhere in the working draft too, so that the two editors are measured alike.
 */

import fs from 'node:fs'
import { formatDocumentName } from '@onetext/shared/documentNames'
import type { Page } from 'playwright-core'
import { benchAgreement } from './benchText'
import { accountContext, launchChromium, mediatorContext } from './browser'
import {
  installKeystrokeProbe,
  type KeystrokeSamples,
  readSamples,
  typeAndMeasure,
} from './keystrokeProbe'
import { connectNodeColleague, type NodeColleague } from './nodeColleague'
import { paintLayerCount } from './paintLayerCount'
import { cpuSeconds, threadCpuLines, threadCpuSeconds } from './serverMetrics'
import { percentile, round } from './stats'
import { DEMO_DRAFT, login, OneTextTarget } from './targets/onetextTarget'

/** What the run measured; the JSON object the command prints last. */
export interface KeystrokeResult {
  pages: number
  keystrokes: number
  /** True when each article held its paragraphs itself, without sections. */
  flat: boolean
  /** True when a party member typed in the party's suggestion copy. */
  suggest: boolean
  /** True when a colleague typed elsewhere meanwhile (always with `suggest`). */
  colleague: boolean
  /** Where the colleague typed (`colleagueIn`); null without one. */
  colleagueIn: 'browser' | 'node' | null
  p50Ms: number
  p95Ms: number
  maxMs: number
  /**
   * The keystrokes a change made elsewhere (a colleague's) reached the editor with, between the
   * keydown and the end of its frame, and the others: how many, p50 and p95 of each.
   */
  withRemote: SampleSummary
  alone: SampleSummary
  /**
   * How many changes made elsewhere (a colleague's; several keystrokes may arrive as one) the
   * member's editor received while it typed: 0 with a colleague means the colleague never reached it.
   */
  remoteChanges: number
  /**
   * The colleague's own keystrokes (one every 250 ms, so each after a pause), measured in its page
   * alike; null without a colleague.
   */
  colleagueKeystrokes: SampleSummary | null
  /**
   * CPU time of the server process (every thread, user and system) while the page typed, per
   * keystroke: what the server's answer to each keystroke costs the machine the browser shares.
   */
  serverCpuMsPerKeystroke: number
}

/** How many samples, and their p50 and p95 (ms; 0 for none). */
export interface SampleSummary {
  count: number
  p50Ms: number
  p95Ms: number
}

function summary(samples: number[]): SampleSummary {
  if (samples.length === 0) return { count: 0, p50Ms: 0, p95Ms: 0 }
  return {
    count: samples.length,
    p50Ms: round(percentile(samples, 50), 2),
    p95Ms: round(percentile(samples, 95), 2),
  }
}

/** Runs the benchmark: seeds a `pages`-page draft, opens it as the mediator, types `keystrokes` characters. */
export async function browserKeystroke(
  options: {
    pages?: number
    keystrokes?: number
    /**
     * Puts each article's paragraphs in the article itself, without sections (default false: in
     * three sections an article, as an agreement's clause tree is).
     */
    flat?: boolean
    /** Types in a party's suggestion copy of the text, as a party member (default false). */
    suggest?: boolean
    /**
     * Has a colleague type elsewhere meanwhile, one keystroke every 250 ms (default: only with
     * `suggest`, where a second member of the party types).
     */
    colleague?: boolean
    /**
     * Where the colleague types (default `browser`): in a page of the same browser, on the cores the
     * member's page runs on, or as a Yjs client in this Node process (nodeColleague.ts), standing
     * for a colleague on another machine: the same updates and caret reach the member's page, and
     * the colleague's own editor takes nothing from its cores.
     */
    colleagueIn?: 'browser' | 'node'
    /** Also writes a Chrome trace (DevTools timeline and JS samples) of the typing to this file. */
    traceFile?: string
    /** Also writes a V8 CPU profile (`.cpuprofile`, for DevTools) of the page's JS while typing. */
    cpuProfileFile?: string
    /** Also writes a V8 CPU profile of the colleague's page while the member types. */
    colleagueCpuProfileFile?: string
    log?: (line: string) => void
  } = {},
): Promise<KeystrokeResult> {
  const log = options.log ?? (() => {})
  const pages = options.pages ?? 150
  const keystrokes = options.keystrokes ?? 100
  const target = new OneTextTarget()
  await target.start()
  const browser = await launchChromium()
  try {
    // A 150-page single text: about 3,000 characters a page, in articles divided into sections.
    const seeder = await target.writer()
    await seeder.synced()
    const fragment = seeder.doc.getXmlFragment('default')
    const agreement = benchAgreement(pages, { flat: options.flat })
    seeder.doc.transact(() => fragment.insert(fragment.length, agreement.articles))
    await seeder.saved()
    seeder.destroy()
    log(`seeded ${pages} pages`)

    const suggest = options.suggest ?? false
    if (suggest) {
      await circulate(target.baseUrl)
      log('circulated Single Text 1')
    }
    const context = suggest
      ? await accountContext(browser, target, 'labor.member@demo.test')
      : await mediatorContext(browser, target)
    const page = await context.newPage()
    await page.goto(`${target.baseUrl}/negotiations/lmp-1997${suggest ? '/suggest' : ''}`)
    const editor = page.getByRole('textbox', {
      name: suggest ? /^Suggestions of / : 'Working draft',
    })
    await editor.waitFor({ timeout: 60_000 })
    if (process.env.BENCH_EXTRA_CSS)
      await page.addStyleTag({ content: process.env.BENCH_EXTRA_CSS })
    await page.waitForFunction(
      () => document.querySelector('.save-status')?.textContent === 'All changes saved',
      null,
      { timeout: 60_000 },
    )
    let colleague: Promise<KeystrokeSamples | null> = Promise.resolve(null)
    let colleagueProfile: CpuProfile | undefined
    let nodeColleague: NodeColleague | undefined
    if (suggest) {
      await suggestChanges(page, SUGGEST_CHANGES)
      log(`suggested ${SUGGEST_CHANGES} changes`)
    }
    const withColleague = suggest || (options.colleague ?? false)
    const colleagueIn = withColleague ? (options.colleagueIn ?? 'browser') : null
    // A colleague (of the party, or a second mediator's session) types in another article
    // meanwhile, one keystroke every 250 ms.
    const colleagueAccount = suggest ? 'labor.lead@demo.test' : 'mediator@demo.test'
    const colleagueParagraph = Math.floor(agreement.paragraphs * 0.25)
    const colleagueTyped = Math.ceil((keystrokes * 60) / 250)
    if (colleagueIn === 'browser') {
      const other = await (await accountContext(browser, target, colleagueAccount)).newPage()
      await other.goto(`${target.baseUrl}/negotiations/lmp-1997${suggest ? '/suggest' : ''}`)
      const otherEditor = other.getByRole('textbox', {
        name: suggest ? /^Suggestions of / : 'Working draft',
      })
      await otherEditor.waitFor({ timeout: 60_000 })
      await otherEditor.locator('p').nth(colleagueParagraph).click()
      if (options.colleagueCpuProfileFile)
        colleagueProfile = await startCpuProfile(other, options.colleagueCpuProfileFile)
      await installKeystrokeProbe(other)
      colleague = other.keyboard
        .type('y'.repeat(colleagueTyped), { delay: 250 })
        .then(() => readSamples(other, colleagueTyped))
    } else if (colleagueIn === 'node') {
      const docName = suggest
        ? formatDocumentName({
            negotiationId: 'lmp-1997',
            kind: 'suggest',
            partyId: 'labor',
            iteration: 1,
          })
        : DEMO_DRAFT
      const token = await login(target.baseUrl, colleagueAccount)
      nodeColleague = await connectNodeColleague(target.baseUrl, token, docName, colleagueParagraph)
      colleague = nodeColleague.type('y', colleagueTyped, 250).then(() => null)
    }
    await installKeystrokeProbe(page)
    await editor
      .locator('p')
      .nth(Math.floor(agreement.paragraphs * 0.5))
      .click()
    if (process.env.BENCH_LAYER_COUNT === '1') log(await paintLayerCount(page))
    if (options.traceFile) {
      await browser.startTracing(page, {
        path: options.traceFile,
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          ...(process.env.BENCH_TRACE_JS === '0' ? [] : ['disabled-by-default-v8.cpu_profiler']),
          // The JS stack that forced each style recalculation and layout.
          ...(process.env.BENCH_TRACE_STACKS === '1'
            ? ['disabled-by-default-devtools.timeline.stack']
            : []),
          // Why each paint and layout was needed (which node, what changed).
          ...(process.env.BENCH_TRACE_INVALIDATIONS === '1'
            ? ['disabled-by-default-devtools.timeline.invalidationTracking']
            : []),
          'v8.execute',
          'blink',
        ],
      })
    }
    const profile = options.cpuProfileFile
      ? await startCpuProfile(page, options.cpuProfileFile)
      : undefined
    // A diagnostic: with the server paused, nothing it does while the page types (its disk writes,
    // the acknowledgements) competes with the page; the edits are still sent and the page does not
    // wait for them.
    const pauseServer = process.env.BENCH_PAUSE_SERVER === '1'
    if (pauseServer) process.kill(target.pid, 'SIGSTOP')
    const serverCpuBefore = cpuSeconds(target.pid)
    const threadsBefore = threadCpuSeconds(target.pid)
    let measured: KeystrokeSamples
    try {
      measured = await typeAndMeasure(page, keystrokes)
    } finally {
      if (pauseServer) process.kill(target.pid, 'SIGCONT')
    }
    const colleagueSamples = await colleague
    nodeColleague?.close()
    const { samples, remote, remoteChanges } = measured
    const serverCpuMs = (cpuSeconds(target.pid) - serverCpuBefore) * 1000
    if (process.env.BENCH_SERVER_THREADS === '1') {
      // Where the server's CPU went, thread by thread.
      for (const line of threadCpuLines(target.pid, threadsBefore, keystrokes, 'a keystroke')) {
        log(line)
      }
    }
    for (const running of [profile, colleagueProfile])
      if (running) log(`CPU profile written to ${await running.stop()}`)
    if (options.traceFile) {
      await browser.stopTracing()
      log(`trace written to ${options.traceFile}`)
    }
    return {
      pages,
      flat: options.flat ?? false,
      suggest,
      colleague: withColleague,
      colleagueIn,
      keystrokes: samples.length,
      p50Ms: round(percentile(samples, 50), 2),
      p95Ms: round(percentile(samples, 95), 2),
      maxMs: round(Math.max(...samples), 2),
      withRemote: summary(samples.filter((_, index) => remote[index])),
      alone: summary(samples.filter((_, index) => !remote[index])),
      remoteChanges,
      colleagueKeystrokes: colleagueSamples ? summary(colleagueSamples.samples) : null,
      serverCpuMsPerKeystroke: round(serverCpuMs / samples.length, 2),
    }
  } finally {
    await browser.close()
    await target.stop()
  }
}

/** A V8 CPU profile being taken of a page's JS. */
interface CpuProfile {
  /** Stops it, writes it to its file, and returns the file's name. */
  stop(): Promise<string>
}

/** Starts a V8 CPU profile (sampled every 100 us) of `page`'s JS, to be written to `file`. */
async function startCpuProfile(page: Page, file: string): Promise<CpuProfile> {
  const session = await page.context().newCDPSession(page)
  await session.send('Profiler.enable')
  await session.send('Profiler.setSamplingInterval', { interval: 100 })
  await session.send('Profiler.start')
  return {
    async stop() {
      const { profile } = await session.send('Profiler.stop')
      fs.writeFileSync(file, JSON.stringify(profile))
      return file
    },
  }
}

/** Changes a party's copy holds before the member types (`suggest`). */
export const SUGGEST_CHANGES = 300

/** Circulates the working draft as Single Text 1 (as the mediator). */
async function circulate(url: string): Promise<void> {
  const token = await login(url, 'mediator@demo.test')
  const response = await fetch(`${url}/api/negotiations/lmp-1997/iterations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ note: 'Benchmark' }),
  })
  if (!response.ok) throw new Error(`circulating: ${response.status} ${await response.text()}`)
}

/**
 * Makes `count` changes in the copy open in `page`, spread evenly over its paragraphs (a word
 * inserted at the start of each), through the editor, and waits until they are saved.
 */
async function suggestChanges(page: Page, count: number): Promise<void> {
  await page.evaluate((changes) => {
    interface BenchEditor {
      state: {
        doc: {
          descendants(
            visit: (node: { type: { name: string } }, pos: number) => boolean | undefined,
          ): void
        }
        tr: { insertText(text: string, at: number): unknown }
      }
      view: { dispatch(tr: unknown): void }
    }
    const editor = (document.querySelector('.ProseMirror') as Element & { editor: BenchEditor })
      .editor
    const starts: number[] = []
    editor.state.doc.descendants((node, pos) => {
      if (node.type.name === 'paragraph') starts.push(pos + 1)
      return undefined
    })
    const step = Math.max(1, Math.floor(starts.length / changes))
    const chosen = starts.filter((_, index) => index % step === 0).slice(0, changes)
    const tr = editor.state.tr
    // From the end, so that earlier positions stay where they are.
    for (const at of chosen.reverse()) tr.insertText('suggested ', at)
    editor.view.dispatch(tr)
  }, count)
  await page.waitForFunction(
    () => document.querySelector('.save-status')?.textContent === 'All changes saved',
    null,
    { timeout: 60_000 },
  )
}

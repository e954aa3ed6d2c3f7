/**
 * Keystroke-to-paint latency in the editor on a 150-page agreement, in headless Chromium (Debian's,
 * through playwright-core): from a keydown event to the end of the frame that paints it, measured
 * in the page, while typing at a person's pace.
 */

import fs from 'node:fs'
import { benchAgreement } from './benchText'
import { launchChromium, mediatorContext } from './browser'
import { installKeystrokeProbe, typeAndMeasure } from './keystrokeProbe'
import { cpuSeconds, threadCpuLines, threadCpuSeconds } from './serverMetrics'
import { percentile, round } from './stats'
import { OneTextTarget } from './targets/onetextTarget'

/** What the run measured; the JSON object the command prints last. */
export interface KeystrokeResult {
  pages: number
  keystrokes: number
  /** True when each article held its paragraphs itself, without sections. */
  flat: boolean
  p50Ms: number
  p95Ms: number
  maxMs: number
  /**
   * CPU time of the server process (every thread, user and system) while the page typed, per
   * keystroke: what the server's answer to each keystroke costs the machine the browser shares.
   */
  serverCpuMsPerKeystroke: number
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
    /** Also writes a Chrome trace (DevTools timeline and JS samples) of the typing to this file. */
    traceFile?: string
    /** Also writes a V8 CPU profile (`.cpuprofile`, for DevTools) of the page's JS while typing. */
    cpuProfileFile?: string
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

    const context = await mediatorContext(browser, target)
    const page = await context.newPage()
    await page.goto(`${target.baseUrl}/negotiations/lmp-1997`)
    const editor = page.getByRole('textbox', { name: 'Working draft' })
    await editor.waitFor({ timeout: 60_000 })
    if (process.env.BENCH_EXTRA_CSS)
      await page.addStyleTag({ content: process.env.BENCH_EXTRA_CSS })
    await page.waitForFunction(
      () => document.querySelector('.save-status')?.textContent === 'All changes saved',
      null,
      { timeout: 60_000 },
    )
    await installKeystrokeProbe(page)
    await editor
      .locator('p')
      .nth(Math.floor(agreement.paragraphs * 0.5))
      .click()
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
          'v8.execute',
          'blink',
        ],
      })
    }
    const profiler = options.cpuProfileFile ? await context.newCDPSession(page) : undefined
    if (profiler) {
      await profiler.send('Profiler.enable')
      await profiler.send('Profiler.setSamplingInterval', { interval: 100 })
      await profiler.send('Profiler.start')
    }
    // A diagnostic: with the server paused, nothing it does while the page types (its disk writes,
    // the acknowledgements) competes with the page; the edits are still sent and the page does not
    // wait for them.
    const pauseServer = process.env.BENCH_PAUSE_SERVER === '1'
    if (pauseServer) process.kill(target.pid, 'SIGSTOP')
    const serverCpuBefore = cpuSeconds(target.pid)
    const threadsBefore = threadCpuSeconds(target.pid)
    let samples: number[]
    try {
      samples = await typeAndMeasure(page, keystrokes)
    } finally {
      if (pauseServer) process.kill(target.pid, 'SIGCONT')
    }
    const serverCpuMs = (cpuSeconds(target.pid) - serverCpuBefore) * 1000
    if (process.env.BENCH_SERVER_THREADS === '1') {
      // Where the server's CPU went, thread by thread.
      for (const line of threadCpuLines(target.pid, threadsBefore, keystrokes, 'a keystroke')) {
        log(line)
      }
    }
    if (profiler && options.cpuProfileFile) {
      const { profile } = await profiler.send('Profiler.stop')
      fs.writeFileSync(options.cpuProfileFile, JSON.stringify(profile))
      log(`CPU profile written to ${options.cpuProfileFile}`)
    }
    if (options.traceFile) {
      await browser.stopTracing()
      log(`trace written to ${options.traceFile}`)
    }
    return {
      pages,
      flat: options.flat ?? false,
      keystrokes: samples.length,
      p50Ms: round(percentile(samples, 50), 2),
      p95Ms: round(percentile(samples, 95), 2),
      maxMs: round(Math.max(...samples), 2),
      serverCpuMsPerKeystroke: round(serverCpuMs / samples.length, 2),
    }
  } finally {
    await browser.close()
    await target.stop()
  }
}

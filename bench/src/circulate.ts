/**
 * Circulating while people type: the mediator circulates iterations of a 150-page working draft
 * while 40 typists write into it (each 4 keystrokes a second into a paragraph of its own). Reports
 * the server's event-loop delay (measured inside the server process) and how long keystrokes wait
 * for their acknowledgement (`persisted`: on disk), while typing alone and during circulations, and
 * how long a circulation takes.
 *
 * Circulating stores a multi-megabyte iteration (the draft's Yjs state, its JSON, clauses, HTML and
 * Markdown); what that costs the people typing is what this measures.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { benchAgreement } from './benchText'
import { type EventLoopDelay, eventLoopProbeEnv, readEventLoopDelay } from './eventLoopDelay'
import { connectTypist, type RawTypist } from './rawTypist'
import { spawnServer } from './serverProcess'
import { percentile, round } from './stats'
import { connect, DEMO_DRAFT, login, PASSWORD } from './targets/onetextTarget'

const NEGOTIATION = 'lmp-1997'

/** Event-loop delay and acknowledgement latency over one phase of the run. */
export interface PhaseFigures {
  loopMaxMs: number
  loopP99Ms: number
  keystrokes: number
  ackP50Ms: number
  ackP99Ms: number
  ackMaxMs: number
}

/** What the run measured; the JSON object the command prints last. */
export interface CirculateResult {
  pages: number
  typists: number
  keystrokesPerSecond: number
  circulations: number
  circulateP50Ms: number
  typing: PhaseFigures
  circulating: PhaseFigures
}

/**
 * Appends `pages` pages (articles of three sections, as {@link benchAgreement} builds them) to the
 * draft's rich text; returns how many paragraphs it added.
 */
function appendPages(doc: Y.Doc, pages: number): number {
  const agreement = benchAgreement(pages)
  const fragment = doc.getXmlFragment('default')
  doc.transact(() => fragment.insert(fragment.length, agreement.articles))
  return agreement.paragraphs
}

/** Resolves after `ms` (pacing phases of the run, not synchronising with the server). */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs the benchmark. */
export async function circulateWhileTyping(
  options: {
    pages?: number
    typists?: number
    rate?: number
    circulations?: number
    /** Typing before measuring, and typing alone measured, in ms (defaults 2000 and 5000). */
    warmupMs?: number
    typingMs?: number
    log?: (line: string) => void
  } = {},
): Promise<CirculateResult> {
  const log = options.log ?? (() => {})
  const pages = options.pages ?? 150
  const typistCount = options.typists ?? 40
  const rate = options.rate ?? 4
  const circulations = options.circulations ?? 5
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-circulate-'))
  const server = await spawnServer(dataDir, PASSWORD, eventLoopProbeEnv())
  const typists: RawTypist[] = []
  try {
    const token = await login(server.url, 'mediator@demo.test')
    const seeder = connect(server.url, token, DEMO_DRAFT)
    await seeder.synced()
    const before = seeder.doc.getXmlFragment('default').length
    const added = appendPages(seeder.doc, pages)
    await seeder.saved()
    const state = Y.encodeStateAsUpdate(seeder.doc)
    seeder.destroy()
    log(
      `working draft: the demo's ${before} top-level nodes and ${pages} pages (${state.byteLength} bytes)`,
    )

    // Keystroke k of typist t was sent at sentAt[t][k - 1]; its acknowledgement came ackMs later.
    const sentAt: number[][] = []
    const ackMs: number[][] = []
    for (let index = 0; index < typistCount; index++) {
      const sent: number[] = []
      const latencies: number[] = []
      sentAt.push(sent)
      ackMs.push(latencies)
      // Spread over the added pages: the demo's own text comes first.
      const paragraph = Math.floor(((index + 0.5) * added) / typistCount)
      typists.push(
        await connectTypist(server.url, token, DEMO_DRAFT, state, paragraph, (upTo, at) => {
          for (let k = latencies.length; k < upTo; k++) latencies.push(at - (sent[k] as number))
        }),
      )
    }
    log(`${typistCount} typists connected`)

    // One keystroke every 1000 / (typists * rate) ms, round robin: each typist types `rate` a second.
    let turn = 0
    const keystroke = () => {
      const index = turn++ % typistCount
      ;(sentAt[index] as number[]).push(performance.now())
      ;(typists[index] as RawTypist).type()
    }
    const timer = setInterval(keystroke, 1000 / (typistCount * rate))
    const windows: Array<{ from: number; to: number; loop: EventLoopDelay }> = []
    const circulating: Array<{ from: number; to: number; loop: EventLoopDelay }> = []
    const circulateMs: number[] = []
    try {
      await pause(options.warmupMs ?? 2000)
      await readEventLoopDelay(server)
      let from = performance.now()
      await pause(options.typingMs ?? 5000)
      windows.push({ from, to: performance.now(), loop: await readEventLoopDelay(server) })
      for (let index = 0; index < circulations; index++) {
        await pause(1000)
        await readEventLoopDelay(server)
        from = performance.now()
        const circulated = fetch(`${server.url}/api/negotiations/${NEGOTIATION}/iterations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ note: `Iteration ${index + 1} of the benchmark` }),
        })
        // A keystroke sent as the circulation is under way, so that every window has one however
        // short the circulation (a small draft circulates between two timer ticks).
        keystroke()
        const response = await circulated
        const to = performance.now()
        if (response.status !== 201)
          throw new Error(`circulating failed: ${response.status} ${await response.text()}`)
        circulateMs.push(to - from)
        // The window ends once what the circulation held up has been acknowledged.
        await pause(500)
        circulating.push({ from, to, loop: await readEventLoopDelay(server) })
        log(`circulated iteration ${index + 1} in ${Math.round(to - from)} ms`)
      }
    } finally {
      clearInterval(timer)
    }
    await untilAcked(typists, sentAt)
    return {
      pages,
      typists: typistCount,
      keystrokesPerSecond: typistCount * rate,
      circulations,
      circulateP50Ms: round(percentile(circulateMs, 50), 1),
      typing: phaseFigures(windows, sentAt, ackMs),
      circulating: phaseFigures(circulating, sentAt, ackMs),
    }
  } finally {
    for (const typist of typists) typist.close()
    server.child.kill('SIGTERM')
    await server.exited
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Waits (at most 30 s) until every keystroke sent has been acknowledged. */
async function untilAcked(typists: readonly RawTypist[], sentAt: readonly number[][]) {
  const deadline = performance.now() + 30_000
  while (typists.some((typist, index) => typist.acked < (sentAt[index]?.length ?? 0))) {
    if (performance.now() > deadline) throw new Error('keystrokes were never acknowledged')
    await pause(50)
  }
}

/** The figures of keystrokes sent inside `windows` and the worst event-loop delay of those windows. */
function phaseFigures(
  windows: ReadonlyArray<{ from: number; to: number; loop: EventLoopDelay }>,
  sentAt: readonly number[][],
  ackMs: readonly number[][],
): PhaseFigures {
  const latencies: number[] = []
  sentAt.forEach((sent, typist) => {
    sent.forEach((at, k) => {
      if (windows.some((window) => at >= window.from && at <= window.to))
        latencies.push(ackMs[typist]?.[k] ?? Number.NaN)
    })
  })
  return {
    loopMaxMs: Math.max(...windows.map((window) => window.loop.maxMs)),
    loopP99Ms: Math.max(...windows.map((window) => window.loop.p99Ms)),
    keystrokes: latencies.length,
    ackP50Ms: round(percentile(latencies, 50), 1),
    ackP99Ms: round(percentile(latencies, 99), 1),
    ackMaxMs: round(percentile(latencies, 100), 1),
  }
}

/**
 * Circulating while people type: the mediator circulates iterations of a 150-page working draft
 * while 40 typists write into it (each 4 keystrokes a second into a paragraph of its own). Reports
 * the server's event-loop delay (measured inside the server process) and how long keystrokes wait
 * for their acknowledgement (`persisted`: on disk), while typing alone and during circulations, and
 * how long a circulation takes.
 *
 * Circulating stores a multi-megabyte iteration (the draft's Yjs state, its JSON, clauses, HTML and
 * Markdown); what that costs the people typing is what this measures.
 *
 * With `suggestions` (K > 0) the draft is first circulated as Single Text 1, each party's member
 * writes K changes into the party's copy of it and the lead shares about half of them
 * (benchSuggestions.ts); each measured circulation then carries the shared changes forward in its
 * status commit, and right after it the members open their copies of the new iteration, which
 * seeds them with the drafts that carry. The circulating windows include those openings; the
 * server's log says how long each carry took.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { type BenchParty, openCopy, seedSuggestions } from './benchSuggestions'
import { benchAgreement } from './benchText'
import { type EventLoopDelay, eventLoopProbeEnv, readEventLoopDelay } from './eventLoopDelay'
import { connectTypist, type RawTypist } from './rawTypist'
import type { ReplayClient } from './replayEngine'
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

/** What carrying suggestions forward cost, from the server's log (medians over circulations). */
export interface CarryFigures {
  /** Draft changes each party wrote into its copy before the first measured circulation. */
  changesPerParty: number
  parties: number
  clausesWithChanges: number
  clausesShared: number
  /** Shared changes carried and outdated at the last circulation. */
  sharedCarried: number
  sharedOutdated: number
  /** Carrying the shared changes at a circulation: the server's working time, and in all. */
  sharedCarryWorkP50Ms: number
  sharedCarryP50Ms: number
  /** Stretches the shared carry was worked in (1: all at once). */
  sharedCarrySlices: number
  /**
   * Seeding one party's new copy with its drafts (reading copy N's changes, replaying them): the
   * server's working time (median and worst), and in all.
   */
  draftCarryWorkP50Ms: number
  draftCarryWorkMaxMs: number
  draftCarryP50Ms: number
  /** Stretches one party's draft carry was worked in (median). */
  draftCarrySlices: number
  /** Draft changes carried into one party's new copy at the last circulation. */
  draftsCarried: number
  /** From circulated to both parties' new copies open and synced. */
  copiesOpenP50Ms: number
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
  /** With `suggestions` only. */
  carry?: CarryFigures
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
    /** Draft changes each party writes before the measured circulations (default 0: none). */
    suggestions?: number
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
    const suggestions = options.suggestions ?? 0
    let seeded: Awaited<ReturnType<typeof seedSuggestions>> | null = null
    if (suggestions > 0) {
      const first = await circulate(server.url, token, 'Single Text 1 of the benchmark')
      seeded = await seedSuggestions(server.url, NEGOTIATION, first, suggestions)
      log(
        `${seeded.parties.length} parties wrote ${suggestions} changes each into their copies of Single Text ${first} (${seeded.clausesWithChanges} clauses), shared ${seeded.clausesShared} clauses`,
      )
    }
    let copies: ReplayClient[] = []
    const copiesOpenMs: number[] = []

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
        const circulated = circulate(server.url, token, `Iteration ${index + 1} of the benchmark`)
        // A keystroke sent as the circulation is under way, so that every window has one however
        // short the circulation (a small draft circulates between two timer ticks).
        keystroke()
        const number = await circulated
        let to = performance.now()
        circulateMs.push(to - from)
        if (seeded) {
          // The members' suggesting views move to the new iteration's copies.
          const opened = await Promise.all(
            seeded.parties.map((party: BenchParty) =>
              openCopy(server.url, NEGOTIATION, party, number),
            ),
          )
          for (const copy of copies) copy.destroy()
          copies = opened
          const open = performance.now()
          copiesOpenMs.push(open - to)
          to = open
        }
        // The window ends once what the circulation held up has been acknowledged.
        await pause(500)
        const loop = await readEventLoopDelay(server)
        circulating.push({ from, to, loop })
        log(
          `circulated iteration ${index + 1} in ${Math.round(circulateMs[index] as number)} ms${seeded ? `, copies open ${Math.round(to - from)} ms after it started` : ''}; event loop worst ${Math.round(loop.maxMs)} ms`,
        )
      }
    } finally {
      clearInterval(timer)
      for (const copy of copies) copy.destroy()
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
      ...(seeded
        ? { carry: carryFigures(server.output(), seeded, copiesOpenMs, circulations) }
        : {}),
    }
  } finally {
    for (const typist of typists) typist.close()
    server.child.kill('SIGTERM')
    await server.exited
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Circulates the working draft as the mediator; resolves with the new iteration's number. */
async function circulate(url: string, token: string, note: string): Promise<number> {
  const response = await fetch(`${url}/api/negotiations/${NEGOTIATION}/iterations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ note }),
  })
  if (response.status !== 201)
    throw new Error(`circulating failed: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { number: number }).number
}

/**
 * The carry figures from the server's log lines (IterationService: "carried shared suggestions
 * … in T ms"; SuggestionCopies: "seeded <copy> with drafts … in T ms").
 */
function carryFigures(
  output: string,
  seeded: Awaited<ReturnType<typeof seedSuggestions>>,
  copiesOpenMs: readonly number[],
  circulations: number,
): CarryFigures {
  const work = String.raw`([\d.]+) ms of work in (\d+) slices[^,]*, ([\d.]+) ms in all`
  const shared = [
    ...output.matchAll(
      new RegExp(
        String.raw`carried shared suggestions of \S+ onto Single Text \d+: (\d+) changes carried, (\d+) outdated; ${work}`,
        'g',
      ),
    ),
  ]
  const drafts = [
    ...output.matchAll(
      new RegExp(
        String.raw`seeded \S+ with drafts of Single Text \d+: (\d+) changes carried, \d+ not; ${work}`,
        'g',
      ),
    ),
  ]
  if (shared.length !== circulations)
    throw new Error(`the server logged ${shared.length} carries of shared suggestions`)
  const last = shared.at(-1) as RegExpMatchArray
  const figure = (matches: RegExpMatchArray[], group: number, p = 50) =>
    round(
      percentile(
        matches.map((match) => Number(match[group])),
        p,
      ),
      1,
    )
  return {
    changesPerParty: seeded.changesPerParty,
    parties: seeded.parties.length,
    clausesWithChanges: seeded.clausesWithChanges,
    clausesShared: seeded.clausesShared,
    sharedCarried: Number(last[1]),
    sharedOutdated: Number(last[2]),
    sharedCarryWorkP50Ms: figure(shared, 3),
    sharedCarryP50Ms: figure(shared, 5),
    sharedCarrySlices: figure(shared, 4),
    draftCarryWorkP50Ms: figure(drafts, 2),
    draftCarryWorkMaxMs: figure(drafts, 2, 100),
    draftCarryP50Ms: figure(drafts, 4),
    draftCarrySlices: figure(drafts, 3),
    draftsCarried: Number(drafts.at(-1)?.[1] ?? 0),
    copiesOpenP50Ms: round(percentile(copiesOpenMs, 50), 1),
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

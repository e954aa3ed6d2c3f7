/**
 * Fan-out: one mediator typing at 10 keystrokes a second into a 150-page single text while table
 * members and observers are connected. Reports delivery latency (from a keystroke being applied at
 * the mediator to every other client having applied it), the server's CPU and memory.
 *
 * Observers (local tables) cannot open live documents in OneText; the 200 "observers" here are
 * further read-only connections to the working draft, which costs the server the same.
 *
 * The text is one paragraph the mediator appends to the draft's rich text. Each keystroke inserts
 * one character, so it advances the mediator's clock by one: keystroke k is the one that takes the
 * mediator's client ID to `startClock + k + 1`, where `startClock` is its clock before the first.
 * A reader knows which keystrokes it has from that clock in its state vector.
 *
 * Readers are `frames` by default: plain sockets that timestamp each update frame as it arrives
 * (delivery, what the server controls; the keystrokes a frame carries are read from its structs),
 * and at the end must all hold the same frames, which with the state one of them synced must
 * rebuild the writer's paragraph. With `docs` every reader is a full y-websocket client applying
 * every keystroke to its own Y.Doc, in this one process (or in `workers` child processes).
 */

import { type ChildProcess, fork } from 'node:child_process'
import path from 'node:path'
import * as Y from 'yjs'
import { connectFrameReader, type FrameReader } from './frameReader'
import type { ReplayClient } from './replayEngine'
import { appendParagraph, paragraphTextBy, plainText } from './richText'
import { cpuSeconds, serverMetrics } from './serverMetrics'
import { percentile, round } from './stats'
import { OneTextTarget } from './targets/onetextTarget'

/** Characters on a page of contract text. */
const PAGE_CHARACTERS = 3_000

/** What the fan-out run measured; the JSON object the command prints last. */
export interface FanoutResult {
  clients: number
  /** `frames`: delivery to lightweight sockets; `docs`: applied by full Yjs clients. */
  readers: 'frames' | 'docs'
  keystrokes: number
  pages: number
  p50Ms: number
  p99Ms: number
  serverCpuPercent: number
  serverRssMB: number
}

/**
 * Runs the fan-out benchmark with `clients` read-only connections: frame readers by default, full
 * Yjs clients with `readers: 'docs'` (in `workers` child processes when > 0).
 */
export async function fanout(options: {
  clients: number
  readers?: 'frames' | 'docs'
  workers?: number
  keystrokes?: number
  rate?: number
  pages?: number
  /** Server processes; with more than 1 behind nginx (see OneTextTarget). Default 1. */
  servers?: number
  log?: (line: string) => void
}): Promise<FanoutResult> {
  const log = options.log ?? (() => {})
  const keystrokes = options.keystrokes ?? 200
  const rate = options.rate ?? 10
  const pages = options.pages ?? 150
  const target = new OneTextTarget({ negotiation: 'fresh', servers: options.servers ?? 1 })
  await target.start()
  const workers = options.workers ?? 0
  const mode = workers > 0 ? 'docs' : (options.readers ?? 'frames')
  const readers: ReplayClient[] = []
  const frameReaders: FrameReader[] = []
  let writer: ReplayClient | null = null
  const children: ChildProcess[] = []
  try {
    writer = await target.writer()
    await writer.synced()
    const paragraph =
      'The parties will jointly select a third-party consultant to assist the Partnership. '
    const body = paragraph
      .repeat(Math.ceil((pages * PAGE_CHARACTERS) / paragraph.length))
      .slice(0, pages * PAGE_CHARACTERS)
    const text = appendParagraph(writer.doc, body)
    await writer.saved()
    log(`text of ${pages} pages (${body.length} characters) stored`)
    // Keystroke k takes the writer's clock to startClock + k + 1 (see the module comment).
    const writerClient = writer.doc.clientID
    const startClock = Y.getState(writer.doc.store, writerClient)
    const keystrokeAt = (clock: number) => Math.min(clock - startClock - 1, keystrokes - 1)

    for (let index = 0; mode === 'docs' && workers === 0 && index < options.clients; index += 20) {
      const batch: ReplayClient[] = []
      for (let offset = 0; offset < 20 && index + offset < options.clients; offset++)
        batch.push(await target.observer())
      await Promise.all(batch.map((client) => client.synced()))
      readers.push(...batch)
    }
    const epoch = () => performance.timeOrigin + performance.now()
    const sentAt = new Float64Array(keystrokes)
    const seen = new Uint16Array(keystrokes)
    const latency = new Float64Array(keystrokes)
    let delivered = 0
    let allDelivered: () => void = () => {}
    const done = new Promise<void>((resolve) => {
      allDelivered = resolve
    })
    if (workers > 0) {
      // Readers in child processes, each reporting when all of its readers have a keystroke.
      const perWorker = Math.ceil(options.clients / workers)
      const reports = new Uint16Array(keystrokes)
      const ready: Array<Promise<void>> = []
      for (let index = 0; index < workers; index++) {
        const count = Math.min(perWorker, options.clients - index * perWorker)
        if (count <= 0) break
        const child = fork(
          path.join(import.meta.dirname, 'fanoutWorker.ts'),
          [
            target.baseUrl,
            target.observerToken(),
            String(count),
            target.document,
            String(writerClient),
            String(startClock),
          ],
          {
            execArgv: ['--import', 'tsx'],
            stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
          },
        )
        children.push(child)
        ready.push(
          new Promise((resolve) => {
            child.on('message', (message: { ready?: boolean; k?: number; at?: number }) => {
              if (message.ready) resolve()
              if (message.k === undefined || message.at === undefined) return
              const k = message.k
              latency[k] = Math.max(latency[k] as number, message.at - (sentAt[k] as number))
              reports[k] = (reports[k] as number) + 1
              if (reports[k] === children.length && ++delivered === keystrokes) allDelivered()
            })
          }),
        )
      }
      await Promise.all(ready)
    }
    // A frame may carry several keystrokes (the server relays what it read in one go as one
    // update): each reader counts every keystroke up to the highest one a frame carries. Every
    // reader gets the same frames in the same order (checked at the end), so each frame is
    // decoded once, by the first reader to get it, not once per reader.
    const keystrokeOfFrame: number[] = []
    const frameCounter = () => {
      let last = -1
      let frames = 0
      return (update: Uint8Array, at: number) => {
        const index = frames++
        keystrokeOfFrame[index] ??= keystrokeAt(clockIn(update, writerClient, startClock))
        const current = keystrokeOfFrame[index] as number
        for (let k = last + 1; k <= current; k++) {
          latency[k] = Math.max(latency[k] as number, at - (sentAt[k] as number))
          seen[k] = (seen[k] as number) + 1
          if (seen[k] === options.clients && ++delivered === keystrokes) allDelivered()
        }
        last = Math.max(last, current)
      }
    }
    // The first reader fetches the whole text; the others hold a copy of it, as cached clients do.
    let cachedVector: Uint8Array | undefined
    for (let index = 0; mode === 'frames' && index < options.clients; index += 50) {
      const batch: Array<Promise<FrameReader>> = []
      for (let offset = 0; offset < 50 && index + offset < options.clients; offset++) {
        const first = index + offset === 0
        const reader = connectFrameReader(target.baseUrl, target.observerToken(), target.document, {
          ...(cachedVector ? { stateVector: cachedVector } : {}),
          onUpdate: frameCounter(),
        })
        if (first) {
          const state = (await reader).state()
          if (state) cachedVector = Y.encodeStateVectorFromUpdate(state)
        }
        batch.push(reader)
      }
      frameReaders.push(...(await Promise.all(batch)))
    }
    log(
      `${options.clients} read-only clients (${mode}) connected and synced${workers > 0 ? ` in ${children.length} processes` : ''}`,
    )

    for (const reader of readers) {
      let last = -1
      reader.doc.on('update', () => {
        const current = keystrokeAt(Y.getState(reader.doc.store, writerClient))
        if (current <= last) return
        const now = epoch()
        for (let k = last + 1; k <= current; k++) {
          latency[k] = Math.max(latency[k] as number, now - (sentAt[k] as number))
          seen[k] = (seen[k] as number) + 1
          if (seen[k] === readers.length && ++delivered === keystrokes) allDelivered()
        }
        last = current
      })
    }

    const cpuBefore = cpuSeconds(target.pid)
    const started = performance.now()
    await new Promise<void>((resolve) => {
      let k = 0
      // Pacing a typist, not synchronising a test: one keystroke every 1000/rate ms.
      const timer = setInterval(() => {
        sentAt[k] = epoch()
        text.insert(Math.floor(text.length / 2), 'x')
        k++
        if (k === keystrokes) {
          clearInterval(timer)
          resolve()
        }
      }, 1000 / rate)
    })
    if (options.clients === 0) allDelivered()
    await done
    const wall = (performance.now() - started) / 1000
    const cpu = cpuSeconds(target.pid) - cpuBefore
    if (frameReaders.length > 0) checkFrames(frameReaders, writerClient, plainText(text))
    const metrics = await serverMetrics(target.serverUrl)
    return {
      clients: options.clients,
      readers: mode,
      keystrokes,
      pages,
      p50Ms: round(percentile(latency, 50), 2),
      p99Ms: round(percentile(latency, 99), 2),
      serverCpuPercent: round((cpu / wall) * 100, 1),
      serverRssMB: round(metrics.rssBytes / 1024 / 1024, 1),
    }
  } finally {
    for (const child of children) child.kill()
    for (const reader of readers) reader.destroy()
    for (const reader of frameReaders) reader.close()
    writer?.destroy()
    await target.stop()
  }
}

/**
 * The clock `client` reaches with `update` (the end of its last struct there), or `from` when the
 * update writes nothing under `client` past it.
 */
export function clockIn(update: Uint8Array, client: number, from: number): number {
  let clock = from
  for (const struct of Y.decodeUpdate(update).structs) {
    if (struct.id.client === client) clock = Math.max(clock, struct.id.clock + struct.length)
  }
  return clock
}

/**
 * Throws unless every frame reader received the same update frames and the first reader's synced
 * state plus those frames rebuild `expected` (the text of the paragraph `writerClient` added).
 */
export function checkFrames(
  readers: readonly FrameReader[],
  writerClient: number,
  expected: string,
): void {
  const first = readers[0] as FrameReader
  const same = (a: Uint8Array, b: Uint8Array) =>
    a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index])
  for (const reader of readers) {
    if (
      reader.updates.length !== first.updates.length ||
      !reader.updates.every((update, index) => same(update, first.updates[index] as Uint8Array))
    )
      throw new Error('fan-out: readers received different frames')
  }
  const doc = new Y.Doc()
  Y.applyUpdate(doc, first.state() ?? new Uint8Array([0, 0]))
  for (const update of first.updates) Y.applyUpdate(doc, update)
  const text = paragraphTextBy(doc, writerClient)
  if (!text || plainText(text) !== expected)
    throw new Error("fan-out: the delivered frames do not rebuild the writer's text")
}

/** A self-contained SVG line chart of p50 and p99 latency against connected clients. */
export function latencyChart(points: readonly FanoutResult[]): string {
  const width = 640
  const height = 360
  const margin = { left: 64, right: 24, top: 40, bottom: 56 }
  const maxX = Math.max(...points.map((point) => point.clients), 1)
  const maxY = Math.max(...points.map((point) => point.p99Ms), 1) * 1.15
  const x = (value: number) => margin.left + (value / maxX) * (width - margin.left - margin.right)
  const y = (value: number) =>
    height - margin.bottom - (value / maxY) * (height - margin.top - margin.bottom)
  const line = (key: 'p50Ms' | 'p99Ms') =>
    points.map((point) => `${x(point.clients).toFixed(1)},${y(point[key]).toFixed(1)}`).join(' ')
  const ticksY = Array.from({ length: 5 }, (_, index) => (maxY / 4) * index)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<title>p50 and p99 keystroke delivery latency against connected clients: ${points
      .map((point) => `${point.clients} clients ${point.p50Ms}/${point.p99Ms} ms`)
      .join('; ')}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">Keystroke delivery latency vs connected clients (10 keystrokes/s, ${points[0]?.pages ?? 150}-page text)</text>`,
    `<line x1="${margin.left}" y1="${height - margin.bottom}" x2="${width - margin.right}" y2="${height - margin.bottom}" stroke="black"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${height - margin.bottom}" stroke="black"/>`,
    ...ticksY.map(
      (tick) =>
        `<text x="${margin.left - 8}" y="${y(tick) + 4}" text-anchor="end">${tick.toFixed(1)}</text><line x1="${margin.left}" y1="${y(tick)}" x2="${width - margin.right}" y2="${y(tick)}" stroke="#ddd"/>`,
    ),
    ...points.map(
      (point) =>
        `<text x="${x(point.clients)}" y="${height - margin.bottom + 18}" text-anchor="middle">${point.clients}</text>`,
    ),
    `<text x="${width / 2}" y="${height - 14}" text-anchor="middle">connected read-only clients</text>`,
    `<text x="16" y="${height / 2}" transform="rotate(-90 16 ${height / 2})" text-anchor="middle">latency (ms)</text>`,
    `<polyline fill="none" stroke="#1d4ed8" stroke-width="2" points="${line('p50Ms')}"/>`,
    `<polyline fill="none" stroke="#b42318" stroke-width="2" points="${line('p99Ms')}"/>`,
    `<text x="${width - margin.right - 120}" y="${margin.top + 10}" fill="#1d4ed8">p50</text>`,
    `<text x="${width - margin.right - 120}" y="${margin.top + 28}" fill="#b42318">p99</text>`,
    '</svg>',
  ]
  return parts.join('\n')
}

/**
 * Fan-out capacity: K negotiations of the demo's size typed into at once on N server processes
 * behind nginx (tests/helpers/nginxCluster.ts, PostgreSQL and Redis; N may be 1), every client
 * connecting through nginx, so that consistent hashing spreads the negotiations over the processes.
 *
 * Each negotiation is started through the API from a 150-page Markdown text (benchMarkdown: an
 * article every five pages, three sections each), opened to drafting, and joined by a party member.
 * Its mediator (a full y-websocket client holding the whole text) appends one paragraph and types
 * into its middle at 10 keystrokes a second; its `clients` readers are frame readers (frameReader.ts)
 * signed in as the party member. The typists start spread over one keystroke's interval.
 *
 * A keystroke's latency is, as in fanout.ts, from the typist applying it to every reader of its
 * negotiation having received it; p50 and p99 are over every keystroke of every negotiation. Each
 * server process's CPU over the typing, and this process's (the load generator's), are reported,
 * with the negotiations each process owns (by its `/healthz`).
 */
import os from 'node:os'
import * as Y from 'yjs'
import { callApi } from '../../tests/helpers/api'
import { addDemoMember } from '../../tests/helpers/clusterClients'
import { type NginxCluster, startNginxCluster } from '../../tests/helpers/nginxCluster'
import { BENCH_PARAGRAPH, benchMarkdown } from './benchText'
import { checkFrames, clockIn } from './fanout'
import { connectFrameReader, type FrameReader } from './frameReader'
import type { ReplayClient } from './replayEngine'
import { appendParagraph, plainText } from './richText'
import { cpuSeconds, serverMetrics } from './serverMetrics'
import { percentile, round } from './stats'
import { connect, login, PASSWORD } from './targets/onetextTarget'

/** Read-only clients per negotiation unless told: a local table's worth. */
export const DEFAULT_READERS_PER_NEGOTIATION = 24
/** Negotiations started at once (each costs an import of the text and a password check). */
const SETUP_CONCURRENCY = 2
/** Frame readers connected at once. */
const CONNECT_BATCH = 50
/**
 * Longest wait, after the last keystroke, for every reader to have every keystroke; past it the
 * run fails, saying how many deliveries were missing.
 */
const DELIVERY_TIMEOUT_MS = 60_000
/** The party member whose sessions read every negotiation. */
const READER_EMAIL = 'labor.member@demo.test'

/** One server process's share of the run. */
export interface ProcessFigures {
  /** Its place in the cluster (0-based). */
  index: number
  /** The negotiations it owns. */
  negotiations: string[]
  /** Its CPU (user + system) over the typing, in percent of one core. */
  cpuPercent: number
  rssMB: number
}

/** What the capacity run measured; the JSON object the command prints last. */
export interface NegotiationsFanoutResult {
  negotiations: number
  processes: number
  /** Readers per negotiation. */
  clients: number
  /** Keystrokes each typist typed. */
  keystrokes: number
  pages: number
  /** Over every keystroke of every negotiation: delivered to all of its negotiation's readers. */
  p50Ms: number
  p99Ms: number
  /** The highest p99 of one negotiation. */
  worstNegotiationP99Ms: number
  servers: ProcessFigures[]
  /** This process's CPU over the typing (typists and readers), in percent of one core. */
  loadGeneratorCpuPercent: number
  /** The machine's 1-minute load average at the end of the typing. */
  loadAverage: number
}

/** A negotiation of the run, its typist, readers and per-keystroke figures. */
interface Room {
  id: string
  draft: string
  writer: ReplayClient
  text: Y.XmlText
  writerClient: number
  startClock: number
  readers: FrameReader[]
  sentAt: Float64Array
  seen: Uint16Array
  latency: Float64Array
}

/** Starts negotiation `title` from `markdown`, joins the reader to it and opens it to drafting. */
async function startBenchNegotiation(
  url: string,
  mediator: string,
  title: string,
  markdown: string,
): Promise<string> {
  const created = await callApi<{ id: string; parties: Array<{ id: string }> }>(
    url,
    'POST',
    '/api/negotiations',
    mediator,
    { title, parties: ['Union coalition', 'Management'], format: 'md', content: markdown },
  )
  if (created.status !== 201) throw new Error(`starting ${title}: ${created.status}`)
  const id = created.body.id
  await addDemoMember(url, mediator, id, READER_EMAIL, created.body.parties[0]?.id ?? '', PASSWORD)
  const settings = await callApi(url, 'PATCH', `/api/negotiations/${id}/settings`, mediator, {
    openDrafting: true,
  })
  if (settings.status !== 200) throw new Error(`opening ${id} to drafting: ${settings.status}`)
  return id
}

/**
 * Runs `negotiations` negotiations of `pages` pages (default 150) on `processes` server processes
 * behind nginx (default 3), each with one typist typing `keystrokes` keystrokes (default 200) at
 * `rate` a second (default 10) and `clients` frame readers (default
 * {@link DEFAULT_READERS_PER_NEGOTIATION}). Throws when a keystroke does not reach every reader
 * within {@link DELIVERY_TIMEOUT_MS} of the last, or readers' frames do not rebuild the text.
 */
export async function fanoutNegotiations(options: {
  negotiations: number
  processes?: number
  clients?: number
  keystrokes?: number
  rate?: number
  pages?: number
  log?: (line: string) => void
}): Promise<NegotiationsFanoutResult> {
  const log = options.log ?? (() => {})
  const count = options.negotiations
  const processes = options.processes ?? 3
  const clients = options.clients ?? DEFAULT_READERS_PER_NEGOTIATION
  const keystrokes = options.keystrokes ?? 200
  const rate = options.rate ?? 10
  const pages = options.pages ?? 150
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError('negotiations must be a whole number of at least 1')
  const since = (from: number) => `${round((performance.now() - from) / 1000, 1)} s`
  const setup = performance.now()
  const cluster: NginxCluster = await startNginxCluster({ processes, password: PASSWORD })
  log(`${processes} processes behind nginx started in ${since(setup)}`)
  const rooms: Room[] = []
  try {
    const url = cluster.url
    const creating = performance.now()
    const mediator = await login(url, 'mediator@demo.test')
    const markdown = benchMarkdown(pages)
    const ids: string[] = []
    let next = 0
    const starter = async () => {
      for (let index = next++; index < count; index = next++)
        ids[index] = await startBenchNegotiation(url, mediator, `Capacity ${index + 1}`, markdown)
    }
    await Promise.all(Array.from({ length: Math.min(SETUP_CONCURRENCY, count) }, starter))
    const reader = await login(url, READER_EMAIL)
    log(`${count} negotiations of ${pages} pages started through nginx in ${since(creating)}`)
    const joining = performance.now()

    let delivered = 0
    let allDelivered: () => void = () => {}
    const done = new Promise<void>((resolve) => {
      allDelivered = resolve
    })
    const epoch = () => performance.timeOrigin + performance.now()
    for (const id of ids) {
      const draft = `${id}.draft`
      const writer = connect(url, mediator, draft)
      await writer.synced()
      const text = appendParagraph(writer.doc, BENCH_PARAGRAPH)
      await writer.saved()
      const writerClient = writer.doc.clientID
      const room: Room = {
        id,
        draft,
        writer,
        text,
        writerClient,
        startClock: Y.getState(writer.doc.store, writerClient),
        readers: [],
        sentAt: new Float64Array(keystrokes),
        seen: new Uint16Array(keystrokes),
        latency: new Float64Array(keystrokes),
      }
      rooms.push(room)
      // Keystroke k takes the typist's clock to startClock + k + 1 (see fanout.ts). Every reader
      // gets the same frames in order (checked at the end), so each frame is decoded once.
      const keystrokeOfFrame: number[] = []
      const frameCounter = () => {
        let last = -1
        let frames = 0
        return (update: Uint8Array, at: number) => {
          const index = frames++
          keystrokeOfFrame[index] ??= Math.min(
            clockIn(update, writerClient, room.startClock) - room.startClock - 1,
            keystrokes - 1,
          )
          const current = keystrokeOfFrame[index] as number
          for (let k = last + 1; k <= current; k++) {
            room.latency[k] = Math.max(room.latency[k] as number, at - (room.sentAt[k] as number))
            room.seen[k] = (room.seen[k] as number) + 1
            if (room.seen[k] === clients && ++delivered === count * keystrokes) allDelivered()
          }
          last = Math.max(last, current)
        }
      }
      // The first reader fetches the whole text; the others hold a copy of it, as cached clients do.
      let cachedVector: Uint8Array | undefined
      for (let index = 0; index < clients; index += CONNECT_BATCH) {
        const batch: Array<Promise<FrameReader>> = []
        for (let offset = 0; offset < CONNECT_BATCH && index + offset < clients; offset++) {
          const connecting = connectFrameReader(url, reader, draft, {
            ...(cachedVector ? { stateVector: cachedVector } : {}),
            onUpdate: frameCounter(),
          })
          if (!cachedVector) {
            const state = (await connecting).state()
            if (state) cachedVector = Y.encodeStateVectorFromUpdate(state)
          }
          batch.push(connecting)
        }
        room.readers.push(...(await Promise.all(batch)))
      }
    }
    const owners = new Map<string, number>()
    for (const member of cluster.processes)
      for (const id of await cluster.owned(member.index)) owners.set(id, member.index)
    log(
      `typists and ${clients} readers each connected in ${since(joining)}; owners: ${ids.map((id) => owners.get(id)).join(' ')}`,
    )

    const cpuBefore = cluster.processes.map((member) => cpuSeconds(member.pid))
    const ownCpuBefore = process.cpuUsage()
    const started = performance.now()
    const interval = 1000 / rate
    // Pacing typists, not synchronising a test: each types every `interval` ms, their starts spread
    // over one interval.
    await Promise.all(
      rooms.map(
        (room, index) =>
          new Promise<void>((resolve) => {
            setTimeout(
              () => {
                let k = 0
                const timer = setInterval(() => {
                  room.sentAt[k] = epoch()
                  room.text.insert(Math.floor(room.text.length / 2), 'x')
                  if (++k === keystrokes) {
                    clearInterval(timer)
                    resolve()
                  }
                }, interval)
              },
              (index * interval) / rooms.length,
            )
          }),
      ),
    )
    if (clients === 0) allDelivered()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      done,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const missing = count * keystrokes - delivered
          reject(new Error(`fan-out: ${missing} keystrokes did not reach every reader in time`))
        }, DELIVERY_TIMEOUT_MS)
      }),
    ]).finally(() => clearTimeout(timer))
    const wall = (performance.now() - started) / 1000
    const ownCpu = process.cpuUsage(ownCpuBefore)
    const loadAverage = os.loadavg()[0] ?? Number.NaN
    const servers: ProcessFigures[] = []
    for (const member of cluster.processes) {
      const cpu = cpuSeconds(member.pid) - (cpuBefore[member.index] as number)
      const metrics = await serverMetrics(member.url)
      servers.push({
        index: member.index,
        negotiations: ids.filter((id) => owners.get(id) === member.index),
        cpuPercent: round((cpu / wall) * 100, 1),
        rssMB: round(metrics.rssBytes / 1024 / 1024, 1),
      })
    }
    for (const room of rooms)
      if (room.readers.length > 0)
        checkFrames(room.readers, room.writerClient, plainText(room.text))
    const all = rooms.flatMap((room) => Array.from(room.latency))
    return {
      negotiations: count,
      processes,
      clients,
      keystrokes,
      pages,
      p50Ms: round(percentile(all, 50), 2),
      p99Ms: round(percentile(all, 99), 2),
      worstNegotiationP99Ms: round(
        Math.max(...rooms.map((room) => percentile(room.latency, 99))),
        2,
      ),
      servers,
      loadGeneratorCpuPercent: round(((ownCpu.user + ownCpu.system) / 1e6 / wall) * 100, 1),
      loadAverage: round(loadAverage, 2),
    }
  } finally {
    for (const room of rooms) {
      for (const reader of room.readers) reader.close()
      room.writer.destroy()
    }
    await cluster.close()
  }
}

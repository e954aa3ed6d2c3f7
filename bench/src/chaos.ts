/**
 * Chaos: writers on several documents type (real y-websocket clients) while the server process is
 * killed with SIGKILL at random moments and restarted on the same data directory and port. A
 * quarter of the kills come within 500 ms of the server listening (while clients reconnect and
 * documents load); the others come at a random moment up to `maxUpMs` after the restarted server has
 * acknowledged something new, so that every such cycle writes. At the end a fresh server process
 * loads every document and each edit a writer saw acknowledged (`persisted`) must be in it:
 * `ackedLost` counts those that are not. Seeded: the same seed gives the same kill schedule and
 * typing pace (the moments the operating system schedules do not repeat).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type AckedWriter, connectAckedWriter } from './ackedWriter'
import { randomBetween, seededRandom } from './seededRandom'
import { freePort, type ServerProcess, spawnServer } from './serverProcess'
import { connect, DEMO_DRAFT, login, PASSWORD } from './targets/onetextTarget'

/** What the run found; the JSON object the command prints last. */
export interface ChaosResult {
  kills: number
  ackedEdits: number
  ackedLost: number
  ok: boolean
}

/** Options of a run; every figure has a default. */
export interface ChaosOptions {
  kills: number
  seed: number
  /** Documents written (working drafts of as many negotiations); default 3. */
  documents?: number
  /** Writers on each document; default 2. */
  writersPerDocument?: number
  /** Longest a server runs after its first new acknowledgement before it is killed, in ms; default 2000. */
  maxUpMs?: number
  log?: (line: string) => void
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Starts a negotiation as the mediator; resolves with its working draft's name. */
async function startNegotiation(url: string, token: string, index: number): Promise<string> {
  const response = await fetch(`${url}/api/negotiations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      title: `Chaos ${index}`,
      parties: ['Union coalition', 'Management'],
      format: 'md',
      content: `# Chaos ${index}\n\nThe parties agree to keep every acknowledged edit.\n`,
    }),
  })
  if (!response.ok) throw new Error(`starting a negotiation failed: ${response.status}`)
  const { id } = (await response.json()) as { id: string }
  return `${id}.draft`
}

/** Runs the chaos benchmark. */
export async function chaos(options: ChaosOptions): Promise<ChaosResult> {
  if (!Number.isInteger(options.kills) || options.kills < 0)
    throw new RangeError('kills must be a whole number')
  const log = options.log ?? (() => {})
  const random = seededRandom(options.seed)
  const maxUpMs = options.maxUpMs ?? 2000
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-chaos-'))
  const env = { PORT: String(await freePort()) }
  let server: ServerProcess | null = await spawnServer(dataDir, PASSWORD, env)
  const writers: AckedWriter[] = []
  const documentOf = new Map<AckedWriter, string>()
  let typing: NodeJS.Timeout | null = null
  try {
    const token = await login(server.url, 'mediator@demo.test')
    const documents = [DEMO_DRAFT]
    for (let index = 1; index < (options.documents ?? 3); index++)
      documents.push(await startNegotiation(server.url, token, index))
    for (const [docIndex, document] of documents.entries()) {
      for (let index = 0; index < (options.writersPerDocument ?? 2); index++) {
        const writer = await connectAckedWriter(
          server.url,
          token,
          document,
          `w${docIndex}x${index}`,
        )
        writers.push(writer)
        documentOf.set(writer, document)
      }
    }
    log(`${writers.length} writers on ${documents.length} documents`)
    // Each tick one writer, drawn at random, makes one edit: about 100 edits a second in all.
    typing = setInterval(() => {
      const writer = writers[Math.floor(random() * writers.length)]
      writer?.edit()
    }, 10)

    const ackedSoFar = () => writers.reduce((sum, writer) => sum + writer.acked, 0)
    /** Resolves once more than `count` edits are acknowledged, or after 30 s. */
    const moreAckedThan = (count: number) =>
      new Promise<void>((resolve) => {
        const stops: Array<() => void> = []
        const done = () => {
          clearTimeout(timer)
          for (const stop of stops) stop()
          resolve()
        }
        const timer = setTimeout(done, 30_000)
        for (const writer of writers)
          stops.push(writer.onAcked(() => ackedSoFar() > count && done()))
        if (ackedSoFar() > count) done()
      })

    let ackedAtStart = 0
    for (let kill = 1; kill <= options.kills; kill++) {
      if (random() < 0.25) await pause(randomBetween(random, 0, 500))
      else {
        await moreAckedThan(ackedAtStart)
        await pause(randomBetween(random, 0, maxUpMs))
      }
      const running: ServerProcess = server
      server = null
      running.child.kill('SIGKILL')
      await running.exited
      ackedAtStart = ackedSoFar()
      log(`kill ${kill}: ${ackedAtStart} edits acknowledged so far`)
      await pause(randomBetween(random, 0, 300))
      server = await spawnServer(dataDir, PASSWORD, env)
    }
    await pause(500)
    clearInterval(typing)
    typing = null
    await Promise.race([Promise.all(writers.map((writer) => writer.saved())), pause(30_000)])
    for (const writer of writers) writer.destroy()
    const finished = writers.splice(0)

    // A fresh process reads what is stored.
    const running: ServerProcess | null = server
    server = null
    if (running) {
      running.child.kill('SIGKILL')
      await running.exited
    }
    server = await spawnServer(dataDir, PASSWORD, env)
    const readerToken = await login(server.url, 'mediator@demo.test')
    const stored = new Map<string, string>()
    for (const document of documents) {
      const reader = connect(server.url, readerToken, document)
      await reader.synced()
      stored.set(document, reader.doc.getXmlFragment('default').toString())
      reader.destroy()
    }
    let ackedEdits = 0
    let ackedLost = 0
    for (const writer of finished) {
      const text = stored.get(documentOf.get(writer) ?? '') ?? ''
      for (let index = 1; index <= writer.acked; index++) {
        ackedEdits++
        if (!text.includes(writer.token(index))) {
          ackedLost++
          log(`lost: ${writer.token(index)} in ${documentOf.get(writer)}`)
        }
      }
    }
    const made = finished.reduce((sum, writer) => sum + writer.edits, 0)
    log(`${made} edits made, ${ackedEdits} acknowledged, ${ackedLost} of those lost`)
    return { kills: options.kills, ackedEdits, ackedLost, ok: ackedLost === 0 && ackedEdits > 0 }
  } finally {
    if (typing) clearInterval(typing)
    for (const writer of writers) writer.destroy()
    if (server) {
      server.child.kill('SIGKILL')
      await server.exited
    }
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

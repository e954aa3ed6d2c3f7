/**
 * A structure-aware fuzz run of the wire protocol against a real server process (`pnpm bench fuzz`
 * and tests/integration/protocolFuzz.test.ts). Attackers of every role (mediator, party lead, party
 * member, observer) send batches of fuzz frames (frames.ts, fuzzLoop.ts) to the draft, caucus,
 * layers, table and status while honest y-websocket clients type valid edits. Checks: the server
 * never exits (a crash is reported with the frames in flight and its stack trace, and the server is
 * started again to go on); its event loop is never busy past `stallLimitMs` at a stretch (measured
 * inside it, stallProbe.ts); the honest clients end with exactly the server's documents; the server
 * answers /healthz; and after a restart over the same data every document is exactly what the live
 * server held.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type CheckSetup, checkDocuments, checkReload } from './checks'
import { fetchServerDoc } from './docState'
import { type FuzzFinding, type FuzzResult, tally } from './findings'
import { FuzzLoop } from './fuzzLoop'
import { connectHonest, type HonestClient, honestSaved, honestSynced, honestType } from './honest'
import { filledRoots } from './invariants'
import { FuzzRandom } from './random'
import { ServerUnderTest } from './serverUnderTest'
import { FUZZ_DOCUMENTS, HONEST_READS, HONEST_WRITES, kindOf, signInCast } from './session'

/** Options of a run. */
export interface FuzzOptions {
  /** Frames to send (at least; a batch is not cut). */
  frames: number
  seed: number
  /** The longest the event loop may be busy at a stretch, in ms; default 100. */
  stallLimitMs?: number
  /** How long the server may take to answer a batch (or a sync, or a save), in ms; default 20,000. */
  timeoutMs?: number
  /** Batches in flight at once (each lane its own attackers and generator); default 2. */
  lanes?: number
  log?: (line: string) => void
}

/** Runs the fuzzer; never throws for what it finds (see `findings`), only for a broken setup. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const log = options.log ?? (() => {})
  const stallLimitMs = options.stallLimitMs ?? 100
  const timeoutMs = options.timeoutMs ?? 20_000
  const started = performance.now()
  const findings: FuzzFinding[] = []
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-fuzz-'))
  const server = await ServerUnderTest.start(dataDir)
  const honest: HonestClient[] = []
  let loop: FuzzLoop | null = null
  let ok = false
  try {
    const cast = await signInCast(server.url)
    for (const docName of HONEST_WRITES)
      for (const n of [1, 2])
        honest.push(
          connectHonest(server.url, cast.honest, docName, kindOf(docName), `honest${n}@${docName}`),
        )
    for (const docName of HONEST_READS)
      honest.push(
        connectHonest(server.url, cast.honest, docName, kindOf(docName), `reader@${docName}`),
      )
    await Promise.all(honest.map((client) => honestSynced(client, timeoutMs)))
    const writers = honest.filter((client) => client.kind !== 'status')
    // Each writer claims its client ID before the fuzz starts (the first writer under an ID owns it).
    const typing = new FuzzRandom(options.seed)
    for (const writer of writers) honestType(writer, typing)
    await Promise.all(writers.map((writer) => honestSaved(writer, timeoutMs)))
    log(
      `${honest.length} honest clients synced; attacking ${FUZZ_DOCUMENTS.length} documents as ${cast.attackers.map((user) => user.key).join(', ')}`,
    )

    const reader = (docName: string) =>
      docName.endsWith('layer.mgmt') ? cast.mediator : cast.honest
    const rootsBefore = new Map<string, string[]>()
    for (const docName of FUZZ_DOCUMENTS)
      rootsBefore.set(
        docName,
        filledRoots(await fetchServerDoc(server.url, docName, reader(docName).token, timeoutMs)),
      )

    const fuzz = new FuzzLoop({
      server,
      seed: options.seed,
      attackers: cast.attackers,
      everyone: [...cast.attackers, cast.honest],
      honest,
      findings,
      stallLimitMs,
      timeoutMs,
      lanes: options.lanes ?? 2,
      log,
    })
    loop = fuzz
    await fuzz.run(options.frames)
    log(`${fuzz.sent} frames sent in ${Math.round(performance.now() - started)} ms; checking`)
    await fuzz.close()

    // Honest clients: everything saved, and exactly what the server holds; the gate's promises.
    const checks: CheckSetup = {
      url: server.url,
      dataDir,
      honest,
      users: [...cast.attackers, cast.honest],
      reader,
      rootsBefore,
      timeoutMs,
      findings,
    }
    const live = await checkDocuments(checks)
    for (const attacker of fuzz.attackers)
      for (const anomaly of attacker.anomalies)
        findings.push({ kind: 'anomaly', detail: `${anomaly.kind}: ${anomaly.detail}` })
    log(`documents checked at ${Math.round(performance.now() - started)} ms`)
    const healthy = await server.healthy()
    if (!healthy)
      findings.push({ kind: 'health', detail: 'GET /healthz did not answer 200 after the run' })

    // The store: a server started again over the same data holds exactly the live documents.
    for (const client of honest.splice(0)) client.destroy()
    const stopped = await server.stop('SIGTERM')
    if (stopped !== 0)
      findings.push({
        kind: 'health',
        detail: `the server exited with ${stopped} on SIGTERM`,
        output: server.output().slice(-4000),
      })
    log(`server stopped at ${Math.round(performance.now() - started)} ms`)
    await server.restart()
    await checkReload(checks, live)
    const converge = !findings.some(
      (finding) => finding.kind === 'divergence' || finding.kind === 'honest-refused',
    )
    const reloadEqual = !findings.some((finding) => finding.kind === 'reload')
    const gateHeld = !findings.some((finding) => finding.kind === 'gate')
    const otherwiseOk = !findings.some((finding) =>
      ['hang', 'anomaly', 'health'].includes(finding.kind),
    )
    ok =
      gateHeld &&
      fuzz.crashes === 0 &&
      fuzz.maxStallMs <= stallLimitMs &&
      converge &&
      reloadEqual &&
      healthy &&
      otherwiseOk
    const refusals: Record<string, number> = {}
    const closes: Record<string, number> = {}
    for (const attacker of fuzz.attackers) {
      for (const [reason, count] of attacker.refusals) tally(refusals, reason, count)
      for (const [code, count] of attacker.closeCodes) tally(closes, code, count)
    }
    const { sent: frames, crashes, maxStallMs, maxDelayMs, labels } = fuzz
    const durationMs = Math.round(performance.now() - started)
    return {
      frames,
      seed: options.seed,
      crashes,
      maxStallMs,
      maxDelayMs,
      converged: converge,
      reloadEqual,
      gateHeld,
      ok,
      healthy,
      labels,
      refusals,
      closes,
      durationMs,
      findings,
    }
  } finally {
    for (const client of honest) client.destroy()
    await loop?.close()
    await server.stop('SIGKILL')
    if (ok) fs.rmSync(dataDir, { recursive: true, force: true })
    else log(`data kept in ${dataDir}`)
  }
}

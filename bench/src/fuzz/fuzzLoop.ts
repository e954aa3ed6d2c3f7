/**
 * The fuzzing itself: a few lanes, each with its own attackers and its own generator seeded from the
 * run's seed, send one batch of frames at a time (built on the attacker's copy of the document) and
 * wait for the server to have read it before the next; honest clients type now and then. Every
 * WINDOW_FRAMES frames the server's event-loop figures are read and a stall is reported with the
 * largest frames of the window; a heavy batch runs alone in a window of its own. A crash is reported with the batches in flight and the server's output,
 * and the server is started again over the same data to go on.
 */
import { syncStep2, syncUpdate } from '@onetext/shared/protocol'
import * as Y from 'yjs'
import { Attacker, type FuzzUser } from './attacker'
import { honestEdit } from './edits'
import { type Batch, describeBatches, type FuzzFinding, tally } from './findings'
import { Corpus, type FrameContext, type FuzzFrame, fuzzFrame, syncFrame } from './frames'
import { type HonestClient, honestType } from './honest'
import { overlapUpdate } from './hostileUpdates'
import { FuzzRandom } from './random'
import type { ServerUnderTest } from './serverUnderTest'
import { FUZZ_DOCUMENTS, kindOf } from './session'

/** Frames between two readings of the server's event-loop figures. */
const WINDOW_FRAMES = 250
/** A batch this large runs alone, in a window of its own. */
const HEAVY_BATCH_BYTES = 64 * 1024

/** What the loop works with. */
export interface LoopSetup {
  server: ServerUnderTest
  seed: number
  /** The attacking users (one attacker per user and document). */
  attackers: readonly FuzzUser[]
  /** Every user of the run, whose names attackers forge. */
  everyone: readonly FuzzUser[]
  honest: readonly HonestClient[]
  findings: FuzzFinding[]
  stallLimitMs: number
  timeoutMs: number
  lanes: number
  log: (line: string) => void
}

/** An update made through the attacker copy's Yjs API (in its own name or a forged one), or null. */
function copyEdit(attacker: Attacker, random: FuzzRandom, users: readonly FuzzUser[]) {
  const forged = random.chance(0.25)
  const author = forged ? random.pick(users) : attacker.user
  const updates: Uint8Array[] = []
  const capture = (update: Uint8Array, origin: unknown) => {
    if (origin !== 'server') updates.push(update)
  }
  attacker.doc.on('update', capture)
  const name = honestEdit(attacker.doc, kindOf(attacker.docName), random, author)
  attacker.doc.off('update', capture)
  if (updates.length === 0) return null
  const frame: FuzzFrame = {
    label: `copy.${name}${forged ? '.forged' : ''}`,
    data: syncFrame(random.chance(0.8) ? syncUpdate : syncStep2, Y.mergeUpdates(updates)),
  }
  return frame
}

/** The lanes of attackers sending batches, and what they found (see the module comment). */
export class FuzzLoop {
  /** Frames sent so far. */
  sent = 0
  crashes = 0
  maxStallMs = 0
  maxDelayMs = 0
  /** Frames by generator (the label's first part). */
  readonly labels: Record<string, number> = {}
  readonly attackers: Attacker[] = []
  private readonly corpus = new Corpus()
  /** Choices outside the lanes (honest typing, the corpus), from their own generator. */
  private readonly shared: FuzzRandom
  private window: Batch[] = []
  private readonly inFlight = new Set<Batch>()
  private readonly recent: Batch[] = []
  private reading: Promise<void> | null = null
  /** Lanes between sending a batch and its answer. */
  private active = 0
  /** Set while a heavy batch runs alone; the other lanes wait for it. */
  private exclusive: Promise<void> | null = null
  private readonly idle: Array<() => void> = []
  private windowRead: Promise<void> = Promise.resolve()
  private recovering: Promise<void> | null = null
  private stopped = false

  constructor(private readonly setup: LoopSetup) {
    this.shared = new FuzzRandom(setup.seed ^ 0x5bd1e995)
    for (const user of setup.attackers)
      for (const docName of FUZZ_DOCUMENTS)
        this.attackers.push(
          new Attacker(setup.server.url, user, docName, (frame) =>
            this.corpus.add(frame, this.shared),
          ),
        )
  }

  /** Sends at least `frames` frames; resolves once every lane is done and the last window read. */
  async run(frames: number): Promise<void> {
    await this.setup.server.stalls(this.setup.timeoutMs)
    const lanes = Array.from({ length: this.setup.lanes }, (_, index) => this.lane(index, frames))
    await Promise.all(lanes)
    await this.reading
    await this.readWindow()
  }

  /** Closes every attacker's socket. */
  async close(): Promise<void> {
    await Promise.all(this.attackers.map((attacker) => attacker.close()))
  }

  private async lane(index: number, target: number): Promise<void> {
    const { server, timeoutMs } = this.setup
    const random = new FuzzRandom((this.setup.seed + index * 0x9e3779b9) | 0)
    const mine = this.attackers.filter((_, i) => i % this.setup.lanes === index)
    const writers = this.setup.honest.filter((client) => client.kind !== 'status')
    let refused = 0
    while (this.sent < target && !this.stopped) {
      if (server.crash || this.recovering) await this.recover()
      const forbidden = (a: Attacker) => (a.closeCodes.get(4403) ?? 0) > 0
      const attacker = random.weighted(mine.map((a) => [forbidden(a) ? 0.1 : 1, a] as const))
      if (!(await attacker.connect(timeoutMs))) {
        if (++refused > 50 && !server.crash && !(await server.healthy())) {
          this.setup.findings.push({
            kind: 'health',
            detail: `the server stopped accepting connections at frame ${this.sent}`,
          })
          this.stopped = true
        }
        continue
      }
      refused = 0
      const { batch, frames, fromCopy } = this.buildBatch(attacker, random)
      const bytes = batch.frames.reduce((sum, frame) => sum + frame.length, 0)
      const leave = await this.enter(bytes >= HEAVY_BATCH_BYTES)
      batch.sentAt = Date.now()
      attacker.send(frames, batch.corked, fromCopy)
      this.sent += frames.length
      this.window.push(batch)
      this.inFlight.add(batch)
      if (writers.length > 0 && this.shared.chance(0.4))
        honestType(this.shared.pick(writers), this.shared)
      batch.end = await attacker.barrier(timeoutMs)
      batch.answeredAt = Date.now()
      this.inFlight.delete(batch)
      this.recent.push(batch)
      if (this.recent.length > 10) this.recent.shift()
      await leave()
      if (server.crash) await this.recover()
      else if (batch.end === 'timeout')
        this.setup.findings.push({
          kind: 'hang',
          detail: `${attacker.name} got no answer to its batch within ${timeoutMs} ms`,
          frames: describeBatches([batch]),
        })
      if (this.windowFrames() >= WINDOW_FRAMES && !this.reading)
        this.reading = this.readWindow().finally(() => {
          this.reading = null
        })
    }
  }

  /**
   * Enters a batch; resolves with the function that leaves it. A heavy batch runs alone, in a
   * window of its own (the others wait), so that a stall it causes is pinned to it.
   */
  private async enter(heavy: boolean): Promise<() => Promise<void>> {
    while (this.exclusive) await this.exclusive
    if (!heavy) {
      this.active++
      return async () => {
        this.active--
        if (this.active === 0) for (const wake of this.idle.splice(0)) wake()
      }
    }
    let release = () => {}
    this.exclusive = new Promise<void>((resolve) => {
      release = resolve
    })
    while (this.active > 0) await new Promise<void>((resolve) => this.idle.push(resolve))
    await this.reading
    await this.readWindow()
    this.active++
    return async () => {
      this.active--
      await this.readWindow()
      this.exclusive = null
      release()
    }
  }

  /** The next batch of `attacker`: frames built on its copy, some through the copy's Yjs API. */
  private buildBatch(attacker: Attacker, random: FuzzRandom) {
    attacker.refreshCopy()
    const kind = kindOf(attacker.docName)
    const context: FrameContext = {
      random,
      doc: attacker.doc,
      kind,
      victims: this.victimsOf(attacker),
      corpus: this.corpus,
      awarenessClient: attacker.doc.clientID,
    }
    const frames: FuzzFrame[] = []
    const fromCopy = new Set<number>()
    for (let count = random.int(1, 8); count > 0; count--) {
      const copy =
        !attacker.readOnly && kind !== 'status' && random.chance(0.2)
          ? copyEdit(attacker, random, this.setup.everyone)
          : null
      if (copy) {
        fromCopy.add(frames.length)
        this.corpus.add(copy.data as Uint8Array, this.shared)
      }
      frames.push(copy ?? fuzzFrame(context))
      // Right after an edit of its own, the copy's last clock is that edit's last item (an
      // annotation's field, say): the moment for a struct that overlaps it (hostileUpdates.ts).
      if (copy && random.chance(0.3)) {
        const overlap = overlapUpdate(context)
        frames.push({
          label: `update.${overlap.label}`,
          data: syncFrame(syncUpdate, overlap.update),
        })
      }
    }
    const batch: Batch = {
      attacker: attacker.name,
      after: this.sent,
      corked: random.chance(0.3),
      sentAt: 0,
      labels: frames.map((frame) => frame.label),
      frames: frames.map((frame) => frame.data),
    }
    for (const frame of frames) tally(this.labels, frame.label.split('.')[0] ?? frame.label)
    return { batch, frames, fromCopy }
  }

  /** Client IDs other users have written under in the attacker's document. */
  private victimsOf(attacker: Attacker): number[] {
    const same = (docName: string) => docName === attacker.docName
    return [
      ...this.setup.honest.filter((c) => same(c.docName)).map((c) => c.doc.clientID),
      ...this.attackers
        .filter((other) => same(other.docName) && other.user !== attacker.user)
        .filter((other) => Y.getState(other.doc.store, other.doc.clientID) > 0)
        .map((other) => other.doc.clientID),
    ]
  }

  private windowFrames(): number {
    return this.window.reduce((sum, batch) => sum + batch.frames.length, 0)
  }

  /** Reads the server's figures for the window so far; readings never overlap. */
  private readWindow(): Promise<void> {
    this.windowRead = this.windowRead.then(() => this.closeWindow())
    return this.windowRead
  }

  private async closeWindow(): Promise<void> {
    const { server, findings, stallLimitMs, timeoutMs } = this.setup
    const window = this.window
    this.window = []
    const figures = await server.stalls(timeoutMs)
    if (figures) {
      this.maxStallMs = Math.max(this.maxStallMs, figures.busyMaxMs)
      this.maxDelayMs = Math.max(this.maxDelayMs, figures.delayMaxMs)
      if (figures.busyMaxMs > stallLimitMs) {
        // The batches the server was reading while its loop was blocked (same clock, same machine);
        // if none, the last ones answered before (the stall may be their follow-up work).
        const start = figures.busyEndedAt - figures.busyMaxMs - 20
        const during = window.filter(
          (batch) => batch.sentAt <= figures.busyEndedAt && (batch.answeredAt ?? Infinity) >= start,
        )
        const before = window.filter((batch) => (batch.answeredAt ?? Infinity) < start).slice(-2)
        findings.push({
          kind: 'stall',
          detail: `event loop busy for ${figures.busyMaxMs} ms at a stretch (delayed up to ${figures.delayMaxMs} ms) during frames ${window[0]?.after ?? this.sent}..${this.sent}; ${during.length > 0 ? 'the batches in flight then' : 'no batch in flight then; the last ones answered before it'}`,
          frames: describeBatches(during.length > 0 ? during : before, 512),
        })
      }
    } else if (!server.crash) {
      findings.push({
        kind: 'hang',
        detail: `no event-loop figures within ${timeoutMs} ms after frame ${this.sent}`,
        frames: describeBatches(window.slice(-3)),
      })
    }
  }

  /** Reports a crash (once) and starts the server again; every lane waits for it. */
  private recover(): Promise<void> {
    this.recovering ??= (async () => {
      const { server, findings } = this.setup
      const crash = server.crash
      if (!crash) return
      this.crashes++
      findings.push({
        kind: 'crash',
        detail: `server exited (${crash.exit}) at frame ${this.sent}; the batches in flight and the last ones before`,
        frames: describeBatches([...this.recent.slice(-3), ...this.inFlight]),
        output: crash.output,
      })
      this.setup.log(`server crashed at frame ${this.sent}; restarting`)
      await this.reading
      await server.restart()
      this.window = []
    })().finally(() => {
      this.recovering = null
    })
    return this.recovering
  }
}

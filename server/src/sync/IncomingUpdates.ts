/**
 * The document updates one writing client has sent that are not applied yet, in the order they are
 * to be applied. Every frame of one TCP read is handled synchronously by `ws`, so the updates of one
 * read are applied together in a microtask after the last of them (one transaction, one stored
 * update, one frame to each other connection). The document takes only as many as fit its turn
 * budget ({@link UPDATE_TURN_BUDGET_MS}); the rest wait here, unacknowledged, for the next turn, so
 * that a flood of frames in one read cannot hold the event loop. While more than
 * {@link MAX_WAITING_UPDATES} updates or {@link MAX_WAITING_BYTES} bytes wait, the connection stops
 * reading its socket (the sender is slowed by TCP, and the server holds a bounded amount). Live
 * updates that arrive before the client's sync step 2 and build on what the server lacks are held
 * (EarlyUpdates.ts) and put back right after the step 2. Once the connection has closed and what
 * waited then has been applied, nothing more is applied.
 */
import { type EarlyUpdate, EarlyUpdates } from './EarlyUpdates'

/** Updates waiting for their turn before the connection stops reading its socket. */
export const MAX_WAITING_UPDATES = 256
/** Bytes of updates waiting for their turn before the connection stops reading its socket. */
export const MAX_WAITING_BYTES = 4 * 1024 * 1024

/** A document update received: the number of the frame that carried it and whether it was a sync step 2. */
export interface IncomingUpdate {
  update: Uint8Array
  frame: number
  stepTwo: boolean
}

/** Where the updates go. */
export interface UpdateSink {
  /**
   * Applies `run` in order, as many as fit the document's turn budget (all of them when
   * `unbounded`), and answers each one it took; returns how many it took (at least one).
   */
  apply(run: readonly IncomingUpdate[], unbounded: boolean): number
  /** Called after each application, once the updates not taken are back in line. */
  settled(): void
  /** Stops reading the connection's socket (too much waits), or reads it again. */
  reading(on: boolean): void
}

export class IncomingUpdates {
  private readonly waiting: IncomingUpdate[] = []
  private readonly early = new EarlyUpdates()
  private scheduled = false
  private waitingBytes = 0
  private paused = false
  private closed = false

  constructor(private readonly sink: UpdateSink) {}

  /** Takes an update received now; it is applied at the end of the turn. */
  receive(entry: IncomingUpdate): void {
    if (this.closed) return
    if (entry.stepTwo && this.early.waiting) {
      // The step 2 goes first, then the updates held for it, then the later ones.
      const held = this.early.release().map((early) => ({ ...early, stepTwo: false }))
      this.waiting.unshift(entry, ...held)
      for (const update of held) this.waitingBytes += update.update.byteLength
    } else {
      this.waiting.push(entry)
    }
    this.waitingBytes += entry.update.byteLength
    this.throttle()
    this.schedule(false)
  }

  /**
   * Holds a live update refused for building on what the server lacks, to offer it again after the
   * sync step 2; false when it cannot be held (the step 2 came, or the holding limits are reached).
   */
  holdEarly(entry: EarlyUpdate): boolean {
    return this.early.hold(entry)
  }

  /**
   * The oldest frame received and neither applied nor refused (waiting for its turn, or held for
   * the step 2), or null: acknowledgements stop before it.
   */
  get firstUnsettledFrame(): number | null {
    const held = this.early.firstHeldFrame
    const next = this.waiting[0]?.frame ?? null
    if (held === null) return next
    return next === null ? held : Math.min(held, next)
  }

  /**
   * Applies everything waiting now, regardless of the budget (the connection is closing; the
   * backpressure above bounds how much that is), and nothing after.
   */
  drain(): void {
    while (this.waiting.length > 0 && !this.closed) this.applyWaiting(true)
    this.closed = true
    this.waiting.length = 0
    this.waitingBytes = 0
  }

  /** Stops or resumes reading the socket by what waits. */
  private throttle(): void {
    const over = this.waiting.length > MAX_WAITING_UPDATES || this.waitingBytes > MAX_WAITING_BYTES
    if (over === this.paused) return
    this.paused = over
    this.sink.reading(!over)
  }

  private schedule(nextTurn: boolean): void {
    if (this.scheduled) return
    this.scheduled = true
    const run = () => {
      this.scheduled = false
      this.applyWaiting(false)
    }
    if (nextTurn) setImmediate(run)
    else queueMicrotask(run)
  }

  private applyWaiting(unbounded: boolean): void {
    if (this.waiting.length === 0 || this.closed) return
    const run = this.waiting.splice(0)
    this.waitingBytes = 0
    const taken = Math.max(1, this.sink.apply(run, unbounded))
    if (taken < run.length && !this.closed) {
      const rest = run.slice(taken)
      this.waiting.unshift(...rest)
      for (const update of rest) this.waitingBytes += update.update.byteLength
      this.schedule(true)
    }
    this.throttle()
    if (!this.closed) this.sink.settled()
  }
}

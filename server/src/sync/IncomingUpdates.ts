/**
 * The document updates one writing client has sent that are not applied yet, in the order they are
 * to be applied. Every frame of one TCP read is handled synchronously by `ws`, so the updates of one
 * read are applied together in a microtask after the last of them (one transaction, one stored
 * update, one frame to each other connection). The document takes only as many as fit its turn
 * budget ({@link UPDATE_TURN_BUDGET_MS}); the rest wait here, unacknowledged, for the next turn, so
 * that a flood of frames in one read cannot hold the event loop. Live updates that arrive before
 * the client's sync step 2 and build on what the server lacks are held (EarlyUpdates.ts) and put
 * back right after the step 2.
 */
import { type EarlyUpdate, EarlyUpdates } from './EarlyUpdates'

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
}

export class IncomingUpdates {
  private readonly waiting: IncomingUpdate[] = []
  private readonly early = new EarlyUpdates()
  private scheduled = false

  constructor(private readonly sink: UpdateSink) {}

  /** Takes an update received now; it is applied at the end of the turn. */
  receive(entry: IncomingUpdate): void {
    if (entry.stepTwo && this.early.waiting) {
      // The step 2 goes first, then the updates held for it, then the later ones.
      const held = this.early.release().map((early) => ({ ...early, stepTwo: false }))
      this.waiting.unshift(entry, ...held)
    } else {
      this.waiting.push(entry)
    }
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

  /** Applies everything waiting now, regardless of the budget (the connection is closing). */
  drain(): void {
    while (this.waiting.length > 0) this.applyWaiting(true)
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
    if (this.waiting.length === 0) return
    const run = this.waiting.splice(0)
    const taken = Math.max(1, this.sink.apply(run, unbounded))
    if (taken < run.length) {
      this.waiting.unshift(...run.slice(taken))
      this.schedule(true)
    }
    this.sink.settled()
  }
}

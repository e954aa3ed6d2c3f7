/**
 * The live updates a client sends before its sync step 2 has reached the server. A client that was
 * offline (or lost its connection with edits in flight) sends what the server lacks only in its
 * sync step 2, one round trip after the socket opens; an edit typed meanwhile goes out at once as
 * an update and reaches the server first, building on edits the server does not have yet. Such an
 * update is held here, unacknowledged, and offered again right after the step 2; only then is it
 * refused if it still builds on something the server lacks. Bounded: past
 * {@link MAX_EARLY_UPDATES} or {@link MAX_EARLY_BYTES} an update is refused at once, as it is after
 * the step 2.
 */

/** Most updates held for one connection. */
export const MAX_EARLY_UPDATES = 256
/** Most bytes of updates held for one connection. */
export const MAX_EARLY_BYTES = 4 * 1024 * 1024

/** One held update and the number of the frame that carried it. */
export interface EarlyUpdate {
  update: Uint8Array
  frame: number
}

export class EarlyUpdates {
  private held: EarlyUpdate[] = []
  private bytes = 0
  private stepTwoArrived = false

  /** True until the client's sync step 2 has arrived. */
  get waiting(): boolean {
    return !this.stepTwoArrived
  }

  /**
   * Holds `entry` (an update that builds on what the server lacks); false when the step 2 has
   * already arrived or the limits are reached: refuse it then.
   */
  hold(entry: EarlyUpdate): boolean {
    if (this.stepTwoArrived) return false
    if (this.held.length >= MAX_EARLY_UPDATES) return false
    if (this.bytes + entry.update.byteLength > MAX_EARLY_BYTES) return false
    this.held.push(entry)
    this.bytes += entry.update.byteLength
    return true
  }

  /** Records that the step 2 arrived; returns the held updates, oldest first, to offer after it. */
  release(): EarlyUpdate[] {
    this.stepTwoArrived = true
    const held = this.held
    this.held = []
    this.bytes = 0
    return held
  }

  /** The oldest held frame, or null: acknowledgements stop before it. */
  get firstHeldFrame(): number | null {
    return this.held[0]?.frame ?? null
  }
}

/**
 * Batches document updates into durable writes. Updates enqueued during one event-loop turn are
 * written together in one store transaction (one fsync for the whole server), then the callbacks
 * registered before that write started are called: that is when the server acknowledges edits.
 * One write is in flight at a time; what is enqueued meanwhile forms the next batch.
 *
 * A failed write keeps its batch (ahead of anything newer), reports the failure and retries with
 * backoff; nothing is dropped and nothing is acknowledged until it is on disk. The one exception
 * is a write refused because this process no longer owns a negotiation (LeaseLostError, several
 * processes on PostgreSQL): that negotiation's updates are dropped unwritten and unacknowledged
 * (their clients still hold them and send them to the new owner), and the rest is written at once.
 */
import type { DocumentStore, PendingUpdate } from '../storage/DocumentStore'
import { LeaseLostError, negotiationOfDocument } from '../storage/LeaseLostError'

/** First retry delay after a failed write; doubles up to {@link MAX_RETRY_MS}. */
export const FIRST_RETRY_MS = 50
/** Longest delay between retries of a failed write. */
export const MAX_RETRY_MS = 5_000

/** Called with the failure when a write fails (it will be retried) and with null when one succeeds after failures. */
export type StorageHealthListener = (error: Error | null) => void

export class PersistenceQueue {
  private pending: PendingUpdate[] = []
  private callbacks: Array<() => void> = []
  private flushing = false
  private scheduled = false
  private retryMs = 0
  private retryTimer: NodeJS.Timeout | null = null
  private failingNow = false
  private readonly pendingPerDoc = new Map<string, number>()
  private readonly lastSeqPerDoc = new Map<string, number>()
  private idleWaiters: Array<() => void> = []
  private batchNumber = 0
  private failures = 0

  constructor(
    private readonly store: DocumentStore,
    private readonly onHealth: StorageHealthListener = () => {},
  ) {}

  /** Queues an update for `docName`; it is written in the next flush. */
  enqueue(docName: string, update: Uint8Array): void {
    this.pending.push({ docName, update })
    this.pendingPerDoc.set(docName, (this.pendingPerDoc.get(docName) ?? 0) + 1)
    this.schedule()
  }

  /**
   * Calls `callback` once everything enqueued so far is durable. If nothing is pending it is still
   * called asynchronously, after any write in progress.
   */
  afterDurable(callback: () => void): void {
    this.callbacks.push(callback)
    this.schedule()
  }

  /**
   * Number of the batch that updates enqueued now go into. It changes when a write takes the
   * pending batch; an acknowledgement may cover more updates only while its batch has this number
   * (updates that arrive while a write is in flight belong to the next one).
   */
  get openBatch(): number {
    return this.batchNumber
  }

  /** Writes that have failed since start (each retried until it succeeds). */
  get failedWrites(): number {
    return this.failures
  }

  /** True while the last write failed and is being retried: edits are held in memory. */
  get failing(): boolean {
    return this.failingNow
  }

  /** Updates held in memory that are not on disk yet (queued or being written). */
  get pendingUpdates(): number {
    let total = 0
    for (const count of this.pendingPerDoc.values()) total += count
    return total
  }

  /** True when `docName` has updates not yet on disk. */
  hasPending(docName: string): boolean {
    return (this.pendingPerDoc.get(docName) ?? 0) > 0
  }

  /** The highest log sequence number written for `docName` by this queue, or 0. */
  lastSeq(docName: string): number {
    return this.lastSeqPerDoc.get(docName) ?? 0
  }

  /** Records the sequence number a document was loaded at. */
  noteLoaded(docName: string, seq: number): void {
    if (seq > (this.lastSeqPerDoc.get(docName) ?? 0)) this.lastSeqPerDoc.set(docName, seq)
  }

  /**
   * Drops, unwritten, every update of `negotiationId`'s documents not being written now (this
   * process lost the negotiation); a write in progress that holds some is refused by the store.
   */
  discard(negotiationId: string): void {
    this.pending = this.withoutNegotiation(this.pending, negotiationId)
    for (const docName of [...this.lastSeqPerDoc.keys()])
      if (negotiationOfDocument(docName) === negotiationId) this.lastSeqPerDoc.delete(docName)
    if (this.isIdle()) this.notifyIdle()
  }

  /** `batch` without the updates of `negotiationId`'s documents, whose counts it takes back. */
  private withoutNegotiation(batch: PendingUpdate[], negotiationId: string): PendingUpdate[] {
    return batch.filter(({ docName }) => {
      if (negotiationOfDocument(docName) !== negotiationId) return true
      this.countWritten(docName)
      return false
    })
  }

  /** Takes one update of `docName` off the count of those not on disk. */
  private countWritten(docName: string): void {
    const left = (this.pendingPerDoc.get(docName) ?? 1) - 1
    if (left > 0) this.pendingPerDoc.set(docName, left)
    else this.pendingPerDoc.delete(docName)
  }

  /** Forgets a document's bookkeeping (after it is unloaded with nothing pending). */
  forget(docName: string): void {
    if (!this.hasPending(docName)) this.lastSeqPerDoc.delete(docName)
  }

  /** Resolves when nothing is pending or being written (retrying failed writes until they succeed). */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve()
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve)
      if (this.retryTimer) {
        // Shutting down: retry now rather than after the backoff.
        clearTimeout(this.retryTimer)
        this.retryTimer = null
        void this.flush()
      }
    })
  }

  private isIdle(): boolean {
    return this.pending.length === 0 && this.callbacks.length === 0 && !this.flushing
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.retryTimer) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      void this.flush()
    })
  }

  private async flush(): Promise<void> {
    if (this.flushing) return
    this.flushing = true
    const batch = this.pending
    const callbacks = this.callbacks
    this.pending = []
    this.callbacks = []
    this.batchNumber++
    try {
      const seqs = await this.store.append(batch)
      for (const [docName, seq] of seqs) this.lastSeqPerDoc.set(docName, seq)
      for (const { docName } of batch) this.countWritten(docName)
      this.retryMs = 0
      if (this.failingNow) {
        this.failingNow = false
        this.onHealth(null)
      }
      this.flushing = false
      for (const callback of callbacks) callback()
    } catch (error) {
      if (error instanceof LeaseLostError) {
        // Not this process's to write any more: drop that negotiation's updates, write the rest.
        this.pending = this.withoutNegotiation(batch, error.negotiationId).concat(
          this.withoutNegotiation(this.pending, error.negotiationId),
        )
        this.callbacks = callbacks.concat(this.callbacks)
        this.flushing = false
        this.schedule()
        return
      }
      // Keep the batch, ahead of anything enqueued since, and retry later.
      this.pending = batch.concat(this.pending)
      this.callbacks = callbacks.concat(this.callbacks)
      this.failingNow = true
      this.failures++
      this.flushing = false
      this.onHealth(error instanceof Error ? error : new Error(String(error)))
      this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs === 0 ? FIRST_RETRY_MS : this.retryMs * 2)
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null
        void this.flush()
      }, this.retryMs)
      return
    }
    if (this.pending.length > 0 || this.callbacks.length > 0) this.schedule()
    else this.notifyIdle()
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }
}

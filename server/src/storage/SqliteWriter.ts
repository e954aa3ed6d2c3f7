/**
 * The server's handle on the SQLite writer thread (`sqliteWriterWorker.mjs`). Every durable write
 * after start-up runs there, on its own connection (documents' log appends and compactions, audit
 * entries, sessions, accounts, negotiations, members, invitations, iterations, supplements: see
 * `writerOperations.ts`), so that the fsync each commit waits for never stalls the event loop:
 * while one batch is being made durable the server keeps relaying edits and collecting the next
 * batch (group commit). Reads stay on the main connection; WAL lets them see every committed write.
 * Requests are committed one at a time, in the order they were made.
 *
 * If the thread fails, every request in flight to it is rejected (the persistence queue keeps those
 * batches and retries) and the next request starts a new thread. The thread is only ever
 * terminated when idle (`close`): better-sqlite3 aborts the process if a thread is terminated
 * in the middle of a statement.
 */
import { Worker } from 'node:worker_threads'
import type { StorageFaults } from './StorageFaults'
import type { WriterOperation, WriterOperations } from './writerOperations'

type Reply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; name: string; message: string; code: string | null }

interface Waiter {
  /** The thread the request went to. */
  worker: Worker
  resolve(result: unknown): void
  reject(error: Error): void
}

/** A failure the writer thread reported; `code` is SQLite's (e.g. `SQLITE_CONSTRAINT_UNIQUE`), if any. */
export class WriterError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message)
    this.name = 'WriterError'
  }
}

/** The error a failed request rejects with: a RangeError stays one (a broken rule, not the disk). */
function replyError(reply: Extract<Reply, { ok: false }>): Error {
  if (reply.name === 'RangeError') return new RangeError(reply.message)
  return new WriterError(reply.message, reply.code)
}

const WORKER_URL = new URL('./sqliteWriterWorker.mjs', import.meta.url)

export class SqliteWriter {
  private worker: Worker | null = null
  private nextId = 1
  private readonly waiting = new Map<number, Waiter>()
  private closed = false

  /**
   * `file` is the database file, already created and migrated by the main connection. `faults`
   * (tests only) makes chosen commits fail.
   */
  constructor(
    private readonly file: string,
    private readonly faults: StorageFaults | null = null,
  ) {}

  /**
   * Runs `operation` in one transaction on the writer thread; resolves with its result once
   * committed, rejects (nothing written) when it fails. Buffers in `transfer` are moved to the
   * thread, not copied (the caller must not use them afterwards).
   */
  run<Op extends WriterOperation>(
    operation: Op,
    request: WriterOperations[Op]['request'],
    transfer: ArrayBuffer[] = [],
  ): Promise<WriterOperations[Op]['result']> {
    const fail = this.faults?.take(operation)
    const message = fail ? { op: operation, args: request, fail } : { op: operation, args: request }
    return this.request(message, transfer) as Promise<WriterOperations[Op]['result']>
  }

  /** Closes the writer's connection and stops the thread; requests after this are rejected. */
  async close(): Promise<void> {
    if (this.closed) return
    if (this.worker) await this.request({ op: 'close' })
    this.closed = true
    const worker = this.worker
    this.worker = null
    if (worker) await worker.terminate()
  }

  private request(message: { op: string }, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the storage writer is closed'))
    const worker = this.worker ?? this.spawn()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      // Keep the process alive while a write is in flight (a shutdown drain waits for it).
      worker.ref()
      this.waiting.set(id, { worker, resolve, reject })
      worker.postMessage({ id, ...message }, transfer)
    })
  }

  /** True while a request to `worker` waits for its answer. */
  private busy(worker: Worker): boolean {
    for (const waiter of this.waiting.values()) if (waiter.worker === worker) return true
    return false
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_URL, { workerData: { file: this.file } })
    worker.unref()
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id)
      if (!waiter) return
      this.waiting.delete(reply.id)
      if (!this.busy(worker)) worker.unref()
      if (reply.ok) waiter.resolve(reply.result)
      else waiter.reject(replyError(reply))
    })
    // A failed thread rejects only what was sent to it: a thread started since (an 'exit' follows
    // an 'error' later) keeps its own requests.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null
      for (const [id, waiter] of this.waiting) {
        if (waiter.worker !== worker) continue
        this.waiting.delete(id)
        waiter.reject(error)
      }
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the storage writer stopped (exit code ${code})`)))
    this.worker = worker
    return worker
  }
}

/**
 * The server's handle on the SQLite writer thread (`sqliteWriterWorker.mjs`). Documents' log
 * appends and compactions, audit entries and sessions (each sign-in) run there, on their own connection, so that the
 * fsync each commit waits for never stalls the event loop: while one batch is being made durable
 * the server keeps relaying edits and collecting the next batch (group commit). Reads stay on
 * the main connection; WAL lets them see every committed write.
 *
 * If the thread fails, every request in flight to it is rejected (the persistence queue keeps those
 * batches and retries) and the next request starts a new thread. The thread is only ever
 * terminated when idle (`close`): better-sqlite3 aborts the process if a thread is terminated
 * in the middle of a statement.
 */
import { Worker } from 'node:worker_threads'
import type { PendingUpdate } from './DocumentStore'

type Request =
  | { op: 'append'; docNames: string[]; lengths: number[]; data: Uint8Array }
  | { op: 'compact'; docName: string; snapshot: Uint8Array; uptoSeq: number }
  | { op: 'audit'; rows: AuditInsert[] }
  | {
      op: 'session-create'
      tokenHash: string
      userId: string
      createdAt: number
      expiresAt: number
    }
  | { op: 'session-delete'; tokenHash: string }
  | { op: 'close' }

/** One audit_log row: at, negotiation id, user id, email, action, detail (JSON), address. */
export type AuditInsert = [
  number,
  string | null,
  string | null,
  string | null,
  string,
  string,
  string | null,
]

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string }

interface Waiter {
  /** The thread the request went to. */
  worker: Worker
  resolve(result: unknown): void
  reject(error: Error): void
}

const WORKER_URL = new URL('./sqliteWriterWorker.mjs', import.meta.url)

export class SqliteWriter {
  private worker: Worker | null = null
  private nextId = 1
  private readonly waiting = new Map<number, Waiter>()
  private closed = false

  /** `file` is the database file, already created and migrated by the main connection. */
  constructor(private readonly file: string) {}

  /** Appends `batch` in one transaction; resolves with the last sequence number per document once committed. */
  async append(batch: readonly PendingUpdate[]): Promise<Map<string, number>> {
    // One contiguous buffer, moved (not copied) to the thread: cloning many small views costs more.
    let total = 0
    for (const { update } of batch) total += update.byteLength
    const data = new Uint8Array(total)
    const docNames: string[] = []
    const lengths: number[] = []
    let offset = 0
    for (const { docName, update } of batch) {
      data.set(update, offset)
      offset += update.byteLength
      docNames.push(docName)
      lengths.push(update.byteLength)
    }
    const result = (await this.request({ op: 'append', docNames, lengths, data }, [
      data.buffer,
    ])) as Array<[string, number]>
    return new Map(result)
  }

  /** Replaces log entries up to `uptoSeq` of `docName` with `snapshot`, atomically. */
  async compact(docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    await this.request({ op: 'compact', docName, snapshot, uptoSeq })
  }

  /** Records a session (sign-in). */
  async createSession(
    tokenHash: string,
    userId: string,
    createdAt: number,
    expiresAt: number,
  ): Promise<void> {
    await this.request({ op: 'session-create', tokenHash, userId, createdAt, expiresAt })
  }

  /** Ends a session (sign-out). */
  async deleteSession(tokenHash: string): Promise<void> {
    await this.request({ op: 'session-delete', tokenHash })
  }

  /** Appends audit entries in one transaction. */
  async appendAudit(rows: AuditInsert[]): Promise<void> {
    await this.request({ op: 'audit', rows })
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

  private request(message: Request, transfer: ArrayBuffer[] = []): Promise<unknown> {
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
      else waiter.reject(new Error(reply.message))
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

/**
 * Keeps live documents in memory while they are in use: loads each at most once (concurrent opens
 * share the load), compacts logs into snapshots, and unloads documents that have had no connection
 * for `idleUnloadMs`, once everything they hold is on disk.
 */
import type { DocumentStore } from '../storage/DocumentStore'
import type { DocumentPeer } from './origins'
import type { PersistenceQueue } from './PersistenceQueue'
import { SharedDocument } from './SharedDocument'

/** Runs after a document is loaded and before anyone uses it (e.g. to attach a validator). */
export type AfterLoadHook = (document: SharedDocument) => Promise<void>

export class DocumentRegistry {
  private readonly afterLoadHooks: AfterLoadHook[] = []

  private readonly loading = new Map<string, Promise<SharedDocument>>()
  private readonly loaded = new Map<string, SharedDocument>()
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>()
  private readonly compacting = new Set<string>()

  constructor(
    private readonly store: DocumentStore,
    private readonly persistence: PersistenceQueue,
    private readonly idleUnloadMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Number of documents in memory. */
  get size(): number {
    return this.loaded.size
  }

  /** The document if it is in memory. */
  peek(name: string): SharedDocument | undefined {
    return this.loaded.get(name)
  }

  /** Adds a hook that runs, in the order added, on every document once it has loaded. */
  onAfterLoad(hook: AfterLoadHook): void {
    this.afterLoadHooks.push(hook)
  }

  /**
   * Runs `action` on document `name` on the server's own behalf; a document nobody has open is
   * unloaded again after the idle delay.
   */
  async withDocument<T>(
    name: string,
    action: (document: SharedDocument) => T | Promise<T>,
  ): Promise<T> {
    const document = await this.open(name)
    try {
      return await action(document)
    } finally {
      if (document.connections.size === 0 && !this.unloadTimers.has(name))
        this.scheduleUnload(document)
    }
  }

  /** Loads (or returns the loaded) document `name`. */
  open(name: string): Promise<SharedDocument> {
    const existing = this.loaded.get(name)
    if (existing) return Promise.resolve(existing)
    let pending = this.loading.get(name)
    if (!pending) {
      pending = this.store.load(name).then(
        async (stored) => {
          const document = new SharedDocument(name, stored, this.persistence)
          document.doc.on('update', () => this.maybeCompact(document))
          for (const hook of this.afterLoadHooks) await hook(document)
          this.loaded.set(name, document)
          this.loading.delete(name)
          return document
        },
        (error: unknown) => {
          this.loading.delete(name)
          throw error
        },
      )
      this.loading.set(name, pending)
    }
    return pending
  }

  /** Registers a connection on a loaded document and cancels any pending unload. */
  attach(document: SharedDocument, peer: DocumentPeer): void {
    document.connections.add(peer)
    const timer = this.unloadTimers.get(document.name)
    if (timer) {
      clearTimeout(timer)
      this.unloadTimers.delete(document.name)
    }
  }

  /** Removes a connection; a document left with none unloads after `idleUnloadMs`. */
  detach(document: SharedDocument, peer: DocumentPeer): void {
    document.connections.delete(peer)
    if (document.connections.size === 0 && this.loaded.get(document.name) === document) {
      this.scheduleUnload(document)
    }
  }

  private scheduleUnload(document: SharedDocument): void {
    const existing = this.unloadTimers.get(document.name)
    if (existing) clearTimeout(existing)
    const timer = setTimeout(() => {
      this.unloadTimers.delete(document.name)
      void this.unload(document)
    }, this.idleUnloadMs)
    timer.unref()
    this.unloadTimers.set(document.name, timer)
  }

  private async unload(document: SharedDocument): Promise<void> {
    if (document.connections.size > 0 || this.loaded.get(document.name) !== document) return
    if (this.persistence.hasPending(document.name)) {
      // Storage is behind (or failing): keep the edits in memory and try again later.
      this.scheduleUnload(document)
      return
    }
    try {
      if (document.tailBytes > 0) await this.compact(document)
    } catch (error) {
      this.log(`compaction of ${document.name} failed before unload: ${String(error)}`)
    }
    // A connection may have arrived while compacting.
    if (document.connections.size > 0 || this.persistence.hasPending(document.name)) return
    this.loaded.delete(document.name)
    this.persistence.forget(document.name)
    document.destroy()
  }

  private maybeCompact(document: SharedDocument): void {
    if (!document.needsCompaction() || this.compacting.has(document.name)) return
    this.compacting.add(document.name)
    this.persistence.afterDurable(() => {
      this.compact(document)
        .catch((error: unknown) =>
          this.log(`compaction of ${document.name} failed: ${String(error)}`),
        )
        .finally(() => this.compacting.delete(document.name))
    })
  }

  /**
   * Replaces the document's written log with a snapshot of its in-memory state. The in-memory state
   * contains every written entry (entries are applied before they are queued), so the snapshot
   * covers the log up to the last written sequence number.
   */
  private async compact(document: SharedDocument): Promise<void> {
    const uptoSeq = this.persistence.lastSeq(document.name)
    const snapshot = document.takeSnapshot()
    await this.store.compact(document.name, snapshot, uptoSeq)
  }

  /** Writes everything pending, compacts every loaded document and frees them all. */
  async closeAll(): Promise<void> {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer)
    this.unloadTimers.clear()
    await Promise.allSettled(this.loading.values())
    await this.persistence.drain()
    for (const document of this.loaded.values()) {
      try {
        if (document.tailBytes > 0) await this.compact(document)
      } catch (error) {
        this.log(`compaction of ${document.name} failed at shutdown: ${String(error)}`)
      }
      document.destroy()
    }
    this.loaded.clear()
  }
}

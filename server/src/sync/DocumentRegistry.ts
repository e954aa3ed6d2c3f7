/**
 * Keeps live documents in memory while they are in use: loads each at most once (concurrent opens
 * share the load), compacts logs into snapshots, and unloads documents that have had no connection
 * for `idleUnloadMs`, once everything they hold is on disk.
 *
 * A stored entry that cannot be read never makes its document unloadable: the document is built
 * from the rest (`buildStoredDocument`), the entry is set aside in the store (kept, with the
 * reason) and logged, and the document is compacted at once so that its storage holds only what
 * loads.
 */
import { UPDATE_TURN_BUDGET_MS } from '@onetext/shared/limits'
import {
  acceptEveryEntry,
  type BuiltDocument,
  buildStoredDocument,
  decodesCompletely,
  type EntryCheck,
  refusalOf,
} from '../storage/buildStoredDocument'
import type { DocumentStore, StoredDocument } from '../storage/DocumentStore'
import { LeaseLostError, negotiationOfDocument } from '../storage/LeaseLostError'
import type { NegotiationLeases } from '../storage/postgres/NegotiationLeases'
import type { DocumentPeer } from './origins'
import type { PersistenceQueue } from './PersistenceQueue'
import { SharedDocument } from './SharedDocument'

/** Runs after a document is loaded and before anyone uses it (e.g. to attach a validator). */
export type AfterLoadHook = (document: SharedDocument) => Promise<void>

/**
 * Told the stored snapshot of a document being loaded whose stored state is that snapshot alone (no
 * log entries after it), before the server builds its Y.Doc from it: the document will be exactly
 * that snapshot when it has loaded, unless a load hook changes it.
 */
export type StoredSnapshotListener = (
  snapshot: Uint8Array,
  /** Hands over a write of the snapshot in progress: the build waits for it (at most {@link EARLY_SNAPSHOT_WAIT_MS}). */
  holdBuild: (written: Promise<void>) => void,
) => void

/**
 * Longest a document's build waits for snapshots sent while it loads to be written out (building
 * blocks the event loop, which would hold up the rest of such a write).
 */
export const EARLY_SNAPSHOT_WAIT_MS = 100

/** Resolves after the event loop has polled its sockets once more (two `setImmediate`s apart). */
function afterNextPoll(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)))
}

/** A document being loaded: its stored snapshot once read (if that is all it is) and who wants it. */
class StoredSnapshot {
  snapshot: Uint8Array | null = null
  private readonly listeners: StoredSnapshotListener[] = []
  private readonly writes: Promise<void>[] = []

  /** Calls `listener` with the snapshot now, if it is known, or once it is. */
  listen(listener: StoredSnapshotListener): void {
    if (this.snapshot) listener(this.snapshot, this.hold)
    else this.listeners.push(listener)
  }

  /** True when someone wants the snapshot. */
  get wanted(): boolean {
    return this.listeners.length > 0
  }

  /** Hands the snapshot to everyone who wants it. */
  publish(snapshot: Uint8Array): void {
    this.snapshot = snapshot
    for (const listener of this.listeners.splice(0)) listener(snapshot, this.hold)
  }

  /** Resolves once every write handed over is done, or after `maxMs`. */
  async written(maxMs: number): Promise<void> {
    if (this.writes.length === 0) return
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.all(this.writes),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, maxMs)
      }),
    ])
    clearTimeout(timer)
  }

  private readonly hold = (written: Promise<void>): void => {
    this.writes.push(written)
  }
}

export class DocumentRegistry {
  private readonly afterLoadHooks: AfterLoadHook[] = []
  /** Server actions running on each document ({@link withDocument}): it is not unloaded meanwhile. */
  private readonly inUse = new Map<string, number>()

  private readonly loading = new Map<string, Promise<SharedDocument>>()
  /** Documents being loaded: their stored snapshot once read (if it is all they are), and who waits for it. */
  private readonly storedSnapshots = new Map<string, StoredSnapshot>()
  private readonly loaded = new Map<string, SharedDocument>()
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>()
  private readonly compacting = new Set<string>()
  /** How many times each negotiation was lost: a load that saw it change throws. */
  private readonly losses = new Map<string, number>()
  /** False while a stored document may be in an old format, which must not reach an editor. */
  earlySnapshots = true

  /**
   * `entryCheck` is run on every stored entry before it is applied; an entry it refuses is set
   * aside. Without one, applying an entry is its only check. A stored snapshot is handed out before
   * the build when its checksum matches; one written without a checksum only once it passes the
   * check (without one, once it decodes completely).
   */
  constructor(
    private readonly store: DocumentStore,
    readonly persistence: PersistenceQueue,
    private readonly idleUnloadMs: number,
    /** Where the registry and its load hooks report what they set aside. */
    readonly log: (line: string) => void,
    private readonly entryCheck: EntryCheck | null = null,
    /** The negotiation leases documents are loaded under; null (the default) for none. */
    private readonly leases: Pick<NegotiationLeases, 'acquire' | 'release'> | null = null,
    /** Each document's turn budget for client updates (SharedDocument); the named limit by default. */
    private readonly updateTurnBudgetMs = UPDATE_TURN_BUDGET_MS,
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
    // While the action runs (it may wait for the disk), the document stays loaded.
    this.inUse.set(name, (this.inUse.get(name) ?? 0) + 1)
    try {
      return await action(document)
    } finally {
      const left = (this.inUse.get(name) ?? 1) - 1
      if (left > 0) this.inUse.set(name, left)
      else this.inUse.delete(name)
      if (document.connections.size === 0 && !this.unloadTimers.has(name))
        this.scheduleUnload(document)
    }
  }

  /**
   * Loads (or returns the loaded) document `name`. `onStoredSnapshot`, if given and the document is
   * not loaded yet, is called with its stored snapshot as soon as that has been read, when the
   * stored state is the snapshot alone. A large snapshot takes a while to build into a Y.Doc; a
   * client that has nothing can be sent the snapshot meanwhile and apply it on its side while the
   * server builds (see ClientConnection). To give such a client's request the chance to arrive, the
   * build starts only after the event loop has read its sockets once more.
   */
  open(name: string, onStoredSnapshot?: StoredSnapshotListener): Promise<SharedDocument> {
    const existing = this.loaded.get(name)
    if (existing) return Promise.resolve(existing)
    let pending = this.loading.get(name)
    if (!pending) {
      const stored = new StoredSnapshot()
      this.storedSnapshots.set(name, stored)
      const negotiationId = this.leases ? negotiationOfDocument(name) : null
      const lossesBefore = negotiationId === null ? 0 : (this.losses.get(negotiationId) ?? 0)
      pending = (
        negotiationId === null ? this.store.load(name) : this.claimAndLoad(name, negotiationId)
      )
        .then(async (state) => {
          const check = this.checkOnce(state)
          if (
            this.earlySnapshots &&
            state.snapshot &&
            state.updates.length === 0 &&
            stored.wanted
          ) {
            // Handed out before the build: only a snapshot known to be as the server wrote it, or
            // (written without a checksum) one that passes the check.
            const safe =
              state.snapshotIntact ??
              refusalOf(state.snapshot, this.entryCheck ? check : decodesCompletely) === null
            if (safe) {
              stored.publish(state.snapshot)
              await afterNextPoll()
              await stored.written(EARLY_SNAPSHOT_WAIT_MS)
            }
          }
          this.storedSnapshots.delete(name)
          const built = buildStoredDocument(state, check)
          const repaired = built.setAside.length > 0 && (await this.setAside(name, built))
          const document = new SharedDocument(
            name,
            built,
            this.persistence,
            this.updateTurnBudgetMs,
          )
          document.doc.on('update', () => this.maybeCompact(document))
          for (const hook of this.afterLoadHooks) await hook(document)
          if (negotiationId !== null && (this.losses.get(negotiationId) ?? 0) !== lossesBefore) {
            document.destroy()
            throw new LeaseLostError(negotiationId)
          }
          this.loaded.set(name, document)
          this.loading.delete(name)
          if (repaired)
            this.compact(document).catch((error: unknown) =>
              this.log(
                `compaction of ${name} after setting entries aside failed: ${String(error)}`,
              ),
            )
          return document
        })
        .catch((error: unknown) => {
          this.storedSnapshots.delete(name)
          this.loading.delete(name)
          throw error
        })
      this.loading.set(name, pending)
    }
    if (onStoredSnapshot) this.storedSnapshots.get(name)?.listen(onStoredSnapshot)
    return pending
  }

  /** Takes `negotiationId`'s lease, then loads `name`; a LeaseLostError when another owns it. */
  private async claimAndLoad(name: string, negotiationId: string): Promise<StoredDocument> {
    if (!(await this.leases?.acquire(negotiationId))) throw new LeaseLostError(negotiationId)
    return this.store.load(name)
  }

  /**
   * Frees every loaded document of `negotiationId` without writing anything more of it (its
   * pending updates are dropped: this process lost the negotiation to another); a load in progress
   * fails with a LeaseLostError. The caller closes the documents' connections first.
   */
  dropNegotiation(negotiationId: string): void {
    this.losses.set(negotiationId, (this.losses.get(negotiationId) ?? 0) + 1)
    this.persistence.discard(negotiationId)
    for (const [name, document] of [...this.loaded]) {
      if (negotiationOfDocument(name) !== negotiationId) continue
      const timer = this.unloadTimers.get(name)
      if (timer) clearTimeout(timer)
      this.unloadTimers.delete(name)
      this.loaded.delete(name)
      document.destroy()
    }
  }

  /** Releases the lease of `negotiationId` when none of its documents is loaded or in use. */
  private releaseIfUnused(negotiationId: string): void {
    if (!this.leases) return
    for (const name of [...this.loaded.keys(), ...this.loading.keys(), ...this.inUse.keys()])
      if (negotiationOfDocument(name) === negotiationId) return
    this.leases
      .release(negotiationId)
      .catch((error: unknown) =>
        this.log(`releasing the lease of ${negotiationId} failed: ${String(error)}`),
      )
  }

  /**
   * The registry's entry check for one load, run at most once on the stored snapshot (which may be
   * checked before the build, to hand it out early).
   */
  private checkOnce(state: StoredDocument): EntryCheck {
    const entryCheck = this.entryCheck
    const snapshot = state.snapshot
    if (!entryCheck) return acceptEveryEntry
    if (!snapshot) return entryCheck
    let verdict: string | null | undefined
    return (entry) => {
      if (entry !== snapshot) {
        entryCheck(entry)
        return
      }
      verdict ??= refusalOf(snapshot, entryCheck)
      if (verdict !== null) throw new RangeError(verdict)
    }
  }

  /**
   * Logs and sets aside what the build of `name` could not read; true once that is on disk (the
   * document may then be compacted to what loaded), false when the store refused (the entries stay
   * where they are and are set aside again at the next load).
   */
  private async setAside(name: string, built: BuiltDocument): Promise<boolean> {
    if (built.truncatedTail > 0)
      this.log(
        `warning: the log of ${name} ends in ${built.truncatedTail} truncated entr${built.truncatedTail === 1 ? 'y' : 'ies'}; cut and kept aside`,
      )
    for (const entry of built.setAside)
      this.log(`storage: ${name} ${entry.kind} ${entry.seq} set aside: ${entry.reason}`)
    try {
      await this.store.setAside(name, built.setAside)
      return true
    } catch (error) {
      this.log(`storage: setting entries of ${name} aside failed: ${String(error)}`)
      return false
    }
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
    if (this.persistence.hasPending(document.name) || this.inUse.has(document.name)) {
      // Storage is behind (or failing): keep the edits in memory and try again later.
      this.scheduleUnload(document)
      return
    }
    try {
      if (document.tailBytes > 0) await this.compact(document)
    } catch (error) {
      this.log(`compaction of ${document.name} failed before unload: ${String(error)}`)
    }
    // A connection (or a server action) may have arrived while compacting.
    if (
      document.connections.size > 0 ||
      this.persistence.hasPending(document.name) ||
      this.inUse.has(document.name)
    )
      return
    this.loaded.delete(document.name)
    this.persistence.forget(document.name)
    document.destroy()
    const negotiationId = this.leases ? negotiationOfDocument(document.name) : null
    if (negotiationId !== null) this.releaseIfUnused(negotiationId)
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

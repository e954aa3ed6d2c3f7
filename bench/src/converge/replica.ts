/**
 * One simulated user of the convergence run: a copy of one document behind the simulated network,
 * made the way the page makes it (a stock y-websocket provider with the persistence tracker, the
 * refusal ledger and the editor's undo manager), editing at random when it may write.
 *
 * A change the server refuses is handled as the page's CollabSession does (client/src/collab): a
 * new copy syncs from the server, the refused transaction is taken out of the old copy, what others
 * wrote that the server lost is dropped, and what the old copy holds beyond the server's is written
 * into the new one as fresh edits (contentTransfer). After MAX_REBUILDS rebuilds within a minute the
 * page gives up and offers a reload; this user then reloads (a fresh copy, the unsaved edits lost).
 * Every refusal is recorded with what the refused update wrote, for the run's report.
 */
import { parseDocumentName } from '@onetext/shared/documentNames'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import { PersistenceTracker, type RefusedChange } from '@onetext/shared/persistenceTracker'
import { PROTOCOL_PARAMS, RefusalReason } from '@onetext/shared/protocol'
import { getDocumentSchema } from '@onetext/shared/schema'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
  dropOthersUnsaved,
  MAX_REBUILDS,
  REBUILD_WINDOW_MS,
} from '../../../client/src/collab/CollabSession'
import { transferContent } from '../../../client/src/collab/contentTransfer'
import { RefusalLedger } from '../../../client/src/collab/RefusalLedger'
import { EMPTY_SCOPE, refusedScope } from '../../../client/src/collab/refusedScope'
import { type KnownCause, readOnlyCause, refusalCause } from './causes'
import { type FaultyNetwork, PLACEHOLDER_SYNC_URL, socketNotes } from './faultyNetwork'
import { createUndoManager, type EditKind, randomEdit } from './richEdits'

/** Who a simulated user is and what they open. */
export interface ReplicaSpec {
  /** Unique name in the run's log, e.g. `2:party-lead@unions>caucus`. */
  label: string
  role: string
  docName: string
  token: string
  /** False for a reader (the server gives it read access). */
  writes: boolean
}

/** Where the run is when something happens, for the record. */
export interface RunMoment {
  round: number
  restarts: number
  kills: number
  /** Milliseconds since the server last (re)started listening, null before the first restart. */
  sinceRestartMs: number | null
}

/** One refused change of an honest client. */
export interface RefusalRecord {
  client: string
  docName: string
  reason: string
  text: string
  frame: number
  moment: RunMoment
  /**
   * What the refused update wrote, per client ID: `own|other id:from-to (server n)`, with the
   * server's clock for that ID once the new copy synced; `?` when the tracker no longer held it.
   */
  wrote: string
  /**
   * True when the refused frame was sent on its socket before the socket's sync step 2 (which
   * carries what the server lacks), false after it, null when unknown.
   */
  beforeStep2: boolean | null
  outcome: 'rebuilt' | 'reloaded' | 'failed'
  /** The known server problem it is (causes.ts), or null: a new one. */
  cause: KnownCause | null
}

/** Something else that went wrong for an honest user. */
export interface ProblemRecord {
  text: string
  /** The known server problem it is (causes.ts), or null: a new one. */
  cause: KnownCause | null
}

/** Error code 1: the connection may only read (shared/src/protocol.ts). */
const READ_ONLY = 1

const REASON_NAMES = new Map<number, string>(
  Object.entries(RefusalReason).map(([name, value]) => [value, name]),
)

/** What the refused update wrote, per client ID (see {@link RefusalRecord.wrote}). */
function describeWrites(
  update: Uint8Array | null,
  own: ReadonlySet<number>,
  server: Map<number, number>,
): string {
  if (!update) return '?'
  const { from, to } = Y.parseUpdateMeta(update)
  const parts: string[] = []
  for (const [client, end] of to) {
    const start = from.get(client) ?? 0
    const whose = own.has(client) ? 'own' : 'other'
    parts.push(`${whose} ${client}:${start}-${end} (server ${server.get(client) ?? 0})`)
  }
  return parts.length > 0 ? parts.join('; ') : 'deletions only'
}

/** One copy of the document, as one CollabSession holds it. */
class Session {
  readonly doc = new Y.Doc()
  readonly tracker = new PersistenceTracker()
  readonly provider: WebsocketProvider
  readonly ledger: RefusalLedger
  readonly undo: Y.UndoManager
  /** The client IDs this copy's own changes were written under. */
  readonly ownClients = new Set<number>()

  constructor(spec: ReplicaSpec, network: FaultyNetwork) {
    this.ledger = new RefusalLedger(this.doc)
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.local) this.ownClients.add(this.doc.clientID)
    })
    this.undo = createUndoManager(this.doc)
    this.provider = new WebsocketProvider(PLACEHOLDER_SYNC_URL, spec.docName, this.doc, {
      WebSocketPolyfill: this.tracker.socketClass(network.socketClass(spec.label)),
      disableBc: true,
      params: { ...PROTOCOL_PARAMS, token: spec.token },
      maxBackoffTime: 300,
    })
    this.tracker.attach(this.provider)
  }

  /** Resolves once synced with the server; rejects if the copy is destroyed first. */
  whenSynced(): Promise<void> {
    if (this.provider.synced) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const onSync = (synced: boolean) => {
        if (!synced) return
        this.provider.off('sync', onSync)
        resolve()
      }
      this.provider.on('sync', onSync)
      this.doc.on('destroy', () => reject(new Error('the copy was closed')))
    })
  }

  destroy(): void {
    this.ledger.destroy()
    this.undo.destroy()
    this.provider.destroy()
    this.doc.destroy()
  }
}

/** What a user tells the run. */
export interface ReplicaEvents {
  moment(): RunMoment
  refused(record: RefusalRecord): void
  /** Something else that went wrong for an honest user (an error the server sent, a failed rebuild). */
  problem(record: ProblemRecord): void
}

/** One simulated user (see the module comment). */
export class ConvergeReplica {
  private session: Session
  /** The copy being synced to replace the current one, while a rebuild is under way. */
  private next: Session | null = null
  private rebuilding = false
  private rebuildTimes: number[] = []
  private destroyed = false
  private readonly listeners = new Set<() => void>()
  /** Edits made, by kind. */
  readonly edits = new Map<EditKind, number>()
  /** Every client ID this user's copies wrote under. */
  readonly clientIds = new Set<number>()
  rebuilds = 0

  constructor(
    readonly spec: ReplicaSpec,
    private readonly network: FaultyNetwork,
    private readonly random: () => number,
    private readonly events: ReplicaEvents,
  ) {
    this.session = this.open()
  }

  /** The current copy's document. */
  get doc(): Y.Doc {
    return this.session.doc
  }

  /** The current copy's save state, and whether it is being rebuilt. */
  state(): string {
    const saved = this.session.tracker.snapshot().state
    return this.rebuilding ? `rebuilding (${saved})` : saved
  }

  private open(): Session {
    const session = new Session(this.spec, this.network)
    session.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.local) this.clientIds.add(session.doc.clientID)
    })
    let lastError: unknown = null
    session.tracker.onRefused((change) => void this.rebuild(session, change))
    session.tracker.subscribe(() => {
      const error = session.tracker.snapshot().lastError
      if (error && error !== lastError && session === this.session) {
        const beyond = socketNotes(session.provider.ws)?.step2Beyond ?? null
        const killed = this.events.moment().kills > 0
        const cause =
          error.code === READ_ONLY && !this.spec.writes ? readOnlyCause(beyond, killed) : null
        const detail = beyond?.length ? ` (its sync step 2 carried ${beyond.join(', ')})` : ''
        this.events.problem({
          text: `${this.spec.label}: server error ${error.code} "${error.text}"${detail}`,
          cause,
        })
      }
      lastError = error
      this.emit()
    })
    return session
  }

  /** Resolves once the first copy has synced (rejects after `timeoutMs`). */
  async firstSync(timeoutMs: number): Promise<void> {
    if (!(await this.until(() => this.session.provider.synced, timeoutMs)))
      throw new Error(`${this.spec.label} did not sync within ${timeoutMs} ms`)
  }

  /** Makes one random edit (a writer only); returns its kind, or null. */
  edit(): EditKind | null {
    if (!this.spec.writes || this.destroyed) return null
    const kind = randomEdit(this.session.doc, this.session.undo, this.random)
    if (kind) this.edits.set(kind, (this.edits.get(kind) ?? 0) + 1)
    return kind
  }

  /**
   * Resolves with true once the copy is synced, every local edit is on the server's disk and no
   * rebuild is under way (a read-only copy: synced); false after `timeoutMs`.
   */
  settled(timeoutMs: number): Promise<boolean> {
    return this.until(() => {
      if (this.rebuilding || !this.session.provider.synced) return false
      const state = this.session.tracker.snapshot().state
      return state === 'saved' || state === 'read-only'
    }, timeoutMs)
  }

  private until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (result: boolean) => {
        clearTimeout(timer)
        this.listeners.delete(check)
        resolve(result)
      }
      const check = () => {
        if (predicate()) finish(true)
      }
      const timer = setTimeout(() => finish(predicate()), timeoutMs)
      this.listeners.add(check)
      check()
    })
  }

  private emit(): void {
    for (const listener of Array.from(this.listeners)) listener()
  }

  /** CollabSession.rebuild, headless (see the module comment). */
  private async rebuild(session: Session, change: RefusedChange): Promise<void> {
    if (this.rebuilding || this.destroyed || session !== this.session) return
    const moment = this.events.moment()
    const sent = socketNotes(session.provider.ws)
    const beforeStep2 = sent ? sent.step2Frame === null || change.frame < sent.step2Frame : null
    const now = Date.now()
    const recent = this.rebuildTimes.filter((at) => now - at < REBUILD_WINDOW_MS)
    const reload = recent.length >= MAX_REBUILDS
    this.rebuildTimes = [...recent, now]
    this.rebuilding = true
    this.emit()
    session.provider.disconnect()
    const next = this.open()
    this.next = next
    let outcome: RefusalRecord['outcome'] = reload ? 'reloaded' : 'rebuilt'
    let wrote = '?'
    let cause: KnownCause | null = null
    try {
      await next.whenSynced()
      const server = Y.decodeStateVector(Y.encodeStateVector(next.doc))
      wrote = describeWrites(change.update, session.ownClients, server)
      const facts = {
        reason: change.reason,
        update: change.update,
        beforeStep2,
        own: session.ownClients,
        killed: moment.kills > 0,
      }
      cause = refusalCause(facts, next.doc)
      if (!reload) this.transfer(session, next, change, server)
    } catch (error) {
      if (this.destroyed) return
      outcome = 'failed'
      this.events.problem({
        text: `${this.spec.label}: rebuild failed: ${String(error)}`,
        cause: null,
      })
      next.destroy()
    }
    this.events.refused({
      client: this.spec.label,
      docName: this.spec.docName,
      reason: REASON_NAMES.get(change.reason) ?? String(change.reason),
      text: change.text,
      frame: change.frame,
      moment,
      wrote,
      beforeStep2,
      outcome,
      cause,
    })
    this.rebuilding = false
    this.next = null
    if (outcome === 'failed') {
      this.emit()
      return
    }
    this.rebuilds++
    this.session = next
    session.destroy()
    this.emit()
  }

  /** What CollabSession.rebuild does between the new copy's sync and the switch to it. */
  private transfer(
    old: Session,
    next: Session,
    change: RefusedChange,
    server: Map<number, number>,
  ): void {
    const ref = parseDocumentName(this.spec.docName)
    if (!ref) throw new Error(`${this.spec.docName} is not a document name`)
    const refused =
      change.update && change.reason !== RefusalReason.buildsOnRefused ? change.update : null
    const scope = refused ? refusedScope(old.doc, refused) : EMPTY_SCOPE
    Y.applyUpdate(old.doc, Y.encodeStateAsUpdate(next.doc, Y.encodeStateVector(old.doc)), next)
    if (refused) old.ledger.revert(refused)
    dropOthersUnsaved(old.doc, server, old.ownClients)
    transferContent(old.doc, next.doc, DOCUMENT_ROOTS[ref.kind], getDocumentSchema(), scope)
  }

  /** Disconnects and frees the copy. */
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.next?.destroy()
    this.session.destroy()
    this.listeners.clear()
  }
}

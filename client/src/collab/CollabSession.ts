/**
 * One open live document: its Y.Doc, the y-websocket provider connected to `/sync/<name>`, and the
 * persistence tracker behind the save status. Created in an effect and destroyed on cleanup, never
 * during render.
 *
 * A change the server refuses (docs/PROTOCOL.md, "Refused changes") leaves this copy unable to save
 * anything after it: every later change of the copy builds on the refused one. The session then
 * rebuilds (see {@link CollabSession.onReplaced}): a new session syncs the server's copy, the refused
 * change is taken out of this copy (RefusalLedger), and what this copy holds beyond the server's is
 * written into the new one as fresh edits (contentTransfer.ts), but for the blocks the refused change
 * touched (refusedScope.ts), which keep the server's version. The page goes on with the new
 * session, and says what was refused. Refusals that keep coming back end in the old behaviour: the
 * copy stops and the page offers a reload.
 */

import { closeEventsByCode } from '@onetext/shared/closeCodes'
import { parseDocumentName } from '@onetext/shared/documentNames'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import {
  PersistenceTracker,
  type RefusedChange,
  type SaveState,
} from '@onetext/shared/persistenceTracker'
import { PROTOCOL_PARAMS, RefusalReason } from '@onetext/shared/protocol'
import { getDocumentSchema } from '@onetext/shared/schema'
import { toBase64 } from 'lib0/buffer'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { transferContent } from './contentTransfer'
import { RefusalLedger } from './RefusalLedger'
import { EMPTY_SCOPE, refusedScope } from './refusedScope'
import { flushHeldFrames, sendAfterPaint } from './sendAfterPaint'

/** Why a session stopped for good (the server refused it), or null while it is live. */
export type TerminalReason =
  | 'unauthorized'
  | 'forbidden'
  | 'access-changed'
  | 'protocol-violation'
  | 'client-outdated'
  | 'refused-unknown'
  | null

/** Rebuilds after refusals within {@link REBUILD_WINDOW_MS} beyond which the session gives up. */
export const MAX_REBUILDS = 3
/** The window in which {@link MAX_REBUILDS} rebuilds make the session give up. */
export const REBUILD_WINDOW_MS = 60_000

/** What the page tells the user after a rebuild: why a change was taken out. */
export interface RefusalNotice {
  text: string
  at: number
}

/**
 * Where the user was in the editor of a session that was replaced, for the editor of the session
 * that replaces it: the selection (ProseMirror positions; the content is the same but for the
 * refused change), whether the editor had focus, and the window's scroll position.
 */
export interface EditorHandoff {
  anchor: number
  head: number
  focused: boolean
  scrollY: number
}

/**
 * Why a close with `code` (one that ends the session: 4400-4499) stopped it. A code this page does
 * not know comes from a newer server, most likely for a reason a newer page would name:
 * `refused-unknown` (reload), not a guess such as "no access".
 */
export function terminalReasonFor(code: number): Exclude<TerminalReason, null> {
  const known = closeEventsByCode.get(code)?.reason
  switch (known) {
    case 'unauthorized':
    case 'forbidden':
    case 'access-changed':
    case 'protocol-violation':
    case 'client-outdated':
      return known
    default:
      return 'refused-unknown'
  }
}

/** The websocket URL prefix of this page's server. */
export function syncBaseUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${window.location.host}/sync`
}

/** Whose edits this origin marks: the server's copy brought into a copy being rebuilt. */
const SERVER_COPY_ORIGIN = Symbol('onetext.serverCopy')

/**
 * Deletes from `doc` every item the server does not have (past `serverState`) that was written under
 * a client ID not in `own`: another person's change this copy received but the server lost (it
 * stopped before writing it). That person's own copy still holds it and sends it again; carried over
 * as this copy's edit it would arrive twice.
 */
export function dropOthersUnsaved(
  doc: Y.Doc,
  serverState: Map<number, number>,
  own: ReadonlySet<number>,
) {
  const unsaved: Y.Item[] = []
  for (const [client, structs] of doc.store.clients) {
    if (own.has(client)) continue
    const saved = serverState.get(client) ?? 0
    for (const struct of structs) {
      if (struct.id.clock + struct.length > saved && struct instanceof Y.Item && !struct.deleted)
        unsaved.push(struct)
    }
  }
  if (unsaved.length === 0) return
  doc.transact((transaction) => {
    for (const item of unsaved) item.delete(transaction)
  }, SERVER_COPY_ORIGIN)
}

export class CollabSession {
  readonly doc = new Y.Doc()
  readonly tracker = new PersistenceTracker()
  readonly provider: WebsocketProvider
  private readonly ledger: RefusalLedger
  /** The client IDs this copy's own changes were written under (Yjs picks a new one on a clash). */
  private readonly ownClients = new Set<number>()
  /** Set by the editor of the session this one replaces (see {@link EditorHandoff}). */
  handoff: EditorHandoff | null = null
  private terminal: TerminalReason = null
  private rebuilding = false
  private gaveUp: string | null = null
  private destroyed = false
  private readonly listeners = new Set<() => void>()
  private readonly replaceListeners = new Set<(next: CollabSession) => void>()

  /**
   * `rebuilds`: when earlier sessions of this document were rebuilt after refusals (recent ones
   * count towards {@link MAX_REBUILDS}); `notice`: what the page should say about the last one.
   */
  constructor(
    readonly docName: string,
    private readonly rebuilds: readonly number[] = [],
    readonly notice: RefusalNotice | null = null,
  ) {
    this.ledger = new RefusalLedger(this.doc)
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.local) this.ownClients.add(this.doc.clientID)
    })
    this.provider = new WebsocketProvider(syncBaseUrl(), docName, this.doc, {
      WebSocketPolyfill: this.tracker.socketClass(sendAfterPaint(WebSocket)),
      // Edits always travel through the server, which checks every message.
      disableBc: true,
      params: { ...PROTOCOL_PARAMS },
    })
    this.tracker.attach(this.provider)
    this.tracker.onRefused((change) => void this.rebuild(change))
    this.provider.on('closed', (event) => {
      this.terminal = terminalReasonFor(event.code)
      this.emit()
    })
  }

  /**
   * This copy's state for a command that acts on the document (its Yjs state vector, base64), taken
   * after every frame held back for the next paint has been handed to the socket: the server acts
   * once its copy includes it (docs/API.md, "Commands act on what the user saw").
   */
  clientState(): string {
    flushHeldFrames()
    return toBase64(Y.encodeStateVector(this.doc))
  }

  /** The Y.XmlFragment holding the rich text. */
  get fragment(): Y.XmlFragment {
    return this.doc.getXmlFragment('default')
  }

  /** Set once the server refused the connection for good. */
  get terminalReason(): TerminalReason {
    return this.terminal
  }

  /**
   * Why this copy stopped taking edits for good after refusals (they kept coming back, or the
   * rebuild failed), or null: the page should then stop editing and offer a reload.
   */
  get refusal(): string | null {
    return this.gaveUp
  }

  /** The save state to show: "saving" while the session rebuilds after a refusal. */
  saveState(): SaveState {
    if (this.gaveUp !== null) return 'refused'
    if (this.rebuilding) return 'saving'
    return this.tracker.snapshot().state
  }

  /** Calls `listener` when the terminal reason, the refusal or the rebuilding state changes. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Calls `listener` with the session that replaces this one after a refusal (this one is then
   * destroyed). Whoever holds the session must switch to the new one.
   */
  onReplaced(listener: (next: CollabSession) => void): () => void {
    this.replaceListeners.add(listener)
    return () => this.replaceListeners.delete(listener)
  }

  private emit(): void {
    for (const listener of this.listeners) listener()
  }

  /** Resolves once the provider has synced with the server (rejects if the session is destroyed first). */
  private whenSynced(): Promise<void> {
    if (this.provider.synced) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const onSync = (synced: boolean) => {
        if (!synced) return
        this.provider.off('sync', onSync)
        resolve()
      }
      this.provider.on('sync', onSync)
      this.doc.on('destroy', () => reject(new Error('the session was closed')))
    })
  }

  private async rebuild(change: RefusedChange): Promise<void> {
    if (this.rebuilding || this.destroyed || this.gaveUp !== null) return
    const now = Date.now()
    const recent = this.rebuilds.filter((at) => now - at < REBUILD_WINDOW_MS)
    if (recent.length >= MAX_REBUILDS) {
      this.gaveUp = change.text
      this.emit()
      return
    }
    const ref = parseDocumentName(this.docName)
    if (!ref) return
    this.rebuilding = true
    this.emit()
    // Nothing more from this copy: its later changes all build on the refused one.
    this.provider.disconnect()
    const next = new CollabSession(this.docName, [...recent, now], { text: change.text, at: now })
    try {
      await next.whenSynced()
      if (this.destroyed) {
        next.destroy()
        return
      }
      // This copy catches up with the server's, loses the refused change (unless the refusal only
      // said that a change built on an earlier refused one) and what others wrote that the server
      // lost, then gives the rest to the new copy as fresh edits.
      const refused =
        change.update && change.reason !== RefusalReason.buildsOnRefused ? change.update : null
      // What this copy wrote after the refused change in the blocks it touched builds on it: the
      // server would refuse that again, so those blocks keep the server's version. Only for a
      // change of this copy's own (one the ledger holds), not for a refused sync step 2, which
      // carries all of this copy's unsaved work.
      const scope = refused ? refusedScope(this.doc, refused) : EMPTY_SCOPE
      Y.applyUpdate(
        this.doc,
        Y.encodeStateAsUpdate(next.doc, Y.encodeStateVector(this.doc)),
        SERVER_COPY_ORIGIN,
      )
      const reverted = refused !== null && this.ledger.revert(refused)
      dropOthersUnsaved(
        this.doc,
        Y.decodeStateVector(Y.encodeStateVector(next.doc)),
        this.ownClients,
      )
      transferContent(
        this.doc,
        next.doc,
        DOCUMENT_ROOTS[ref.kind],
        getDocumentSchema(),
        reverted ? scope : EMPTY_SCOPE,
      )
    } catch (error) {
      next.destroy()
      this.rebuilding = false
      this.gaveUp = `${change.text} (${error instanceof Error ? error.message : String(error)})`
      this.emit()
      return
    }
    for (const listener of this.replaceListeners) listener(next)
    this.destroy()
  }

  /** Disconnects and frees the document. */
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.ledger.destroy()
    this.provider.destroy()
    this.doc.destroy()
  }
}

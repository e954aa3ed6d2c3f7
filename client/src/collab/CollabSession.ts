/**
 * One open live document: its Y.Doc, the y-websocket provider connected to `/sync/<name>`, and the
 * persistence tracker behind the save status. Created in an effect and destroyed on cleanup, never
 * during render.
 */

import { closeEventsByCode } from '@onetext/shared/closeCodes'
import { PersistenceTracker } from '@onetext/shared/persistenceTracker'
import { PROTOCOL_PARAMS } from '@onetext/shared/protocol'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { sendAfterPaint } from './sendAfterPaint'

/** Why a session stopped for good (the server refused it), or null while it is live. */
export type TerminalReason =
  | 'unauthorized'
  | 'forbidden'
  | 'access-changed'
  | 'protocol-violation'
  | 'client-outdated'
  | 'refused-unknown'
  | null

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

export class CollabSession {
  readonly doc = new Y.Doc()
  readonly tracker = new PersistenceTracker()
  readonly provider: WebsocketProvider
  private terminal: TerminalReason = null
  private readonly listeners = new Set<() => void>()

  constructor(readonly docName: string) {
    this.provider = new WebsocketProvider(syncBaseUrl(), docName, this.doc, {
      WebSocketPolyfill: this.tracker.socketClass(sendAfterPaint(WebSocket)),
      // Edits always travel through the server, which checks every message.
      disableBc: true,
      params: { ...PROTOCOL_PARAMS },
    })
    this.tracker.attach(this.provider)
    this.provider.on('closed', (event) => {
      this.terminal = terminalReasonFor(event.code)
      this.emit()
    })
  }

  /** The Y.XmlFragment holding the rich text. */
  get fragment(): Y.XmlFragment {
    return this.doc.getXmlFragment('default')
  }

  /** Set once the server refused the connection for good. */
  get terminalReason(): TerminalReason {
    return this.terminal
  }

  /** Calls `listener` when the terminal reason changes. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(): void {
    for (const listener of this.listeners) listener()
  }

  /** Disconnects and frees the document. */
  destroy(): void {
    this.provider.destroy()
    this.doc.destroy()
  }
}

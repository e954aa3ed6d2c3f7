/**
 * Real y-websocket clients for tests: the stock WebsocketProvider over the `ws` package, with the
 * BroadcastChannel disabled (otherwise providers in one process sync without the server) and the
 * PersistenceTracker attached.
 */

import { addAnnotation, readAnnotations } from '@onetext/shared/annotations'
import { parseDocumentName } from '@onetext/shared/documentNames'
import { PersistenceTracker } from '@onetext/shared/persistenceTracker'
import { PROTOCOL_PARAMS } from '@onetext/shared/protocol'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { findClauseElement } from '../../server/src/negotiation/draftOps'

/** A connected test client. */
export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  tracker: PersistenceTracker
  /** The rich-text fragment every OneText document uses. */
  fragment: Y.XmlFragment
  destroy(): void
}

/** A `ws` WebSocket subclass that copies every received frame into `record`. */
function recordingSocket(record: Uint8Array[]): typeof WebSocket {
  const Recording = class RecordingWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      this.on('message', (data: Buffer) => record.push(new Uint8Array(data)))
    }
  }
  return Recording as unknown as typeof WebSocket
}

/**
 * Connects a client to `docName` on the server at `baseUrl` with `token` (none: anonymous).
 * With `record`, every frame the client receives is also appended to it. `doc` (a new one by
 * default) is the document the client edits: pass another client's to reconnect it elsewhere.
 */
export function connectClient(
  baseUrl: string,
  docName: string,
  token: string | null,
  record?: Uint8Array[],
  doc: Y.Doc = new Y.Doc(),
): TestClient {
  const tracker = new PersistenceTracker()
  const Base = record ? recordingSocket(record) : WebSocket
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/sync`, docName, doc, {
    WebSocketPolyfill: tracker.socketClass(Base) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { ...PROTOCOL_PARAMS, ...(token ? { token } : {}) },
    maxBackoffTime: 200,
  })
  tracker.attach(provider)
  return {
    doc,
    provider,
    tracker,
    fragment: doc.getXmlFragment('default'),
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Resolves when the provider has completed its first sync with the server. */
export function whenSynced(client: TestClient): Promise<void> {
  if (client.provider.synced) return Promise.resolve()
  return new Promise((resolve) => {
    const onSync = (synced: boolean) => {
      if (!synced) return
      client.provider.off('sync', onSync)
      resolve()
    }
    client.provider.on('sync', onSync)
  })
}

/** Resolves with the text of the next refused message the server sends `client`. */
export function nextRefusal(client: TestClient): Promise<string> {
  return new Promise((resolve) => {
    const stop = client.tracker.onRefused((refusal) => {
      stop()
      resolve(refusal.text)
    })
  })
}

/** Resolves with the close event when the provider's connection closes. */
export function whenClosed(client: TestClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    client.provider.on('connection-close', (event) => {
      if (event) resolve({ code: event.code, reason: event.reason })
    })
  })
}

/** Resolves once `predicate(doc)` holds, re-checking after every update. */
export function waitForDoc(doc: Y.Doc, predicate: (doc: Y.Doc) => boolean): Promise<void> {
  if (predicate(doc)) return Promise.resolve()
  return new Promise((resolve) => {
    const check = () => {
      if (!predicate(doc)) return
      doc.off('update', check)
      resolve()
    }
    doc.on('update', check)
  })
}

/** The plain text of a document's rich text (all text nodes, blocks separated by newlines). */
export function plainText(doc: Y.Doc): string {
  const parts: string[] = []
  const walk = (node: Y.XmlElement | Y.XmlFragment | Y.XmlText) => {
    if (node instanceof Y.XmlText) {
      parts.push(
        node
          .toDelta()
          .map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
          .join(''),
      )
      return
    }
    for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText)
    if (node instanceof Y.XmlElement && node.nodeName !== 'clause') parts.push('\n')
  }
  walk(doc.getXmlFragment('default'))
  return parts.join('')
}

/**
 * Appends a paragraph with `text` at the end of the document, as a user typing would: in the body
 * of the last clause (the deepest last one) when the document ends in clauses.
 */
export function appendParagraph(doc: Y.Doc, text: string): void {
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText(text)])
    let parent: Y.XmlFragment | Y.XmlElement = doc.getXmlFragment('default')
    for (;;) {
      const last: unknown = parent.get(parent.length - 1)
      if (!(last instanceof Y.XmlElement) || last.nodeName !== 'clause') break
      parent = last
    }
    parent.insert(parent.length, [paragraph])
  })
}

/**
 * Appends paragraphs of `text` (each numbered) to `doc` until `stop` resolves or `most` were
 * written, yielding to the event loop every ten; resolves with how many were written. For flooding
 * a reader that does not read until the server gives up on it.
 */
export async function appendUntil(
  doc: Y.Doc,
  stop: Promise<unknown>,
  text: string,
  most: number,
): Promise<number> {
  let stopped = false
  void stop.then(() => {
    stopped = true
  })
  let sent = 0
  while (!stopped && sent < most) {
    appendParagraph(doc, `${sent} ${text}`)
    sent++
    if (sent % 10 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  return sent
}

/**
 * Writes `text` into document `docName` as its own clients do: a paragraph in the rich text of a
 * draft, a suggestion copy, caucus notes or the table; an annotation by `author` in a party layer
 * (which holds no rich text).
 */
export function writeMarker(
  doc: Y.Doc,
  docName: string,
  author: { id: string; name: string },
  text: string,
): void {
  const ref = parseDocumentName(docName)
  if (ref?.kind !== 'layer') {
    appendParagraph(doc, text)
    return
  }
  addAnnotation(doc, {
    id: `a-${Math.random().toString(36).slice(2, 10)}`,
    clauseId: 'c-marker',
    iteration: 0,
    quote: '',
    offset: 0,
    kind: 'interest',
    body: text,
    authorId: author.id,
    authorName: author.name,
    partyId: ref.partyId ?? null,
  })
}

/** The text of a document as {@link writeMarker} writes it: its rich text and its annotations. */
export function markerText(doc: Y.Doc): string {
  return [plainText(doc), ...readAnnotations(doc).map((annotation) => annotation.body)].join('\n')
}

/** Appends `text` to the first paragraph of clause `clauseId` in a working draft. */
export function appendToClause(doc: Y.Doc, clauseId: string, text: string): void {
  const paragraph = findClauseElement(doc, clauseId)
    ?.toArray()
    .find((child) => child instanceof Y.XmlElement && child.nodeName === 'paragraph')
  if (!(paragraph instanceof Y.XmlElement)) throw new Error(`no paragraph in clause ${clauseId}`)
  const textNode = paragraph.toArray().find((child) => child instanceof Y.XmlText)
  if (!(textNode instanceof Y.XmlText)) throw new Error(`no text in clause ${clauseId}`)
  textNode.insert(textNode.length, text)
}

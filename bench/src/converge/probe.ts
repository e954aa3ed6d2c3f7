/**
 * A plain client of the convergence run, outside the simulated network: it reads what the server
 * holds of a document (a stock y-websocket provider straight to the server), and waits for copies
 * of a document to agree.
 */
import {
  messageError,
  messagePersisted,
  messageRefused,
  PROTOCOL_PARAMS,
} from '@onetext/shared/protocol'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/** A connected reader of one document. */
export interface Probe {
  doc: Y.Doc
  /** Resolves once the server's copy has arrived (rejects after `timeoutMs`). */
  synced(timeoutMs: number): Promise<void>
  destroy(): void
}

/** The rich text of `doc` as XML (what the run compares). */
export function richTextXml(doc: Y.Doc): string {
  return doc.getXmlFragment(RICH_TEXT_FIELD).toString()
}

/** Connects to `docName` on the server at `url` (http://host:port) as the holder of `token`. */
export function connectProbe(url: string, docName: string, token: string): Probe {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { ...PROTOCOL_PARAMS, token },
    maxBackoffTime: 300,
  })
  // A probe writes nothing: the acknowledgements and errors of OneText's protocol concern it not.
  for (const type of [messagePersisted, messageError, messageRefused])
    provider.messageHandlers[type] = () => {}
  return {
    doc,
    synced: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (provider.synced) {
          resolve()
          return
        }
        const timer = setTimeout(() => {
          provider.off('sync', onSync)
          reject(new Error(`${docName} did not sync within ${timeoutMs} ms`))
        }, timeoutMs)
        const onSync = (synced: boolean) => {
          if (!synced) return
          clearTimeout(timer)
          provider.off('sync', onSync)
          resolve()
        }
        provider.on('sync', onSync)
      }),
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

/**
 * Resolves with true once every doc `docs()` gives holds the same rich text, re-checking after each
 * update of any of them; with false if they still differ after `timeoutMs`.
 */
export function whenAgreeing(docs: () => readonly Y.Doc[], timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const watched = new Set<Y.Doc>()
    const agree = () => {
      const xml = docs().map(richTextXml)
      return xml.every((each) => each === xml[0])
    }
    const finish = (result: boolean) => {
      clearTimeout(timer)
      for (const doc of watched) doc.off('update', check)
      resolve(result)
    }
    const check = () => {
      for (const doc of docs()) {
        if (watched.has(doc)) continue
        watched.add(doc)
        doc.on('update', check)
      }
      if (agree()) finish(true)
    }
    const timer = setTimeout(() => finish(agree()), timeoutMs)
    check()
  })
}

/**
 * A colleague on another machine, for the keystroke benchmark: a Yjs client in the benchmark's own
 * Node process that types into one paragraph of a document, one character at a time, and publishes
 * its caret after each keystroke, as an editor in a browser would. The member's page receives the
 * same updates and carets as from a colleague's browser, but the colleague's own editor (its
 * comparison, its redraws, its layout) takes nothing from the cores the member's page runs on; on
 * this benchmark's two cores a colleague's browser is a second page competing with the member's.
 */
import { PROTOCOL_PARAMS } from '@onetext/shared/protocol'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { paragraphText } from './paragraphTexts'
import { providerSynced } from './targets/providerSynced'

/** A connected colleague. */
export interface NodeColleague {
  /**
   * Types `count` characters, `delayMs` apart, in the middle of its paragraph (each after the
   * one before, as a person typing on); resolves once the last is typed.
   */
  type(character: string, count: number, delayMs: number): Promise<void>
  close(): void
}

/**
 * Connects as the holder of session `token` to `docName` on the server at `baseUrl`, waits until it
 * is synced, and picks the `paragraph`-th paragraph with text to type in.
 */
export async function connectNodeColleague(
  baseUrl: string,
  token: string,
  docName: string,
  paragraph: number,
): Promise<NodeColleague> {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/sync`, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { ...PROTOCOL_PARAMS, token },
  })
  await providerSynced(provider)
  const text = paragraphText(doc, paragraph)
  let at = Math.floor(text.length / 2)
  const keystroke = (character: string) => {
    text.insert(at, character)
    at += character.length
    // Where the caret is, as y-tiptap's caret plugin publishes it.
    const caret = Y.createRelativePositionFromTypeIndex(text, at)
    provider.awareness.setLocalStateField('cursor', { anchor: caret, head: caret })
  }
  return {
    type: (character, count, delayMs) =>
      new Promise((resolve) => {
        let typed = 0
        const next = () => {
          keystroke(character)
          if (++typed >= count) resolve()
          else setTimeout(next, delayMs)
        }
        setTimeout(next, delayMs)
      }),
    close: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

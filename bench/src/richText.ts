/**
 * Writing and finding the benchmarks' text in a document's rich text, the only place a client may
 * write in a OneText working draft (shared/src/documentRoots.ts): the `default` Y.XmlFragment,
 * holding schema-valid blocks (shared/src/schema.ts). A benchmark's text is the Y.XmlText of a
 * `paragraph` element at the top of that fragment. Other content may sit beside it (a OneText draft
 * is never empty), so a benchmark finds its paragraphs by the client ID that created them.
 */
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import * as Y from 'yjs'

/** A new `paragraph` element holding one Y.XmlText with `text` (empty by default). */
export function newParagraph(text = ''): { paragraph: Y.XmlElement; text: Y.XmlText } {
  const paragraph = new Y.XmlElement('paragraph')
  const content = new Y.XmlText(text)
  paragraph.insert(0, [content])
  return { paragraph, text: content }
}

/** Appends a paragraph holding `text` to the rich text of `doc`; returns its (integrated) Y.XmlText. */
export function appendParagraph(doc: Y.Doc, text = ''): Y.XmlText {
  const fragment = doc.getXmlFragment(RICH_TEXT_FIELD)
  const created = newParagraph(text)
  fragment.insert(fragment.length, [created.paragraph])
  return created.text
}

/** The top-level elements of the rich text of `doc` that `client` created, oldest first. */
export function blocksBy(doc: Y.Doc, client: number): Y.XmlElement[] {
  const blocks: Y.XmlElement[] = []
  for (const child of doc.getXmlFragment(RICH_TEXT_FIELD).toArray()) {
    if (child instanceof Y.XmlElement && child._item?.id.client === client) blocks.push(child)
  }
  return blocks.sort((a, b) => (a._item?.id.clock ?? 0) - (b._item?.id.clock ?? 0))
}

/**
 * The Y.XmlText of the `nth` (from 0) top-level paragraph that `client` created in the rich text
 * of `doc`, or null when there is none (yet).
 */
export function paragraphTextBy(doc: Y.Doc, client: number, nth = 0): Y.XmlText | null {
  const first = blocksBy(doc, client)[nth]?.get(0)
  return first instanceof Y.XmlText ? first : null
}

/**
 * The characters of `text`, without markup (Y.XmlText's own `toString` writes its formatting as
 * XML tags).
 */
export function plainText(text: Y.XmlText): string {
  return Y.Text.prototype.toString.call(text)
}

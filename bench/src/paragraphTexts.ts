/**
 * The paragraphs of a benchmark document's rich text as Yjs sees them, for the benchmark's own
 * writers (rawTypist.ts, nodeColleague.ts), which type into a paragraph without an editor.
 */
import { CLAUSE_NODE } from '@onetext/shared/clauses'
import * as Y from 'yjs'

/** The paragraph elements of a clause tree under `parent`, in document order (not in lists). */
function* paragraphs(parent: Y.XmlFragment | Y.XmlElement): Generator<Y.XmlElement> {
  for (const child of parent.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue
    if (child.nodeName === 'paragraph') yield child
    else if (child.nodeName === CLAUSE_NODE) yield* paragraphs(child)
  }
}

/**
 * The text of the `index`-th paragraph (from 0, in document order, through the clauses) of the
 * document's rich text that holds text; RangeError when there are not so many.
 */
export function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  let seen = 0
  for (const block of paragraphs(doc.getXmlFragment('default'))) {
    const text = block.toArray().find((node) => node instanceof Y.XmlText)
    if (!(text instanceof Y.XmlText) || text.length === 0) continue
    if (seen++ === index) return text
  }
  throw new RangeError(`the document has no paragraph ${index} with text`)
}

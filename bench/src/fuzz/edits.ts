/**
 * Edits an honest OneText client makes, through the Yjs API on its own copy of a document: words
 * typed into the rich text (of a draft, notes or a party's suggestion copy), paragraphs, bold, and
 * annotations in the writer's own name.
 * Honest clients type with them alongside the fuzz, and attackers send them (some with a forged
 * author) so that the fuzz also carries updates the gate accepts.
 */
import { ANNOTATIONS_ROOT, addAnnotation } from '@onetext/shared/annotations'
import { CLAUSE_HEADING_NODE, CLAUSE_NODE } from '@onetext/shared/clauses'
import type { DocumentKind } from '@onetext/shared/documentNames'
import * as Y from 'yjs'
import type { FuzzRandom } from './random'

/** Who writes: the identity the server stamps on the writer's session. */
export interface Writer {
  id: string
  name: string
  partyId: string | null
}

/** The text nodes of `parent`'s rich text, depth first (at most `max`). */
export function textNodes(parent: Y.XmlFragment | Y.XmlElement, max = 400): Y.XmlText[] {
  const found: Y.XmlText[] = []
  const stack: Array<Y.XmlFragment | Y.XmlElement> = [parent]
  while (stack.length > 0 && found.length < max) {
    const node = stack.pop() as Y.XmlFragment | Y.XmlElement
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) found.push(child)
      else if (child instanceof Y.XmlElement) stack.push(child)
    }
  }
  return found
}

/** Types `word` (with a space) at a random place of a random text node; false when there is none. */
function typeWord(doc: Y.Doc, random: FuzzRandom): boolean {
  const texts = textNodes(doc.getXmlFragment('default'))
  if (texts.length === 0) return false
  const text = random.pick(texts)
  text.insert(random.int(0, text.length), `${random.word()} `)
  return true
}

/** Deletes a few characters of a random text node; false when there is none to delete. */
function deleteChars(doc: Y.Doc, random: FuzzRandom): boolean {
  const texts = textNodes(doc.getXmlFragment('default')).filter((text) => text.length > 1)
  if (texts.length === 0) return false
  const text = random.pick(texts)
  const at = random.int(0, text.length - 1)
  text.delete(at, Math.min(random.int(1, 6), text.length - at))
  return true
}

/** Makes a few characters of a paragraph or clause heading bold; false when there is no such text. */
function boldRange(doc: Y.Doc, random: FuzzRandom): boolean {
  const texts = textNodes(doc.getXmlFragment('default')).filter(
    (text) =>
      text.length > 2 &&
      text.parent instanceof Y.XmlElement &&
      (text.parent.nodeName === 'paragraph' || text.parent.nodeName === CLAUSE_HEADING_NODE),
  )
  if (texts.length === 0) return false
  const text = random.pick(texts)
  const at = random.int(0, text.length - 2)
  text.format(at, Math.min(random.int(1, 5), text.length - at), { bold: {} })
  return true
}

/**
 * Appends a paragraph of a few words at the end of the rich text: to the body of the last clause
 * (the last in document order holds no child clause, so the paragraph ends it), or to the document
 * when it holds no clause.
 */
export function appendParagraph(doc: Y.Doc, random: FuzzRandom): void {
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(`${random.word()} ${random.word()}`)])
  let container: Y.XmlFragment | Y.XmlElement = doc.getXmlFragment('default')
  for (;;) {
    const last: unknown = container.length > 0 ? container.get(container.length - 1) : null
    if (!(last instanceof Y.XmlElement) || last.nodeName !== CLAUSE_NODE) break
    container = last
  }
  container.insert(container.length, [paragraph])
}

/** Adds an annotation by `author` (in their own name unless the caller forges it). */
export function annotate(doc: Y.Doc, random: FuzzRandom, author: Writer): void {
  addAnnotation(doc, {
    id: `a-${random.int(0, 2 ** 31)}`,
    clauseId: `c-${random.int(1, 40)}`,
    iteration: 0,
    quote: random.word(),
    offset: 0,
    kind: 'question',
    body: random.word(),
    authorId: author.id,
    authorName: author.name,
    partyId: author.partyId,
  })
}

/** Replies to a random annotation in `author`'s name; false when there is none. */
function reply(doc: Y.Doc, random: FuzzRandom, author: Writer): boolean {
  const threads: Y.Array<unknown>[] = []
  for (const annotation of doc.getMap<unknown>(ANNOTATIONS_ROOT).values()) {
    const replies = annotation instanceof Y.Map ? annotation.get('replies') : null
    if (replies instanceof Y.Array) threads.push(replies)
  }
  if (threads.length === 0) return false
  random
    .pick(threads)
    .push([{ authorName: author.name, body: random.word(), at: random.int(0, 2 ** 40) }])
  return true
}

/** An edit that may find nothing to do (false). */
type Edit = (doc: Y.Doc, random: FuzzRandom, author: Writer) => boolean

const paragraphEdit: Edit = (doc, random) => {
  appendParagraph(doc, random)
  return true
}
const annotateEdit: Edit = (doc, random, author) => {
  annotate(doc, random, author)
  return true
}

/** The edits of each kind of document, with their weights and names. */
function editsOf(kind: DocumentKind): Array<readonly [number, readonly [string, Edit]]> {
  const edits: Array<readonly [number, readonly [string, Edit]]> = []
  if (kind === 'draft' || kind === 'caucus' || kind === 'table' || kind === 'suggest') {
    edits.push([6, ['type', typeWord]], [2, ['delete', deleteChars]], [1, ['bold', boldRange]])
    edits.push([1, ['paragraph', paragraphEdit]])
  }
  if (kind === 'caucus' || kind === 'table' || kind === 'layer')
    edits.push([1, ['annotate', annotateEdit]], [1, ['reply', reply]])
  return edits
}

/**
 * Makes one edit an honest client of a `kind` document may make, in one transaction; returns its
 * name ('none' for kinds without client roots, the status). When the chosen edit finds nothing to
 * work on, it adds something instead (a paragraph or an annotation).
 */
export function honestEdit(
  doc: Y.Doc,
  kind: DocumentKind,
  random: FuzzRandom,
  author: Writer,
): string {
  const edits = editsOf(kind)
  if (edits.length === 0) return 'none'
  const [name, edit] = random.weighted(edits)
  let made = name
  doc.transact(() => {
    if (edit(doc, random, author)) return
    if (kind === 'layer') {
      annotateEdit(doc, random, author)
      made = 'annotate'
    } else {
      paragraphEdit(doc, random, author)
      made = 'paragraph'
    }
  })
  return made
}

/**
 * Import of a .docx file straight into ProseMirror JSON of the clause schema. mammoth reads the
 * file into its document model (paragraphs with their style and list numbering, runs with their
 * formatting, hyperlinks, breaks, tables); this module walks that model into the flat outline that
 * `outlineToDoc` nests into clauses:
 *
 * - Word's Title style is a level-1 heading (the title when it comes first); Heading N is a heading
 *   of level N+1, so Heading 1 is an article, Heading 2 its section, and so on down to Heading 9.
 *   A heading's leading clause number ("3.1(a). ") is dropped, since OneText numbers clauses itself.
 * - Other paragraphs are paragraphs whose text keeps bold, italic, underline, strike and links
 *   (an unsafe link target such as `javascript:` is dropped, its text kept). A line break is a
 *   hard break, a tab a space; page and column breaks, images, notes and comments are left out.
 * - Consecutive list paragraphs become bullet or ordered lists, nested by their list level: Word's
 *   own list numbering, or a typed marker ("•", "-", "1.") before a hanging indent, which is how
 *   OneText's DOCX export writes list items, so its files import back with their lists.
 * - A table's cells give their paragraphs in reading order, so no words are lost.
 *
 * Empty paragraphs are dropped, as are white space at either end of a paragraph and the characters
 * XML cannot hold. Clause ids are not given here.
 */

import { isSafeHref } from '@onetext/shared/attributePolicy'
import { type OutlineHeading, outlineToDoc } from '@onetext/shared/clauses'
import { HEADING_NUMBER } from '@onetext/shared/markdown'
import { getDocumentSchema } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import mammoth from 'mammoth'
import { exportableText } from './documentBlocks'

/** The part of mammoth's document model (its `lib/documents.js`) that the import reads. */
interface WordElement {
  type: string
  children?: WordElement[]
  styleId?: string | null
  styleName?: string | null
  numbering?: { level: string; isOrdered: boolean } | null
  indent?: { start: string | null; hanging: string | null }
  isBold?: boolean
  isItalic?: boolean
  isUnderline?: boolean
  isStrikethrough?: boolean
  value?: string
  href?: string
  breakType?: string
  checked?: boolean
}

interface MarkJson {
  type: string
  attrs?: Record<string, unknown>
}

/** A paragraph of a list, with its list's kind and its nesting level (0 at the top). */
interface ListEntry {
  level: number
  ordered: boolean
  start: number
  paragraph: JSONContent
}

/** A typed list marker at the start of a paragraph: a bullet, or a number with "." or ")". */
const TYPED_MARKER = /^(?:[•\-*–·]|(\d{1,6})[.)])\s+/
/** The indent step of OneText's DOCX export's list items, in twentieths of a point. */
const LIST_INDENT_STEP = 360

/** The document model of a .docx file. Throws RangeError when the file cannot be read. */
async function readWordDocument(bytes: Buffer): Promise<WordElement> {
  const read: { document?: WordElement } = {}
  try {
    await mammoth.convertToHtml(
      { buffer: bytes },
      {
        transformDocument: (document: WordElement) => {
          read.document = document
          // The walk below is the conversion: mammoth's HTML writer is given nothing to write.
          return { ...document, children: [] }
        },
      },
    )
  } catch (error) {
    throw new RangeError(
      `The file is not a readable .docx document (${error instanceof Error ? error.message : String(error)}).`,
    )
  }
  if (!read.document) throw new RangeError('The file is not a readable .docx document.')
  return read.document
}

let markOrder: readonly string[] | null = null

/** `marks` in the schema's order, the order ProseMirror keeps a text node's marks in. */
function sortedMarks(marks: readonly MarkJson[]): MarkJson[] {
  markOrder ??= Object.keys(getDocumentSchema().marks)
  const order = markOrder
  return [...marks].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type))
}

/** Appends `text` with `marks`, merged into the text node before it when that has the same marks. */
function pushText(out: JSONContent[], raw: string, marks: readonly MarkJson[]): void {
  const text = exportableText(raw).replace(/\r\n|[\t\r\n]/g, ' ')
  if (text === '') return
  const last = out.at(-1)
  const sameMarks = JSON.stringify(last?.marks ?? []) === JSON.stringify(marks)
  if (last?.type === 'text' && sameMarks) last.text = `${last.text ?? ''}${text}`
  else out.push({ type: 'text', text, ...(marks.length > 0 ? { marks: [...marks] } : {}) })
}

/** The marks a run adds to those of what holds it (a hyperlink). */
function runMarks(run: WordElement, outer: readonly MarkJson[]): MarkJson[] {
  const marks = [...outer]
  if (run.isBold) marks.push({ type: 'bold' })
  if (run.isItalic) marks.push({ type: 'italic' })
  if (run.isUnderline) marks.push({ type: 'underline' })
  if (run.isStrikethrough) marks.push({ type: 'strike' })
  return sortedMarks(marks)
}

/** Appends the inline content of `element` (a paragraph's child or descendant) to `out`. */
function inline(element: WordElement, marks: readonly MarkJson[], out: JSONContent[]): void {
  let inner = marks
  switch (element.type) {
    case 'text':
      pushText(out, element.value ?? '', marks)
      return
    case 'tab':
      pushText(out, ' ', marks)
      return
    case 'checkbox':
      pushText(out, element.checked ? '☒' : '☐', marks)
      return
    case 'break':
      if (element.breakType === 'line') out.push({ type: 'hardBreak' })
      return
    case 'run':
      inner = runMarks(element, marks)
      break
    case 'hyperlink':
      if (element.href && isSafeHref(element.href) && !marks.some((m) => m.type === 'link'))
        inner = sortedMarks([...marks, { type: 'link', attrs: { href: element.href } }])
      break
  }
  for (const child of element.children ?? []) inline(child, inner, out)
}

/** The text the inline nodes start with, up to the first node that is not text. */
function leadingText(nodes: readonly JSONContent[]): string {
  let text = ''
  for (const node of nodes) {
    if (node.type !== 'text') break
    text += node.text ?? ''
  }
  return text
}

/** The inline nodes without their first `count` characters. */
function dropLeading(nodes: readonly JSONContent[], count: number): JSONContent[] {
  let rest = count
  const out: JSONContent[] = []
  for (const node of nodes) {
    if (rest > 0 && node.type === 'text') {
      const text = node.text ?? ''
      const kept = text.slice(rest)
      rest = Math.max(0, rest - text.length)
      if (kept !== '') out.push({ ...node, text: kept })
    } else out.push(node)
  }
  return out
}

/** The inline nodes without white space and line breaks at either end. */
function trimInline(nodes: readonly JSONContent[]): JSONContent[] {
  const out = dropLeading(nodes, /^\s*/.exec(leadingText(nodes))?.[0].length ?? 0)
  while (out[0]?.type === 'hardBreak') out.shift()
  for (let last = out.at(-1); last; last = out.at(-1)) {
    if (last.type === 'hardBreak') out.pop()
    else if (last.type !== 'text') break
    else {
      const text = (last.text ?? '').trimEnd()
      if (text !== '') {
        out[out.length - 1] = { ...last, text }
        break
      }
      out.pop()
    }
  }
  return out
}

/** The outline level of a paragraph's style: 1 for Title, N+1 for Heading N; null otherwise. */
function headingLevel(paragraph: WordElement): number | null {
  for (const name of [paragraph.styleName, paragraph.styleId]) {
    const style = (name ?? '').trim()
    if (/^title$/i.test(style)) return 1
    const heading = /^heading\s*([1-9])$/i.exec(style)
    if (heading) return Number(heading[1]) + 1
  }
  return null
}

function paragraphNode(content: JSONContent[]): JSONContent {
  return { type: 'paragraph', content }
}

/** One paragraph as an outline item or a list entry; null when it holds no words. */
function paragraphItem(
  paragraph: WordElement,
): { item: JSONContent | OutlineHeading } | { entry: ListEntry } | null {
  const nodes: JSONContent[] = []
  for (const child of paragraph.children ?? []) inline(child, [], nodes)
  let content = trimInline(nodes)
  if (!content.some((node) => node.type === 'text')) return null
  const level = headingLevel(paragraph)
  if (level !== null) {
    const number = level >= 2 ? HEADING_NUMBER.exec(leadingText(content)) : null
    if (number) content = trimInline(dropLeading(content, number[0].length))
    if (content.length === 0) return null
    return { item: { type: 'outlineHeading', level, content } }
  }
  if (paragraph.numbering) {
    const { isOrdered, level: listLevel } = paragraph.numbering
    const entry = { level: Number(listLevel) || 0, ordered: isOrdered, start: 1 }
    return { entry: { ...entry, paragraph: paragraphNode(content) } }
  }
  const typed = paragraph.indent?.hanging ? TYPED_MARKER.exec(leadingText(content)) : null
  if (typed) {
    const rest = trimInline(dropLeading(content, typed[0].length))
    const indent = Number(paragraph.indent?.start ?? 0) || 0
    const entry = {
      level: Math.max(0, Math.round(indent / LIST_INDENT_STEP) - 2),
      ordered: typed[1] !== undefined,
      start: typed[1] !== undefined ? Number(typed[1]) : 1,
    }
    if (rest.length > 0) return { entry: { ...entry, paragraph: paragraphNode(rest) } }
  }
  return { item: paragraphNode(content) }
}

/** Nests consecutive list entries into lists: a deeper entry opens a list in the item before it. */
function nestLists(entries: readonly ListEntry[]): JSONContent[] {
  const lists: JSONContent[] = []
  const open: Array<{ level: number; list: JSONContent }> = []
  for (const entry of entries) {
    while ((open.at(-1)?.level ?? -1) > entry.level) open.pop()
    let top = open.at(-1)
    if (top?.level === entry.level && (top.list.type === 'orderedList') !== entry.ordered) {
      open.pop()
      top = open.at(-1)
    }
    if (top?.level !== entry.level) {
      const list: JSONContent = {
        type: entry.ordered ? 'orderedList' : 'bulletList',
        ...(entry.ordered && entry.start !== 1 ? { attrs: { start: entry.start } } : {}),
        content: [],
      }
      const parentItem = top?.list.content?.at(-1)
      if (parentItem) parentItem.content?.push(list)
      else lists.push(list)
      top = { level: entry.level, list }
      open.push(top)
    }
    top.list.content?.push({ type: 'listItem', content: [entry.paragraph] })
  }
  return lists
}

/** The flat outline of a Word document model: its paragraphs, in reading order. */
function wordOutline(document: WordElement): Array<JSONContent | OutlineHeading> {
  const items: Array<JSONContent | OutlineHeading> = []
  let entries: ListEntry[] = []
  const closeList = () => {
    items.push(...nestLists(entries))
    entries = []
  }
  const visit = (element: WordElement) => {
    if (element.type !== 'paragraph') {
      // The document, and a table's rows and cells: their paragraphs in order.
      for (const child of element.children ?? []) visit(child)
      return
    }
    const read = paragraphItem(element)
    if (read === null) return
    if ('entry' in read) entries.push(read.entry)
    else {
      closeList()
      items.push(read.item)
    }
  }
  visit(document)
  closeList()
  return items
}

/**
 * A .docx file as a `doc` node of the clause schema (without clause ids), keeping its headings as
 * the clause tree and its formatting, links and lists. Throws RangeError when the file cannot be
 * read as a .docx document.
 */
export async function docxToDoc(bytes: Buffer): Promise<JSONContent> {
  return outlineToDoc(wordOutline(await readWordDocument(bytes)))
}

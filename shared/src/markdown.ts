/**
 * Markdown to ProseMirror JSON for the subset a contract text uses: ATX headings (`#` to `######`,
 * clause numbers stripped from levels 2-6 since the clause model numbers them),
 * paragraphs, bullet lists (`-`, `*`), ordered lists (`1.`, with their start number), and inline
 * `**bold**` and `*italic*` / `_italic_`. Anything else is kept as plain paragraph text, so no
 * words are ever lost.
 */
import type { JSONContent } from '@tiptap/core'
import { type OutlineHeading, outlineToDoc } from './clauses'

const HEADING = /^(#{1,6})\s+(.*)$/
const BULLET = /^\s*[-*]\s+(.*)$/
const ORDERED = /^\s*(\d+)[.)]\s+(.*)$/
/**
 * A leading clause number of a heading, with the white space after it: "3.", "3.1", "3.1(a)",
 * "3.1(a)(ii)", "3.1(a)(ii)(1)", "Article 3.", "Section 3.1:". Every import drops it, since the
 * clause model numbers clauses itself.
 */
export const HEADING_NUMBER =
  /^(?:(?:article|section)\s+)?\d+(?:\.\d+)*(?:\([a-z0-9]+\))*[.:)]?\s+/i

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: string[] }

/** Splits bold/italic markers into text nodes with marks. */
export function parseInline(text: string): JSONContent[] {
  const nodes: JSONContent[] = []
  const pattern = /\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)(.+?)\*(?![\w*])|(?<!\w)_(?!\s)(.+?)_(?!\w)/g
  let last = 0
  for (const match of text.matchAll(pattern)) {
    const index = match.index ?? 0
    if (index > last) nodes.push({ type: 'text', text: text.slice(last, index) })
    const bold = match[1]
    const italic = match[2] ?? match[3]
    if (bold !== undefined) nodes.push({ type: 'text', text: bold, marks: [{ type: 'bold' }] })
    else if (italic !== undefined)
      nodes.push({ type: 'text', text: italic, marks: [{ type: 'italic' }] })
    last = index + match[0].length
  }
  if (last < text.length) nodes.push({ type: 'text', text: text.slice(last) })
  return nodes.filter((node) => node.text !== '')
}

function readBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  let paragraph: string[] = []
  let list: Extract<Block, { kind: 'list' }> | null = null
  const flushParagraph = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') })
    paragraph = []
  }
  const closeList = () => {
    if (list) blocks.push(list)
    list = null
  }
  for (const rawLine of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = rawLine.trimEnd()
    if (line.trim() === '') {
      flushParagraph()
      continue
    }
    const heading = HEADING.exec(line)
    const bullet = BULLET.exec(line)
    const ordered = ORDERED.exec(line)
    if (heading?.[1] && heading[2] !== undefined) {
      flushParagraph()
      closeList()
      const level = heading[1].length
      // Clause numbers are computed, not stored: "## 3. Decision-Making" becomes "Decision-Making".
      const text = level >= 2 ? heading[2].trim().replace(HEADING_NUMBER, '') : heading[2].trim()
      blocks.push({ kind: 'heading', level, text })
    } else if (
      bullet?.[1] !== undefined ||
      (ordered?.[1] !== undefined && ordered[2] !== undefined)
    ) {
      flushParagraph()
      const isOrdered = bullet === null
      const text = (isOrdered ? ordered?.[2] : bullet?.[1]) ?? ''
      // A blank line between items of the same kind keeps one (loose) list.
      if (!list || list.ordered !== isOrdered) {
        closeList()
        list = {
          kind: 'list',
          ordered: isOrdered,
          start: isOrdered ? Number(ordered?.[1]) : 1,
          items: [],
        }
      }
      list.items.push(text.trim())
    } else {
      if (list && paragraph.length === 0 && /^\s+/.test(rawLine)) {
        // An indented continuation line belongs to the last list item.
        const items: string[] = list.items
        items[items.length - 1] = `${items[items.length - 1] ?? ''} ${line.trim()}`
        continue
      }
      closeList()
      paragraph.push(line.trim())
    }
  }
  flushParagraph()
  closeList()
  return blocks
}

function paragraphNode(text: string): JSONContent {
  const content = parseInline(text)
  return content.length > 0 ? { type: 'paragraph', content } : { type: 'paragraph' }
}

/**
 * Converts Markdown to a ProseMirror `doc` node of the clause schema: a first `#` heading is the
 * title, and `##` to `######` headings open clauses nested by level ({@link outlineToDoc}). Clause
 * ids are not given here.
 */
export function markdownToDoc(markdown: string): JSONContent {
  const items = readBlocks(markdown).map((block): JSONContent | OutlineHeading => {
    if (block.kind === 'heading') {
      return { type: 'outlineHeading', level: block.level, content: parseInline(block.text) }
    }
    if (block.kind === 'paragraph') return paragraphNode(block.text)
    return {
      type: block.ordered ? 'orderedList' : 'bulletList',
      ...(block.ordered ? { attrs: { start: block.start } } : {}),
      content: block.items.map((item) => ({ type: 'listItem', content: [paragraphNode(item)] })),
    }
  })
  return outlineToDoc(items)
}

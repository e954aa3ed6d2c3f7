/**
 * A document flattened into the blocks the DOCX and PDF exports write, walking the clause tree in
 * document order: the title, the blocks before the first clause, then each clause's heading (with
 * its computed number and its depth in the tree) and its children, body blocks and child clauses
 * in the order they stand (body blocks normally first), then any blocks after the last clause.
 * Paragraphs and list items are lists of styled runs.
 */

import { isSafeHref } from '@onetext/shared/attributePolicy'
import {
  CLAUSE_HEADING_NODE,
  clauseIdOf,
  clauseLevel,
  clauseNumber,
  isClause,
  TITLE_NODE,
} from '@onetext/shared/clauses'
import type { JSONContent } from '@tiptap/core'

/** A piece of text with its marks. */
export interface Run {
  text: string
  bold: boolean
  italic: boolean
  underline: boolean
  strike: boolean
  /** The link's target when the text is a link (only what the attribute policy allows); else null. */
  href: string | null
}

/** One block to write. */
export interface Block {
  kind: 'title' | 'heading' | 'paragraph' | 'item'
  /**
   * For a heading, the clause's depth in the tree (1 for a top-level clause, 2 for its children, as
   * deep as the text goes); for a list item, its list's nesting (1 for a list of the body); 0 for
   * the title and paragraphs.
   */
  depth: number
  /** Heading level: 1 for the title, {@link clauseLevel} of the depth for a clause; 0 otherwise. */
  level: number
  /** "3.1." for clause 3.1 (its number as the HTML and Markdown show it), "•" or "2." for list items; empty otherwise. */
  marker: string
  /** The clause's stable id, for a heading; null otherwise (and for a clause without one). */
  clauseId: string | null
  runs: Run[]
}

/** Characters XML 1.0 does not allow anywhere (controls, lone surrogates, U+FFFE, U+FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/**
 * `text` without the characters XML 1.0 forbids: a DOCX holding one is refused by Word, and PDF
 * fonts have no glyph for them. Every text the exports write goes through it.
 */
export function exportableText(text: string): string {
  return text.replace(NOT_XML, '')
}

const LINE_BREAK: Run = {
  text: '\n',
  bold: false,
  italic: false,
  underline: false,
  strike: false,
  href: null,
}

function runs(nodes: readonly JSONContent[] | undefined): Run[] {
  return (nodes ?? []).map((node) => {
    const marks = new Set((node.marks ?? []).map((mark) => mark.type))
    const href = node.marks?.find((mark) => mark.type === 'link')?.attrs?.href
    return {
      text: node.type === 'hardBreak' ? '\n' : exportableText(node.text ?? ''),
      bold: marks.has('bold'),
      italic: marks.has('italic'),
      underline: marks.has('underline'),
      strike: marks.has('strike'),
      href: typeof href === 'string' && href !== '' && isSafeHref(href) ? href : null,
    }
  })
}

function textBlock(
  kind: 'paragraph' | 'item',
  depth: number,
  marker: string,
  inline: Run[],
): Block {
  return { kind, depth, level: 0, marker, clauseId: null, runs: inline }
}

/** The blocks of one body block: a paragraph, or a list's items (nested lists one deeper). */
function bodyBlocks(node: JSONContent, listDepth: number, out: Block[]): void {
  if (node.type === 'bulletList' || node.type === 'orderedList') {
    const first = Number(node.attrs?.start ?? 1)
    const start = Number.isSafeInteger(first) ? first : 1
    ;(node.content ?? []).forEach((item, index) => {
      const marker = node.type === 'bulletList' ? '•' : `${start + index}.`
      const children = item.content ?? []
      const inline = children.filter((child) => child.type === 'paragraph')
      const pieces: Run[] = []
      inline.forEach((paragraph, at) => {
        if (at > 0) pieces.push(LINE_BREAK)
        pieces.push(...runs(paragraph.content))
      })
      out.push(textBlock('item', listDepth + 1, marker, pieces))
      for (const child of children) {
        if (child.type !== 'paragraph') bodyBlocks(child, listDepth + 1, out)
      }
    })
    return
  }
  if (node.type === 'blockquote') {
    for (const child of node.content ?? []) bodyBlocks(child, listDepth, out)
    return
  }
  if (node.type === 'horizontalRule') return
  out.push(textBlock('paragraph', 0, '', runs(node.content)))
}

/** Writes the blocks of a clause numbered `number` at `depth` and of its children, in order. */
function clauseBlocks(node: JSONContent, number: string, depth: number, out: Block[]): void {
  let index = 0
  for (const child of node.content ?? []) {
    if (child.type === CLAUSE_HEADING_NODE) {
      out.push({
        kind: 'heading',
        depth,
        level: clauseLevel(depth),
        marker: `${number}.`,
        clauseId: clauseIdOf(node),
        runs: runs(child.content),
      })
    } else if (isClause(child)) {
      clauseBlocks(child, clauseNumber(number, depth + 1, index++), depth + 1, out)
    } else bodyBlocks(child, 0, out)
  }
}

/** Flattens a ProseMirror JSON document of the clause schema into blocks, in reading order. */
export function documentBlocks(doc: JSONContent): Block[] {
  const blocks: Block[] = []
  let index = 0
  for (const node of doc.content ?? []) {
    if (node.type === TITLE_NODE) {
      blocks.push({
        kind: 'title',
        depth: 0,
        level: 1,
        marker: '',
        clauseId: null,
        runs: runs(node.content),
      })
    } else if (isClause(node)) clauseBlocks(node, clauseNumber(null, 1, index++), 1, blocks)
    else bodyBlocks(node, 0, blocks)
  }
  return blocks
}

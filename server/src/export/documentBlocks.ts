/**
 * A document flattened into the blocks every export format writes: headings with their computed
 * clause numbers, paragraphs and list items with their markers, each a list of styled runs.
 */

import {
  clauseBody,
  clauseHeadingOf,
  clauseLevel,
  forEachClause,
  isClause,
  TITLE_NODE,
} from '@onetext/shared/clauses'
import type { JSONContent } from '@tiptap/core'

/** A piece of text with its marks. */
export interface Run {
  text: string
  bold: boolean
  italic: boolean
}

/** One block to write. */
export interface Block {
  kind: 'title' | 'heading' | 'paragraph' | 'item'
  /** Heading level (1-4) for titles and headings. */
  level: number
  /** "3." for clause 3, "-" or "2." for list items; empty otherwise. */
  marker: string
  runs: Run[]
}

function runs(nodes: readonly JSONContent[] | undefined): Run[] {
  return (nodes ?? []).map((node) => {
    const marks = new Set((node.marks ?? []).map((mark) => mark.type))
    return {
      text: node.type === 'hardBreak' ? '\n' : (node.text ?? ''),
      bold: marks.has('bold'),
      italic: marks.has('italic'),
    }
  })
}

function bodyBlocks(node: JSONContent, blocks: Block[]): void {
  if (node.type === 'bulletList' || node.type === 'orderedList') {
    const start = Number(node.attrs?.start ?? 1)
    ;(node.content ?? []).forEach((item, index) => {
      const marker = node.type === 'bulletList' ? '•' : `${start + index}.`
      const inline = (item.content ?? []).flatMap((child) => child.content ?? [])
      blocks.push({ kind: 'item', level: 0, marker, runs: runs(inline) })
    })
  } else {
    blocks.push({ kind: 'paragraph', level: 0, marker: '', runs: runs(node.content) })
  }
}

/** Flattens a ProseMirror JSON document into blocks. */
export function documentBlocks(doc: JSONContent): Block[] {
  const blocks: Block[] = []
  for (const node of doc.content ?? []) {
    if (node.type === TITLE_NODE)
      blocks.push({ kind: 'title', level: 1, marker: '', runs: runs(node.content) })
    else if (!isClause(node)) bodyBlocks(node, blocks)
  }
  forEachClause(doc, ({ node, number, depth }) => {
    blocks.push({
      kind: 'heading',
      level: clauseLevel(depth),
      marker: `${number}.`,
      runs: runs(clauseHeadingOf(node)?.content),
    })
    for (const block of clauseBody(node)) bodyBlocks(block, blocks)
  })
  return blocks
}

/**
 * DOCX exports: an iteration as a Word document, and a blackline of one iteration against another
 * with real tracked changes (`w:ins` / `w:del`), so that Word shows them as revisions.
 */

import type { ClauseDiff } from '@onetext/shared/clauseDiff'
import {
  DeletedTextRun,
  Document,
  HeadingLevel,
  InsertedTextRun,
  Packer,
  Paragraph,
  TextRun,
} from 'docx'
import type { Block } from './documentBlocks'

const HEADINGS = [
  HeadingLevel.TITLE,
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
] as const

function paragraph(block: Block): Paragraph {
  const children = [
    ...(block.marker ? [new TextRun({ text: `${block.marker} ` })] : []),
    ...block.runs.map(
      (run) => new TextRun({ text: run.text, bold: run.bold, italics: run.italic }),
    ),
  ]
  if (block.kind === 'title' || block.kind === 'heading') {
    return new Paragraph({ heading: HEADINGS[Math.min(3, Math.max(0, block.level - 1))], children })
  }
  return new Paragraph({
    children,
    ...(block.kind === 'item' ? { indent: { left: 720, hanging: 360 } } : {}),
  })
}

/** The document as DOCX bytes. */
export async function blocksToDocx(title: string, blocks: readonly Block[]): Promise<Buffer> {
  const document = new Document({
    title,
    creator: 'OneText',
    sections: [{ children: blocks.map(paragraph) }],
  })
  return Packer.toBuffer(document)
}

/** A blackline: each clause's heading, then its words with insertions and deletions as revisions. */
export async function blacklineDocx(
  title: string,
  clauses: readonly ClauseDiff[],
  author: string,
): Promise<Buffer> {
  const date = new Date().toISOString()
  let revision = 1
  const children: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(title)] }),
  ]
  for (const clause of clauses) {
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        children: [new TextRun(`${clause.number}. ${clause.heading}`)],
      }),
    )
    // One paragraph per line of the clause, each run inserted, deleted or unchanged.
    let current: Array<TextRun | InsertedTextRun | DeletedTextRun> = []
    const flush = () => {
      children.push(new Paragraph({ children: current }))
      current = []
    }
    const headingLine = `${clause.heading}\n`
    clause.ops.forEach(([kind, raw], index) => {
      const text =
        index === 0 && kind === '=' && raw.startsWith(headingLine)
          ? raw.slice(headingLine.length)
          : raw
      text.split('\n').forEach((piece, lineIndex) => {
        if (lineIndex > 0) flush()
        if (piece === '') return
        if (kind === '+')
          current.push(new InsertedTextRun({ text: piece, id: revision++, author, date }))
        else if (kind === '-')
          current.push(new DeletedTextRun({ text: piece, id: revision++, author, date }))
        else current.push(new TextRun(piece))
      })
    })
    flush()
  }
  return Packer.toBuffer(new Document({ title, creator: 'OneText', sections: [{ children }] }))
}

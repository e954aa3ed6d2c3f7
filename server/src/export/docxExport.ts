/**
 * DOCX exports: an iteration as a Word document that keeps the clause tree, and a blackline of one
 * iteration against another with real tracked changes (`w:ins` / `w:del`), so that Word shows them
 * as revisions.
 *
 * A clause at depth d is a paragraph in Word's built-in style "Heading d" (Heading 9 below depth
 * 9) with outline level d-1 set on the paragraph and on the style, so Word's navigation pane and
 * table of contents show the tree. The clause's number is text before its heading ("3.1(a). "),
 * exactly as the HTML and Markdown exports show it, rather than Word's own multilevel numbering,
 * which would renumber on its own terms when the file is edited.
 */

import type { ClauseDiff } from '@onetext/shared/clauseDiff'
import {
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  InsertedTextRun,
  type IParagraphStyleOptions,
  Packer,
  Paragraph,
  TextRun,
} from 'docx'
import { type Block, exportableText, type Run } from './documentBlocks'

/** The deepest outline level Word has (outline levels 0-8, styles Heading 1 to Heading 9). */
const WORD_OUTLINE_LEVELS = 9

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const

/** Word's outline level (0-based) of a clause at `depth` (1 for a top-level clause). */
export function wordOutlineLevel(depth: number): number {
  return Math.min(WORD_OUTLINE_LEVELS, Math.max(1, depth)) - 1
}

/** The id of Word's built-in heading style for a clause at `depth`: Heading1 to Heading9. */
export function wordHeadingStyle(depth: number): string {
  return `Heading${wordOutlineLevel(depth) + 1}`
}

/** The heading styles with their outline levels: Heading 1-6 restyled, Heading 7-9 added. */
const STYLES = {
  default: Object.fromEntries(
    HEADINGS.map((_, index) => [`heading${index + 1}`, { paragraph: { outlineLevel: index } }]),
  ),
  paragraphStyles: [7, 8, 9].map(
    (level): IParagraphStyleOptions => ({
      id: `Heading${level}`,
      name: `heading ${level}`,
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      paragraph: { outlineLevel: level - 1, keepNext: true, spacing: { before: 120 } },
      run: { bold: true, italics: level === 7, color: '1F4D78' },
    }),
  ),
}

/** A run as Word runs: a line break inside it starts the next piece on a new line. */
function textRuns(run: Run): TextRun[] {
  const options = {
    bold: run.bold,
    italics: run.italic,
    strike: run.strike,
    ...(run.underline ? { underline: {} } : {}),
  }
  return run.text
    .split('\n')
    .map((text, index) => new TextRun({ text, ...options, ...(index > 0 ? { break: 1 } : {}) }))
}

/** A run as Word writes it: a link is a hyperlink holding the run's pieces. */
function runChildren(run: Run): Array<TextRun | ExternalHyperlink> {
  if (run.href === null) return textRuns(run)
  return [new ExternalHyperlink({ link: run.href, children: textRuns(run) })]
}

function paragraph(block: Block): Paragraph {
  const children = [
    ...(block.marker ? [new TextRun({ text: `${block.marker} ` })] : []),
    ...block.runs.flatMap(runChildren),
  ]
  if (block.kind === 'title') return new Paragraph({ heading: HeadingLevel.TITLE, children })
  if (block.kind === 'heading') {
    return new Paragraph({
      style: wordHeadingStyle(block.depth),
      outlineLevel: wordOutlineLevel(block.depth),
      keepNext: true,
      children,
    })
  }
  if (block.kind === 'item') {
    const left = 360 + 360 * Math.max(1, block.depth)
    return new Paragraph({ children, indent: { left, hanging: 360 } })
  }
  return new Paragraph({ children })
}

/** The document as DOCX bytes. */
export async function blocksToDocx(title: string, blocks: readonly Block[]): Promise<Buffer> {
  const document = new Document({
    title: exportableText(title),
    creator: 'OneText',
    styles: STYLES,
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
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(exportableText(title))] }),
  ]
  for (const clause of clauses) {
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        children: [new TextRun(exportableText(`${clause.number}. ${clause.heading}`))],
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
      exportableText(text)
        .split('\n')
        .forEach((piece, lineIndex) => {
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
  return Packer.toBuffer(
    new Document({ title: exportableText(title), creator: 'OneText', sections: [{ children }] }),
  )
}

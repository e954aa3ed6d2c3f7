/**
 * PDF exports (pdfkit, standard Times fonts): an iteration, its clause headings sized and indented
 * by their depth in the clause tree, and a blackline with insertions underlined in blue and
 * deletions struck through in red.
 */

import type { ClauseDiff } from '@onetext/shared/clauseDiff'
import PDFDocument from 'pdfkit'
import type { Block, Run } from './documentBlocks'

/** Collects the document's bytes; call the returned function once everything is written. */
function collect(document: PDFKit.PDFDocument): () => Promise<Buffer> {
  const chunks: Buffer[] = []
  document.on('data', (chunk: Buffer) => chunks.push(chunk))
  const ended = new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)))
    document.on('error', reject)
  })
  return () => {
    document.end()
    return ended
  }
}

const PLAIN: Run = {
  text: '',
  bold: false,
  italic: false,
  underline: false,
  strike: false,
  href: null,
}

function font(run: { bold: boolean; italic: boolean }): string {
  if (run.bold && run.italic) return 'Times-BoldItalic'
  if (run.bold) return 'Times-Bold'
  if (run.italic) return 'Times-Italic'
  return 'Times-Roman'
}

/** Font size of a clause heading at `depth`: 14 for an article, then smaller, 11.5 at the least. */
function headingSize(depth: number): number {
  return Math.max(11.5, 15 - depth)
}

/** Left indent, in points, of a clause heading at `depth`: none for articles and sections. */
function headingIndent(depth: number): number {
  return Math.max(0, depth - 2) * 18
}

/** The document as PDF bytes. */
export function blocksToPdf(title: string, blocks: readonly Block[]): Promise<Buffer> {
  const document = new PDFDocument({
    size: 'LETTER',
    margin: 72,
    info: { Title: title, Creator: 'OneText' },
  })
  const done = collect(document)
  for (const block of blocks) {
    if (block.kind === 'title' || block.kind === 'heading') {
      const size = block.kind === 'title' ? 18 : headingSize(block.depth)
      document.moveDown(block.kind === 'title' || block.depth <= 1 ? 0.6 : 0.4)
      document.font(block.depth >= 4 ? 'Times-BoldItalic' : 'Times-Bold').fontSize(size)
      // The whole heading shifts right by its depth's indent, wrapped lines too.
      const left = document.page.margins.left
      const shift = block.kind === 'heading' ? headingIndent(block.depth) : 0
      const width = document.page.width - left - document.page.margins.right - shift
      document.text(
        `${block.marker ? `${block.marker} ` : ''}${block.runs.map((run) => run.text).join('')}`,
        left + shift,
        document.y,
        { width },
      )
      document.x = left
      document.moveDown(0.3)
      continue
    }
    document.fontSize(11)
    const indent = block.kind === 'item' ? 24 * Math.max(1, block.depth) : 0
    const pieces = block.marker
      ? [{ ...PLAIN, text: `${block.marker} ` }, ...block.runs]
      : block.runs
    if (pieces.length === 0) {
      document.moveDown(0.5)
      continue
    }
    pieces.forEach((run, index) => {
      document.font(font(run)).text(run.text, {
        continued: index < pieces.length - 1,
        indent,
        underline: run.underline,
        strike: run.strike,
      })
    })
    document.moveDown(0.4)
  }
  return done()
}

/** A blackline of clauses as PDF bytes. */
export function blacklinePdf(title: string, clauses: readonly ClauseDiff[]): Promise<Buffer> {
  const document = new PDFDocument({
    size: 'LETTER',
    margin: 72,
    info: { Title: title, Creator: 'OneText' },
  })
  const done = collect(document)
  document.font('Times-Bold').fontSize(18).text(title).moveDown(0.5)
  for (const clause of clauses) {
    document
      .moveDown(0.5)
      .font('Times-Bold')
      .fontSize(13)
      .fillColor('black')
      .text(`${clause.number}. ${clause.heading}`)
    document.font('Times-Roman').fontSize(11)
    const headingLine = `${clause.heading}\n`
    const ops = clause.ops.map(([kind, text], index) =>
      index === 0 && kind === '=' && text.startsWith(headingLine)
        ? ([kind, text.slice(headingLine.length)] as const)
        : ([kind, text] as const),
    )
    ops.forEach(([kind, text], index) => {
      const color = kind === '+' ? '#1d4ed8' : kind === '-' ? '#b42318' : 'black'
      document.fillColor(color).text(text, {
        continued: index < ops.length - 1,
        underline: kind === '+',
        strike: kind === '-',
      })
    })
    document.fillColor('black').moveDown(0.3)
  }
  return done()
}

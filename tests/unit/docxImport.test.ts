/**
 * A .docx imports straight into the clause tree's JSON: Word's Title and Heading styles give the
 * title and nested clauses (their typed numbers dropped), runs keep bold, italic, underline, strike
 * and safe links, Word lists become lists, tables give their cells' paragraphs, line breaks stay
 * hard breaks; the DOCX export of a clause tree imports back to the same clauses, headings and marks.
 */
import { clauseTree, extractClauses } from '@onetext/shared/clauses'
import { getDocumentSchema } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import {
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Tab,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx'
import { describe, expect, it } from 'vitest'
import { documentBlocks } from '../../server/src/export/documentBlocks'
import { blocksToDocx } from '../../server/src/export/docxExport'
import { docxToDoc } from '../../server/src/export/docxImport'
import { clause, doc, paragraph, title } from '../helpers/docJson'

function text(value: string, ...marks: string[]): JSONContent {
  return {
    type: 'text',
    text: value,
    ...(marks.length > 0 ? { marks: marks.map((type) => ({ type })) } : {}),
  }
}

/** A Word file with every construct the import reads. */
async function sampleDocx(): Promise<Buffer> {
  const document = new Document({
    numbering: {
      config: [
        {
          reference: 'numbered',
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.' }],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, text: 'Framework Agreement' }),
          new Paragraph('Preamble words.'),
          new Paragraph({ heading: HeadingLevel.HEADING_1, text: '1. Scope' }),
          new Paragraph({
            children: [
              new TextRun('Plain '),
              new TextRun({ text: 'bold', bold: true }),
              new TextRun({ text: ' and ' }),
              new TextRun({ text: 'italic', italics: true }),
              new TextRun({ text: ', ' }),
              new TextRun({ text: 'underlined', underline: {} }),
              new TextRun({ text: ', ' }),
              new TextRun({ text: 'struck', strike: true }),
              new TextRun({ text: ' and ' }),
              new TextRun({ text: 'both', bold: true, italics: true }),
              new TextRun({ text: '.' }),
            ],
          }),
          new Paragraph({
            children: [
              new TextRun('See '),
              new ExternalHyperlink({
                link: 'https://example.org/terms',
                children: [new TextRun({ text: 'the terms', style: 'Hyperlink' })],
              }),
              new TextRun(' but not '),
              new ExternalHyperlink({
                link: 'javascript:alert(1)',
                children: [new TextRun({ text: 'this trap', style: 'Hyperlink' })],
              }),
              new TextRun('.'),
            ],
          }),
          new Paragraph({ heading: HeadingLevel.HEADING_2, text: '1.1 Coverage' }),
          new Paragraph({ text: 'First bullet', bullet: { level: 0 } }),
          new Paragraph({ text: 'Nested bullet', bullet: { level: 1 } }),
          new Paragraph({ text: 'Second bullet', bullet: { level: 0 } }),
          new Paragraph({ heading: HeadingLevel.HEADING_3, text: '1.1(a) Employees' }),
          new Paragraph({ text: 'Step one', numbering: { reference: 'numbered', level: 0 } }),
          new Paragraph({ text: 'Step two', numbering: { reference: 'numbered', level: 0 } }),
          new Paragraph({
            children: [new TextRun('Line one'), new TextRun({ text: 'line two', break: 1 })],
          }),
          new Paragraph({ heading: HeadingLevel.HEADING_1, text: 'Article 2. Schedule' }),
          new Table({
            rows: [
              new TableRow({
                children: [
                  new TableCell({ children: [new Paragraph('Cell one')] }),
                  new TableCell({ children: [new Paragraph('Cell two')] }),
                ],
              }),
              new TableRow({
                children: [
                  new TableCell({ children: [new Paragraph('Cell three')] }),
                  new TableCell({ children: [new Paragraph('')] }),
                ],
              }),
            ],
          }),
          new Paragraph(''),
          new Paragraph({ children: [new TextRun({ children: ['Tab', new Tab(), 'separated'] })] }),
        ],
      },
    ],
  })
  return Packer.toBuffer(document)
}

/** `json` as the schema reads it: marks in the schema's order, default attributes filled in. */
function normalized(json: JSONContent): unknown {
  const node = getDocumentSchema().nodeFromJSON(json)
  node.check()
  return node.toJSON()
}

function list(type: 'bulletList' | 'orderedList', ...items: JSONContent[][]): JSONContent {
  return {
    type,
    content: items.map((content) => ({ type: 'listItem', content })),
  }
}

/** Every word of `value`, in order. */
function words(value: string): string[] {
  return value.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '')
}

function plainText(node: JSONContent): string {
  if (node.type === 'text') return node.text ?? ''
  return (node.content ?? []).map(plainText).join(' ')
}

describe('docxToDoc', () => {
  it('reads the title, nested clauses without typed numbers, marks, safe links, lists, tables and breaks', async () => {
    const json = await docxToDoc(await sampleDocx())
    normalized(json)
    expect(json).toEqual(
      doc(
        title('Framework Agreement'),
        paragraph('Preamble words.'),
        clause(
          'Scope',
          null,
          {
            type: 'paragraph',
            content: [
              text('Plain '),
              text('bold', 'bold'),
              text(' and '),
              text('italic', 'italic'),
              text(', '),
              text('underlined', 'underline'),
              text(', '),
              text('struck', 'strike'),
              text(' and '),
              text('both', 'bold', 'italic'),
              text('.'),
            ],
          },
          {
            type: 'paragraph',
            content: [
              text('See '),
              {
                type: 'text',
                text: 'the terms',
                marks: [{ type: 'link', attrs: { href: 'https://example.org/terms' } }],
              },
              // The javascript: link is dropped; its words stay, merged with the plain text around.
              text(' but not this trap.'),
            ],
          },
          clause(
            'Coverage',
            null,
            list(
              'bulletList',
              [paragraph('First bullet'), list('bulletList', [paragraph('Nested bullet')])],
              [paragraph('Second bullet')],
            ),
            clause(
              'Employees',
              null,
              list('orderedList', [paragraph('Step one')], [paragraph('Step two')]),
              {
                type: 'paragraph',
                content: [text('Line one'), { type: 'hardBreak' }, text('line two')],
              },
            ),
          ),
        ),
        clause(
          'Schedule',
          null,
          paragraph('Cell one'),
          paragraph('Cell two'),
          paragraph('Cell three'),
          paragraph('Tab separated'),
        ),
      ),
    )
    expect(extractClauses(json).map((entry) => `${entry.number} ${entry.heading}`)).toEqual([
      '1 Scope',
      '1.1 Coverage',
      '1.1(a) Employees',
      '2 Schedule',
    ])
  })

  it('keeps every word of the source', async () => {
    const bytes = await sampleDocx()
    const json = await docxToDoc(bytes)
    const source = [
      'Framework Agreement Preamble words',
      'Scope Plain bold and italic underlined struck and both',
      'See the terms but not this trap',
      'Coverage First bullet Nested bullet Second bullet',
      'Employees Step one Step two Line one line two',
      'Schedule Cell one Cell two Cell three Tab separated',
    ].join(' ')
    expect(words(plainText(json))).toEqual(words(source))
  })

  it('refuses a file that is not a .docx with a RangeError', async () => {
    await expect(docxToDoc(Buffer.from('not a zip'))).rejects.toThrow(RangeError)
  })

  it('reads the DOCX export of a clause tree back to the same clauses, headings, marks, links and lists', async () => {
    const original = doc(
      title('Agreement'),
      paragraph('Preamble.'),
      clause(
        'Scope',
        null,
        {
          type: 'paragraph',
          content: [
            text('Plain, '),
            text('bold', 'bold'),
            text(' '),
            text('italic', 'italic'),
            text(', '),
            text('under', 'underline'),
            text(' and '),
            text('struck', 'strike', 'bold'),
            { type: 'hardBreak' },
            text('next line, '),
            {
              type: 'text',
              text: 'the rules',
              marks: [{ type: 'link', attrs: { href: 'https://example.org/rules' } }],
            },
          ],
        },
        clause(
          'Coverage',
          null,
          list(
            'bulletList',
            [paragraph('first'), list('bulletList', [paragraph('inner')])],
            [paragraph('second')],
          ),
          clause('Employees', null, clause('Full time', null, paragraph('Deep.'))),
        ),
        clause('Exclusions', null, {
          ...list('orderedList', [paragraph('third')], [paragraph('fourth')]),
          attrs: { start: 3 },
        }),
      ),
      clause('Term', null, paragraph('Three years.')),
    )
    const bytes = await blocksToDocx('Agreement', documentBlocks(original))
    const imported = await docxToDoc(bytes)
    expect(clauseTree(imported)).toEqual(clauseTree(original))
    expect(normalized(imported)).toEqual(normalized(original))
  })
})

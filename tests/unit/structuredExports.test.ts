/**
 * The structured exports keep the clause tree: the blocks the DOCX and PDF writers take walk the
 * tree in reading order with each clause's depth and number; the DOCX gives each clause Word's
 * heading style and outline level of its depth and imports back to the same tree with its bold and
 * italic; the Akoma Ntoso XML is well-formed, nests one hierarchy element per clause exactly as the
 * tree does, with unique eIds and the clause ids, and keeps hostile text as text.
 */
import { type ClauseTreeEntry, clauseTree } from '@onetext/shared/clauses'
import type { JSONContent } from '@tiptap/core'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { AKN_NAMESPACE, docToAkomaNtoso } from '../../server/src/export/aknExport'
import { documentBlocks, exportableText } from '../../server/src/export/documentBlocks'
import { blocksToDocx } from '../../server/src/export/docxExport'
import { docxToDoc } from '../../server/src/export/docxImport'
import { clause, doc, paragraph } from '../helpers/docJson'
import {
  allElements,
  childElements,
  childNamed,
  parseXml,
  type XmlElement,
} from '../helpers/xmlParser'

/** Markup, entities, quotes, a control character, a lone surrogate and U+FFFF. */
const HOSTILE = `<b>&amp; "q" 'a' ]]> \u0001\u0008\uD800\uFFFF</akomaNtoso>`
/** What XML keeps of {@link HOSTILE}: everything but the characters XML 1.0 forbids. */
const HOSTILE_KEPT = `<b>&amp; "q" 'a' ]]> </akomaNtoso>`

function bold(text: string): JSONContent {
  return { type: 'text', text, marks: [{ type: 'bold' }] }
}

function italic(text: string): JSONContent {
  return { type: 'text', text, marks: [{ type: 'italic' }] }
}

/** A text four levels deep: 1, 1.1, 1.1(a), 1.1(a)(i), 1.1(a)(ii), 1.2, 2; hostile words too. */
function deepDoc(): JSONContent {
  return doc(
    { type: 'title', content: [{ type: 'text', text: `Agreement ${HOSTILE}` }] },
    paragraph(`Preamble ${HOSTILE}`),
    clause(
      `Scope ${HOSTILE}`,
      'c-scope',
      {
        type: 'paragraph',
        content: [{ type: 'text', text: 'Plain, ' }, bold('bold'), italic(' italic')],
      },
      clause(
        'Coverage',
        'c-cover',
        paragraph('Who is covered.'),
        clause(
          'Employees',
          'c-employees',
          clause('Full time', 'c-full', paragraph(HOSTILE)),
          clause('Part time', 'c-part', {
            type: 'bulletList',
            content: [{ type: 'listItem', content: [paragraph('first')] }],
          }),
        ),
      ),
      clause('Exclusions', 'c-excl'),
    ),
    clause('Term', `c-term"><evil a="`),
  )
}

describe('documentBlocks', () => {
  it('walks the clause tree: title, preamble, then each heading with its body before its children', () => {
    const blocks = documentBlocks(deepDoc())
    expect(
      blocks.map(({ kind, depth, marker, clauseId }) => ({ kind, depth, marker, clauseId })),
    ).toEqual([
      { kind: 'title', depth: 0, marker: '', clauseId: null },
      { kind: 'paragraph', depth: 0, marker: '', clauseId: null },
      { kind: 'heading', depth: 1, marker: '1.', clauseId: 'c-scope' },
      { kind: 'paragraph', depth: 0, marker: '', clauseId: null },
      { kind: 'heading', depth: 2, marker: '1.1.', clauseId: 'c-cover' },
      { kind: 'paragraph', depth: 0, marker: '', clauseId: null },
      { kind: 'heading', depth: 3, marker: '1.1(a).', clauseId: 'c-employees' },
      { kind: 'heading', depth: 4, marker: '1.1(a)(i).', clauseId: 'c-full' },
      { kind: 'paragraph', depth: 0, marker: '', clauseId: null },
      { kind: 'heading', depth: 4, marker: '1.1(a)(ii).', clauseId: 'c-part' },
      { kind: 'item', depth: 1, marker: '•', clauseId: null },
      { kind: 'heading', depth: 2, marker: '1.2.', clauseId: 'c-excl' },
      { kind: 'heading', depth: 1, marker: '2.', clauseId: `c-term"><evil a="` },
    ])
    expect(blocks[4]?.level).toBe(3)
    expect(blocks[3]?.runs.map(({ text, bold, italic }) => ({ text, bold, italic }))).toEqual([
      { text: 'Plain, ', bold: false, italic: false },
      { text: 'bold', bold: true, italic: false },
      { text: ' italic', bold: false, italic: true },
    ])
  })
})

describe('DOCX export', () => {
  it('gives each clause heading the Heading style and outline level of its depth', async () => {
    const bytes = await blocksToDocx('Agreement', documentBlocks(deepDoc()))
    const zip = await JSZip.loadAsync(bytes)
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? ''
    const headings = [
      ...xml.matchAll(
        /<w:p>(?:(?!<\/w:p>).)*?<w:pStyle w:val="(Heading\d)"\/>(?:(?!<\/w:p>).)*?<\/w:p>/gs,
      ),
    ]
    const found = headings.map((match) => ({
      style: match[1],
      outline: /<w:outlineLvl w:val="(\d)"\/>/.exec(match[0])?.[1],
      text: [...match[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    }))
    expect(found.map(({ style, outline }) => `${style}:${outline}`)).toEqual([
      'Heading1:0',
      'Heading2:1',
      'Heading3:2',
      'Heading4:3',
      'Heading4:3',
      'Heading2:1',
      'Heading1:0',
    ])
    expect(found[3]?.text).toBe('1.1(a)(i). Full time')
    // The styles themselves carry the outline levels, as Word's built-in headings do.
    const styles = (await zip.file('word/styles.xml')?.async('string')) ?? ''
    for (const level of [1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      const style = new RegExp(
        `<w:style [^>]*w:styleId="Heading${level}"[^>]*>(?:(?!</w:style>).)*<w:outlineLvl w:val="${level - 1}"/>`,
        's',
      )
      expect(styles, `Heading${level}`).toMatch(style)
    }
  })

  it('imports back to the same clause tree, with bold and italic', async () => {
    const original = deepDoc()
    const bytes = await blocksToDocx('Agreement', documentBlocks(original))
    const imported = await docxToDoc(bytes)
    const shape = (entries: ClauseTreeEntry[]): unknown =>
      entries.map(({ number, heading, children }) => ({
        number,
        heading: exportableText(heading),
        children: shape(children),
      }))
    expect(shape(clauseTree(imported))).toEqual(shape(clauseTree(original)))
    const scopeBody = imported.content?.find((node) => node.type === 'clause')?.content?.[1]
    expect(scopeBody?.content).toEqual([
      { type: 'text', text: 'Plain, ' },
      { type: 'text', text: 'bold', marks: [{ type: 'bold' }] },
      { type: 'text', text: ' italic', marks: [{ type: 'italic' }] },
    ])
  })
})

const IDENTITY = {
  negotiationId: 'lmp-1997',
  negotiationTitle: `Talks ${HOSTILE}`,
  iteration: 3,
  circulatedAt: Date.UTC(2024, 4, 6),
  firstCirculatedAt: Date.UTC(2024, 0, 2),
  exportedAt: Date.UTC(2024, 4, 7),
}

const HIERARCHY = new Set(['article', 'paragraph', 'point'])

/** The hierarchy elements of `node`'s children as a tree: num, heading, GUID and children. */
function aknTree(node: XmlElement): unknown[] {
  return childElements(node)
    .filter((child) => HIERARCHY.has(child.localName))
    .map((child) => ({
      id: child.getAttribute('GUID') ?? '',
      number: childNamed(child, 'num')?.textContent ?? '',
      heading: childNamed(child, 'heading')?.textContent ?? '',
      children: aknTree(child),
    }))
}

describe('Akoma Ntoso export', () => {
  it('the test parser refuses XML that is not well-formed', () => {
    expect(() => parseXml('<a><b></a>')).toThrow()
    expect(() => parseXml('<a>x & y</a>')).toThrow()
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow()
    expect(() => parseXml('<a x="<"/>')).toThrow()
    expect(() => parseXml('<a>]]></a>')).toThrow()
    expect(() => parseXml('<a>\u0001</a>')).toThrow()
    expect(() => parseXml('<a>&foo;</a>')).toThrow()
    expect(parseXml('<a>x &amp; y</a>').textContent).toBe('x & y')
  })

  it('is well-formed AKN 3.0 whose body nests one element per clause as the tree does', () => {
    const source = deepDoc()
    const xml = docToAkomaNtoso(source, IDENTITY)
    const root = parseXml(xml)
    expect(root.localName).toBe('akomaNtoso')
    expect(root.namespaceURI).toBe(AKN_NAMESPACE)
    const act = childNamed(root, 'act')
    expect(act?.getAttribute('name')).toBe('agreement')
    expect(childElements(act as XmlElement).map((child) => child.localName)).toEqual([
      'meta',
      'preface',
      'preamble',
      'body',
    ])
    const identification = childNamed(
      childNamed(act as XmlElement, 'meta') as XmlElement,
      'identification',
    )
    expect(identification?.getAttribute('source')).toBe('#onetext')
    const work = childNamed(identification as XmlElement, 'FRBRWork') as XmlElement
    expect(
      childElements(work)
        .map((child) => child.localName)
        .slice(0, 5),
    ).toEqual(['FRBRthis', 'FRBRuri', 'FRBRdate', 'FRBRauthor', 'FRBRcountry'])
    expect(childNamed(work, 'FRBRdate')?.getAttribute('date')).toBe('2024-01-02')
    const expression = childNamed(identification as XmlElement, 'FRBRExpression') as XmlElement
    expect(childNamed(expression, 'FRBRlanguage')?.getAttribute('language')).toBe('eng')
    expect(childNamed(expression, 'FRBRdate')?.getAttribute('date')).toBe('2024-05-06')
    expect(childNamed(identification as XmlElement, 'FRBRManifestation')).toBeDefined()

    const body = childNamed(act as XmlElement, 'body') as XmlElement
    // The hostile clause id is not a clause id: it is left out rather than written as GUID.
    const expected = clauseTree(source).map(function strip(entry): unknown {
      return {
        id: entry.id.startsWith('c-term') ? '' : entry.id,
        number: entry.number,
        heading: entry.heading.replace(HOSTILE, HOSTILE_KEPT),
        children: entry.children.map(strip),
      }
    })
    expect(aknTree(body)).toEqual(expected)

    const elements = allElements(root)
    const clauses = elements.filter((element) => HIERARCHY.has(element.localName))
    expect(clauses.map((element) => element.localName)).toEqual([
      'article',
      'paragraph',
      'point',
      'point',
      'point',
      'paragraph',
      'article',
    ])
    expect(clauses.map((element) => element.getAttribute('eId'))).toEqual([
      'art_1',
      'art_1__para_1',
      'art_1__para_1__point_a',
      'art_1__para_1__point_a__point_i',
      'art_1__para_1__point_a__point_ii',
      'art_1__para_2',
      'art_2',
    ])
    const eIds = elements
      .filter((element) => element.hasAttribute('eId'))
      .map((e) => e.getAttribute('eId'))
    expect(new Set(eIds).size).toBe(eIds.length)
    // A clause with children keeps its body in <intro>, a leaf in <content>.
    expect(childNamed(clauses[0] as XmlElement, 'intro')?.textContent).toContain(
      'Plain, bold italic',
    )
    expect(childNamed(clauses[3] as XmlElement, 'content')?.textContent?.trim()).toBe(HOSTILE_KEPT)
    expect(childNamed(clauses[6] as XmlElement, 'content')).toBeDefined()
    // Hostile words stayed words: no element the export does not write.
    expect(elements.some((element) => element.localName === 'evil')).toBe(false)
    expect(
      elements.filter((element) => element.localName === 'b').map((b) => b.textContent),
    ).toEqual(['bold'])
    const preface = childNamed(act as XmlElement, 'preface') as XmlElement
    expect(allElements(preface).find((e) => e.localName === 'docTitle')?.textContent).toBe(
      `Agreement ${HOSTILE_KEPT}`,
    )
  })

  it('keeps blocks where they stand: between and after clauses, and after child clauses', () => {
    // Concurrent edits can leave a body block after a child clause; a closing block (signatures)
    // follows the last clause.
    const source = doc(
      clause('One', 'c-1', paragraph('lead'), clause('Child', 'c-1-1'), paragraph('after child')),
      paragraph('between'),
      clause('Two', 'c-2', clause('A', 'c-2-1'), paragraph('middle'), clause('B', 'c-2-2')),
      paragraph('Signed'),
    )
    expect(documentBlocks(source).map((block) => block.marker || block.runs[0]?.text)).toEqual([
      '1.',
      'lead',
      '1.1.',
      'after child',
      'between',
      '2.',
      '2.1.',
      'middle',
      '2.2.',
      'Signed',
    ])
    const act = childNamed(parseXml(docToAkomaNtoso(source, IDENTITY)), 'act') as XmlElement
    expect(childElements(act).map((child) => child.localName)).toEqual([
      'meta',
      'preface',
      'body',
      'conclusions',
    ])
    expect(childNamed(act, 'conclusions')?.textContent?.trim()).toBe('Signed')
    const body = childNamed(act, 'body') as XmlElement
    const outline = (node: XmlElement): unknown[] =>
      childElements(node)
        .filter((child) => !['num', 'heading'].includes(child.localName))
        .map((child) =>
          HIERARCHY.has(child.localName) || child.localName === 'hcontainer'
            ? { [child.getAttribute('eId') ?? '']: outline(child) }
            : `${child.localName}: ${child.textContent?.trim()}`,
        )
    expect(outline(body)).toEqual([
      { art_1: ['intro: lead', { art_1__para_1: ['content: '] }, 'wrapUp: after child'] },
      { hcontainer_1: ['content: between'] },
      {
        art_2: [
          { art_2__para_1: ['content: '] },
          { art_2__hcontainer_1: ['content: middle'] },
          { art_2__para_2: ['content: '] },
        ],
      },
    ])
  })

  it('puts a text without clauses in one container, and a missing title from the negotiation', () => {
    const root = parseXml(docToAkomaNtoso(doc(paragraph('Notes only.')), IDENTITY))
    const act = childNamed(root, 'act') as XmlElement
    expect(childNamed(act, 'preamble')).toBeUndefined()
    const body = childNamed(act, 'body') as XmlElement
    expect(childElements(body).map((child) => child.localName)).toEqual(['hcontainer'])
    expect(body.textContent?.trim()).toBe('Notes only.')
    const docTitle = allElements(act).find((e) => e.localName === 'docTitle')
    expect(docTitle?.textContent).toBe(`Talks ${HOSTILE_KEPT}`)
  })
})

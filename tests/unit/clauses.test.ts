import { reanchor } from '@onetext/shared/annotations'
import {
  clauseTree,
  ensureClauseIds,
  extractClauses,
  type OutlineHeading,
  outlineToDoc,
} from '@onetext/shared/clauses'
import { isLegacyDocument, legacyToClauseDoc } from '@onetext/shared/legacyDocument'
import { markdownToDoc } from '@onetext/shared/markdown'
import { docToHtml, docToMarkdown } from '@onetext/shared/render'
import { getDocumentSchema } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import { clause, doc, paragraph, title } from '../helpers/docJson'

describe('clauses', () => {
  const numbered = doc(
    title('Agreement'),
    paragraph('Preamble belongs to no clause.'),
    clause(
      'Wages',
      'w',
      paragraph('Wages rise.'),
      clause(
        'Base rates',
        'b',
        clause('Nurses', 'n', clause('Day', 'i1'), clause('Night', 'i2')),
        clause('Technicians', 't'),
      ),
      clause('Differentials', 'd'),
    ),
    clause('Hours', 'h', clause('Overtime', 'o')),
  )

  it('numbers clauses by their place in the tree: 1, 1.1, 1.1(a), 1.1(a)(i)', () => {
    expect(extractClauses(numbered).map((c) => [c.id, c.number, c.depth, c.parentId])).toEqual([
      ['w', '1', 1, null],
      ['b', '1.1', 2, 'w'],
      ['n', '1.1(a)', 3, 'b'],
      ['i1', '1.1(a)(i)', 4, 'n'],
      ['i2', '1.1(a)(ii)', 4, 'n'],
      ['t', '1.1(b)', 3, 'b'],
      ['d', '1.2', 2, 'w'],
      ['h', '2', 1, null],
      ['o', '2.1', 2, 'h'],
    ])
    const wages = extractClauses(numbered)[0]
    expect(wages?.text).toBe('Wages rise.')
    expect(wages?.level).toBe(2)
    expect(wages?.blocks.map((block) => block.type)).toEqual(['clauseHeading', 'paragraph'])
  })

  it('gives the tree with ids, numbers and headings, children nested', () => {
    const tree = clauseTree(numbered)
    expect(tree.map((entry) => entry.id)).toEqual(['w', 'h'])
    expect(tree[0]?.children.map((entry) => [entry.number, entry.heading])).toEqual([
      ['1.1', 'Base rates'],
      ['1.2', 'Differentials'],
    ])
    expect(tree[0]?.children[0]?.children[0]?.children.map((entry) => entry.number)).toEqual([
      '1.1(a)(i)',
      '1.1(a)(ii)',
    ])
  })

  it('keeps clause ids through moves and renumbering; only the numbers change', () => {
    const before = doc(clause('A', 'a', paragraph('a')), clause('B', 'b'), clause('C', 'c'))
    const moved = doc(clause('C', 'c'), clause('A', 'a', paragraph('a')), clause('B', 'b'))
    const byId = (document: JSONContent) =>
      Object.fromEntries(extractClauses(document).map((c) => [c.id, c.number]))
    expect(byId(before)).toEqual({ a: '1', b: '2', c: '3' })
    expect(byId(moved)).toEqual({ c: '1', a: '2', b: '3' })
  })

  it('gives a duplicate, missing or malformed id a fresh one and keeps the first', () => {
    const document = doc(
      clause('Wages', 'w', paragraph('x')),
      clause('and hours', 'w', clause('New', null)),
      clause('Bad', 'not valid!'),
    )
    let next = 0
    expect(ensureClauseIds(document, () => `fresh-${++next}`)).toBe(3)
    expect(extractClauses(document).map((c) => c.id)).toEqual([
      'w',
      'fresh-1',
      'fresh-2',
      'fresh-3',
    ])
  })

  it('nests a flat outline: a first level-1 heading is the title, skipped levels close up', () => {
    const h = (level: number, text: string): OutlineHeading => ({
      type: 'outlineHeading',
      level,
      content: [{ type: 'text', text }],
    })
    const nested = outlineToDoc([
      h(1, 'T'),
      paragraph('pre'),
      h(2, 'A'),
      paragraph('a'),
      h(4, 'A sub'),
      paragraph('a sub'),
      h(3, 'A sec'),
      h(1, 'Part'),
      h(3, 'Part sec'),
    ])
    expect(nested.content?.map((node) => node.type)).toEqual([
      'title',
      'paragraph',
      'clause',
      'clause',
    ])
    expect(extractClauses(nested).map((c) => `${c.number} ${c.heading}: ${c.text}`)).toEqual([
      '1 A: a',
      '1.1 A sub: a sub',
      '1.2 A sec: ',
      '2 Part: ',
      '2.1 Part sec: ',
    ])
    getDocumentSchema().nodeFromJSON(nested).check()
    expect(outlineToDoc([h(1, 'Only a title')]).content?.map((node) => node.type)).toEqual([
      'title',
      'paragraph',
    ])
  })

  it('round-trips numbered Markdown: numbers are computed, not stored', () => {
    const document = markdownToDoc(
      '# T\n\n## 1. Purpose\n\nText.\n\n### 1.1 Scope\n\nMore.\n\n## 2. Term\n',
    )
    expect(extractClauses(document).map((c) => `${c.number} ${c.heading}`)).toEqual([
      '1 Purpose',
      '1.1 Scope',
      '2 Term',
    ])
    expect(docToMarkdown(document)).toBe(
      '# T\n\n## 1. Purpose\n\nText.\n\n### 1.1. Scope\n\nMore.\n\n## 2. Term\n',
    )
    expect(extractClauses(markdownToDoc(docToMarkdown(document))).map((c) => c.heading)).toEqual([
      'Purpose',
      'Scope',
      'Term',
    ])
  })

  it('renders each clause as a section with its id and a heading of its depth', () => {
    const html = docToHtml(doc(title('T'), clause('A', 'a', paragraph('x'), clause('B', 'b'))))
    expect(html).toBe(
      '<h1>T</h1>\n<section class="clause" data-clause-id="a">\n<h2><span class="clause-number">1.</span> A</h2>\n<p>x</p>\n<section class="clause" data-clause-id="b">\n<h3><span class="clause-number">1.1.</span> B</h3>\n</section>\n</section>',
    )
  })
})

describe('legacy documents (release 0.1.0)', () => {
  const heading = (level: number, text: string, clauseId?: string): JSONContent => ({
    type: 'heading',
    attrs: { level, ...(clauseId ? { clauseId } : {}) },
    content: [{ type: 'text', text }],
  })

  it('converts segments and headings into the clause tree, keeping every clause id', () => {
    const legacy = doc(
      { type: 'segment', content: [heading(1, 'T'), paragraph('pre')] },
      { type: 'segment', content: [heading(2, 'A', 'a'), paragraph('a1')] },
      { type: 'segment', content: [paragraph('a2'), heading(3, 'B', 'b'), paragraph('b')] },
      heading(2, 'C', 'c'),
    )
    expect(isLegacyDocument(legacy)).toBe(true)
    const converted = legacyToClauseDoc(legacy)
    expect(isLegacyDocument(converted)).toBe(false)
    getDocumentSchema().nodeFromJSON(converted).check()
    expect(extractClauses(converted).map((c) => [c.id, c.number, c.heading, c.text])).toEqual([
      ['a', '1', 'A', 'a1\na2'],
      ['b', '1.1', 'B', 'b'],
      ['c', '2', 'C', ''],
    ])
    expect(legacyToClauseDoc(converted)).toBe(converted)
  })
})

describe('annotation re-anchoring', () => {
  it('finds the quote nearest its old place, or none when the words are gone', () => {
    const text = 'consensus should be used; consensus again'
    expect(reanchor({ quote: 'consensus', offset: 30 }, text)).toBe(26)
    expect(reanchor({ quote: 'consensus', offset: 0 }, text)).toBe(0)
    expect(reanchor({ quote: 'unanimity', offset: 0 }, text)).toBeNull()
  })
})

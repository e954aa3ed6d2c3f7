import { reanchor } from '@onetext/shared/annotations'
import { ensureClauseIds, extractClauses } from '@onetext/shared/clauses'
import { markdownToDoc } from '@onetext/shared/markdown'
import { docToMarkdown } from '@onetext/shared/render'
import type { JSONContent } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import { heading, paragraph } from '../helpers/docJson'

describe('clauses', () => {
  it('numbers articles, sections and sub-sections as 1, 1.1, 1.1(a)', () => {
    const doc: JSONContent = {
      type: 'doc',
      content: [
        heading(1, 'Agreement'),
        paragraph('Preamble belongs to no clause.'),
        heading(2, 'Wages', 'w'),
        paragraph('Wages rise.'),
        heading(3, 'Base rates', 'b'),
        heading(4, 'Nurses', 'n'),
        heading(4, 'Technicians', 't'),
        heading(3, 'Differentials', 'd'),
        heading(2, 'Hours', 'h'),
        heading(3, 'Overtime', 'o'),
      ],
    }
    expect(extractClauses(doc).map((clause) => [clause.id, clause.number])).toEqual([
      ['w', '1'],
      ['b', '1.1'],
      ['n', '1.1(a)'],
      ['t', '1.1(b)'],
      ['d', '1.2'],
      ['h', '2'],
      ['o', '2.1'],
    ])
    expect(extractClauses(doc)[0]?.text).toBe('Wages rise.')
  })

  it('keeps clause ids through moves and renumbering; only the numbers change', () => {
    const before: JSONContent = {
      type: 'doc',
      content: [
        heading(2, 'A', 'a'),
        paragraph('a'),
        heading(2, 'B', 'b'),
        paragraph('b'),
        heading(2, 'C', 'c'),
      ],
    }
    const moved: JSONContent = {
      type: 'doc',
      content: [
        heading(2, 'C', 'c'),
        heading(2, 'A', 'a'),
        paragraph('a'),
        heading(2, 'B', 'b'),
        paragraph('b'),
      ],
    }
    const byId = (doc: JSONContent) =>
      Object.fromEntries(extractClauses(doc).map((clause) => [clause.id, clause.number]))
    expect(byId(before)).toEqual({ a: '1', b: '2', c: '3' })
    expect(byId(moved)).toEqual({ c: '1', a: '2', b: '3' })
  })

  it('gives a split heading’s second half a new id and keeps the first', () => {
    const doc: JSONContent = {
      type: 'doc',
      content: [
        heading(2, 'Wages', 'w'),
        paragraph('x'),
        heading(2, 'and hours', 'w'),
        heading(3, 'New'),
      ],
    }
    let next = 0
    expect(ensureClauseIds(doc, () => `fresh-${++next}`)).toBe(2)
    expect(extractClauses(doc).map((clause) => clause.id)).toEqual(['w', 'fresh-1', 'fresh-2'])
  })

  it('round-trips numbered Markdown: numbers are computed, not stored', () => {
    const doc = markdownToDoc(
      '# T\n\n## 1. Purpose\n\nText.\n\n### 1.1 Scope\n\nMore.\n\n## 2. Term\n',
    )
    expect(extractClauses(doc).map((clause) => `${clause.number} ${clause.heading}`)).toEqual([
      '1 Purpose',
      '1.1 Scope',
      '2 Term',
    ])
    expect(docToMarkdown(doc)).toBe(
      '# T\n\n## 1. Purpose\n\nText.\n\n### 1.1. Scope\n\nMore.\n\n## 2. Term\n',
    )
    expect(
      extractClauses(markdownToDoc(docToMarkdown(doc))).map((clause) => clause.heading),
    ).toEqual(['Purpose', 'Scope', 'Term'])
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

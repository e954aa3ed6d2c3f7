import fs from 'node:fs'
import path from 'node:path'
import { extractClauses } from '@onetext/shared/clauses'
import { markdownToDoc, parseInline } from '@onetext/shared/markdown'
import { getDocumentSchema } from '@onetext/shared/schema'
import { describe, expect, it } from 'vitest'

const FIXTURE = path.resolve(import.meta.dirname, '../../server/src/seed/lmp-agreement-1997.md')

describe('markdownToDoc', () => {
  it('turns the 1997 agreement into a title, nine numbered sections, lists and paragraphs', () => {
    const doc = markdownToDoc(fs.readFileSync(FIXTURE, 'utf8'))
    const node = getDocumentSchema().nodeFromJSON(doc)
    node.check()
    expect(doc.content?.[0]?.type).toBe('title')
    const clauses = extractClauses(doc)
    const sections = clauses.filter((clause) => clause.depth === 1).map((clause) => clause.heading)
    expect(sections).toEqual([
      'Purpose',
      'Process and Structure',
      'Decision-Making',
      'Scope',
      'Employment Security',
      'Union Security',
      'Marketing Cooperation',
      'Term of Agreement',
      'Savings Clause',
    ])
    const blocks = clauses.flatMap((clause) => clause.blocks)
    const bullets = blocks.find((block) => block.type === 'bulletList')
    expect(bullets?.content).toHaveLength(6)
    const ordered = blocks.find((block) => block.type === 'orderedList')
    expect(ordered?.attrs).toEqual({ start: 1 })
    expect(ordered?.content).toHaveLength(2)
    // No words are lost: every word of the source appears in the document's text.
    // Heading numbers are computed from the structure, so they are not part of the text.
    const source = fs
      .readFileSync(FIXTURE, 'utf8')
      .replace(/^#+\s+(\d+\.\s+)?|^\s*[-*]\s|^\s*\d+\.\s/gm, '')
    const text = node.textBetween(0, node.content.size, ' ')
    for (const word of source.split(/\s+/).filter(Boolean)) expect(text).toContain(word)
  })

  it('parses bold and italic and keeps unmatched markers as text', () => {
    expect(parseInline('a **b** _c_ *d* 2*3')).toEqual([
      { type: 'text', text: 'a ' },
      { type: 'text', text: 'b', marks: [{ type: 'bold' }] },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'c', marks: [{ type: 'italic' }] },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'd', marks: [{ type: 'italic' }] },
      { type: 'text', text: ' 2*3' },
    ])
  })

  it('gives an empty document one empty paragraph', () => {
    expect(markdownToDoc('')).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] })
  })
})

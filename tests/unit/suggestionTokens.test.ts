import { clauseTokens } from '@onetext/shared/suggestions/tokens'
import { describe, expect, it } from 'vitest'
import { bold, br, clause, marked, node, p, ul } from '../helpers/clauseNodes'

const summary = (json: Parameters<typeof node>[0]) =>
  clauseTokens(node(json)).map((token) => `${token.kind}:${token.key}`)

describe('clauseTokens', () => {
  it('splits text into words (with inner apostrophes and hyphens), whitespace runs and single punctuation', () => {
    const tokens = summary(clause('c1', 'Pay', p("The workers' state-wide pay  rise, isn’t it?")))
    expect(tokens).toEqual([
      'heading:h',
      'word:Pay',
      'block:b:paragraph:',
      'word:The',
      'space: ',
      'word:workers',
      "punct:'",
      'space: ',
      'word:state-wide',
      'space: ',
      'word:pay',
      'space:  ',
      'word:rise',
      'punct:,',
      'space: ',
      'word:isn’t',
      'space: ',
      'word:it',
      'punct:?',
    ])
  })

  it('gives positions relative to the clause content that cover each token exactly', () => {
    const clauseNode = node(clause('c1', 'Term', p('Five ', bold('years')), p('Ends.')))
    for (const token of clauseTokens(clauseNode)) {
      if (token.kind === 'word' || token.kind === 'space' || token.kind === 'punct')
        expect(clauseNode.textBetween(token.from, token.to)).toBe(token.text)
      if (token.kind === 'block' || token.kind === 'heading') {
        expect(token.to).toBe(token.from + 1)
        expect(clauseNode.resolve(token.to).parentOffset).toBe(0)
      }
    }
  })

  it('keeps marks canonical, splits words at mark boundaries, and gives hard breaks their own token', () => {
    const tokens = clauseTokens(
      node(
        clause(
          'c1',
          '',
          p(
            'half',
            bold('bold'),
            br,
            marked('x', { type: 'link', attrs: { href: 'https://example.org' } }, 'italic'),
          ),
        ),
      ),
    )
    expect(tokens.map((token) => [token.kind, token.text, token.marks])).toEqual([
      ['heading', '', ''],
      ['block', '', ''],
      ['word', 'half', ''],
      ['word', 'bold', '[{"type":"bold"}]'],
      ['break', '', ''],
      ['word', 'x', tokens[5]?.marks],
    ])
    const marks = JSON.parse(tokens[5]?.marks ?? '[]') as Array<{ type: string; attrs?: object }>
    expect(marks.map((mark) => mark.type).sort()).toEqual(['italic', 'link'])
    expect(marks.find((mark) => mark.type === 'link')?.attrs).toMatchObject({
      href: 'https://example.org',
    })
    const reordered = clauseTokens(
      node(
        clause(
          'c1',
          '',
          p(marked('x', 'italic', { type: 'link', attrs: { href: 'https://example.org' } })),
        ),
      ),
    )
    expect(reordered[2]?.marks).toBe(tokens[5]?.marks)
  })

  it('flattens lists and makes each child clause one opaque token with its text', () => {
    const tokens = clauseTokens(
      node(clause('c1', 'A', ul('one', 'two'), clause('c2', 'Sub', p('Inner text')))),
    )
    expect(tokens.map((token) => `${token.kind}:${token.key}:${token.text}`)).toEqual([
      'heading:h:',
      'word:A:A',
      'block:b:bulletList::',
      'block:b:listItem::',
      'block:b:paragraph::',
      'word:one:one',
      'block:b:listItem::',
      'block:b:paragraph::',
      'word:two:two',
      'clause:c:c2:Sub\nInner text',
    ])
    const child = tokens.at(-1)
    expect(child && child.to - child.from).toBe(node(clause('c2', 'Sub', p('Inner text'))).nodeSize)
  })

  it('refuses a node that is not a clause', () => {
    expect(() => clauseTokens(node(p('x')))).toThrow(RangeError)
  })
})

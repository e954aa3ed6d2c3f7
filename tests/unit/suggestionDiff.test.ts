import { type ClauseChange, diffClause, diffDocument } from '@onetext/shared/suggestions/diff'
import { describe, expect, it } from 'vitest'
import { bold, clause, doc, node, p } from '../helpers/clauseNodes'

const BODY = 'The employer shall pay the workers within five days.'

function diff(base: Parameters<typeof node>[0], copy: Parameters<typeof node>[0]) {
  return diffClause(node(base), node(copy))
}

const brief = (change: ClauseChange) => [change.kind, change.text, change.pairedWith]

describe('diffClause', () => {
  it('finds no change in an unchanged clause', () => {
    const result = diff(clause('c1', 'Pay', p(BODY)), clause('c1', 'Pay', p(BODY)))
    expect(result.changes).toEqual([])
    expect(result.rewritten).toBe(false)
    expect(result.clauseId).toBe('c1')
  })

  it('shows words typed over others as a paired delete and insert, with context and base spans', () => {
    const result = diff(
      clause('c1', 'Pay', p(BODY)),
      clause('c1', 'Pay', p('The employer shall pay the workers within ten working days.')),
    )
    expect(result.changes.map(brief)).toEqual([
      ['delete', 'five', 1],
      ['insert', 'ten working', 0],
    ])
    const [del, ins] = result.changes as [ClauseChange, ClauseChange]
    expect(result.baseTokens.slice(del.base.from, del.base.to).map((t) => t.text)).toEqual(['five'])
    expect(ins.base).toEqual({ from: del.base.to, to: del.base.to })
    expect(del.copy).toEqual({ from: ins.copy.from, to: ins.copy.from })
    expect(
      result.copyTokens
        .slice(ins.copy.from, ins.copy.to)
        .map((t) => t.text)
        .join(''),
    ).toBe('ten working')
    expect(del.context).toEqual({ before: ' ', after: ' ' })
    expect(ins.content).toEqual({ content: [{ type: 'text', text: 'ten working' }] })
  })

  it('shows a deleted sentence as one delete', () => {
    const result = diff(
      clause('c1', 'Pay', p('First sentence stays. This one goes. Last stays.')),
      clause('c1', 'Pay', p('First sentence stays. Last stays.')),
    )
    expect(result.changes.map(brief)).toEqual([['delete', 'This one goes. ', undefined]])
  })

  it('shows bold added to two words as one format change with marks.add', () => {
    const result = diff(
      clause('c1', 'Pay', p(BODY)),
      clause('c1', 'Pay', p('The employer shall pay the workers within ', bold('five days'), '.')),
    )
    expect(result.changes).toHaveLength(1)
    const [format] = result.changes as [ClauseChange]
    expect(format.kind).toBe('format')
    expect(format.text).toBe('five days')
    expect(format.marks).toEqual({ add: ['{"type":"bold"}'], remove: [] })
    expect(format.base).toEqual(format.copy)
    expect(format.context).toEqual({ before: ' ', after: '.' })
  })

  it('shows bold words typed in with their space as one insert, not also a format of the space', () => {
    const result = diff(
      clause('c1', 'Pay', p(BODY)),
      clause(
        'c1',
        'Pay',
        p('The employer shall pay the workers', bold(' promptly'), ' within five days.'),
      ),
    )
    expect(result.changes.map((change) => change.kind)).toEqual(['insert'])
    expect((result.changes[0] as ClauseChange).text.trim()).toBe('promptly')
  })

  it('shows bold removed as a format change with marks.remove', () => {
    const result = diff(
      clause('c1', 'Pay', p('Pay ', bold('now'), '.')),
      clause('c1', 'Pay', p('Pay now.')),
    )
    expect(result.changes.map((change) => [change.kind, change.text, change.marks])).toEqual([
      ['format', 'now', { add: [], remove: ['{"type":"bold"}'] }],
    ])
  })

  it('shows a paragraph split in the middle as one insert of a block token', () => {
    const result = diff(
      clause('c1', 'Pay', p(BODY)),
      clause('c1', 'Pay', p('The employer shall pay the workers '), p('within five days.')),
    )
    expect(result.changes).toHaveLength(1)
    const [split] = result.changes as [ClauseChange]
    expect(split.kind).toBe('insert')
    expect(result.copyTokens.slice(split.copy.from, split.copy.to).map((t) => t.kind)).toEqual([
      'block',
    ])
    expect(split.text).toBe('\n')
    expect(split.context).toEqual({ before: ' ', after: 'within' })
  })

  it('shows a new paragraph as one insert that starts with its block token', () => {
    const result = diff(
      clause('c1', 'Pay', p('One.'), p('Two.')),
      clause('c1', 'Pay', p('One.'), p('New words.'), p('Two.')),
    )
    expect(result.changes).toHaveLength(1)
    const [insert] = result.changes as [ClauseChange]
    expect(insert.kind).toBe('insert')
    expect(result.copyTokens[insert.copy.from]?.kind).toBe('block')
    expect(insert.text).toBe('New words.')
  })

  it('shows a joined paragraph as the delete of its block token', () => {
    const result = diff(clause('c1', 'Pay', p('One'), p('two.')), clause('c1', 'Pay', p('Onetwo.')))
    expect(result.changes.map(brief)).toEqual([
      ['delete', 'One\ntwo', 1],
      ['insert', 'Onetwo', 0],
    ])
    const merged = diff(
      clause('c1', 'Pay', p('One '), p('two.')),
      clause('c1', 'Pay', p('One two.')),
    )
    expect(merged.changes.map(brief)).toEqual([['delete', '\n', undefined]])
  })

  it('shows a new child clause as one insert of a clause token, with the clause in its content', () => {
    const result = diff(
      clause('c1', 'Pay', p(BODY), clause('c2', 'Rates', p('Rates apply.'))),
      clause(
        'c1',
        'Pay',
        p(BODY),
        clause('c2', 'Rates', p('Rates apply.')),
        clause('c3', 'Overtime', p('Double time.')),
      ),
    )
    expect(result.changes.map(brief)).toEqual([['insert', 'Overtime\nDouble time.', undefined]])
    const [insert] = result.changes as [ClauseChange]
    expect(result.copyTokens.slice(insert.copy.from, insert.copy.to).map((t) => t.key)).toEqual([
      'c:c3',
    ])
    expect(insert.content).toMatchObject({
      content: [{ type: 'clause', attrs: { clauseId: 'c3' } }],
    })
  })

  it('aligns repeated words to the right occurrence', () => {
    const result = diff(
      clause('c1', 'Pay', p('the union and the employer and the state')),
      clause('c1', 'Pay', p('the union and the employer and the federal state')),
    )
    expect(result.changes.map(brief)).toEqual([['insert', 'federal ', undefined]])
    const [insert] = result.changes as [ClauseChange]
    expect(result.baseTokens[insert.base.from]?.text).toBe('state')
  })

  it('gives up on a rewritten clause: one delete of everything and one insert of everything', () => {
    const words = (prefix: string) =>
      Array.from({ length: 1200 }, (_, index) => `${prefix}${index}`).join(' ')
    const result = diff(clause('c1', 'Pay', p(words('a'))), clause('c1', 'Pay', p(words('b'))))
    expect(result.rewritten).toBe(true)
    expect(result.changes.map((change) => [change.kind, change.pairedWith])).toEqual([
      ['delete', 1],
      ['insert', 0],
    ])
    const [del, ins] = result.changes as [ClauseChange, ClauseChange]
    expect(del.base).toEqual({ from: 1, to: result.baseTokens.length })
    expect(ins.copy).toEqual({ from: 1, to: result.copyTokens.length })
  })
})

describe('diffDocument', () => {
  it('diffs every clause by id; a new child clause is an insert in its parent, a removed one a delete', () => {
    const base = doc(
      clause('a', 'One', p('Alpha.'), clause('a1', 'Sub', p('Old.'))),
      clause('b', 'Two', p('Beta.')),
    )
    const copy = doc(
      clause('a', 'One', p('Alpha.')),
      clause('b', 'Two', p('Beta gamma.'), clause('b1', 'New', p('New.'))),
    )
    const diffs = diffDocument(node(base), node(copy))
    expect([...diffs.keys()].sort()).toEqual(['a', 'b'])
    expect(diffs.get('a')?.changes.map(brief)).toEqual([['delete', 'Sub\nOld.', undefined]])
    expect(diffs.get('b')?.changes.map((change) => [change.kind, change.text])).toEqual([
      ['insert', ' gamma'],
      ['insert', 'New\nNew.'],
    ])
  })
})

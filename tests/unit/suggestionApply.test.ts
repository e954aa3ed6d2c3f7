import { applyChange, applyChanges } from '@onetext/shared/suggestions/applyChange'
import { type ClauseChange, diffClause } from '@onetext/shared/suggestions/diff'
import { clauseTokens } from '@onetext/shared/suggestions/tokens'
import type { JSONContent } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import { bold, clause, node, p, schema, ul } from '../helpers/clauseNodes'

/** Applies the party's changes of `copy` (one at a time, or all at once) to `base`. */
function accept(base: JSONContent, copy: JSONContent, pick?: (change: ClauseChange) => boolean) {
  const baseNode = node(base)
  const diff = diffClause(baseNode, node(copy))
  const chosen = diff.changes.filter(pick ?? (() => true))
  expect(chosen.length).toBeGreaterThan(0)
  if (chosen.length === 1) {
    const [change] = chosen as [ClauseChange]
    return applyChange(baseNode, diff.baseTokens, change.base, change, schema).toJSON()
  }
  return applyChanges(
    baseNode,
    diff.baseTokens,
    chosen.map((change) => ({ change, span: change.base })),
    schema,
  ).toJSON()
}

const BASE = clause(
  'c5',
  'Layoffs',
  p('The employer may lay off workers.'),
  p('Notice is given in writing.'),
)

describe('applyChange', () => {
  it('lands an accepted bold insertion bold', () => {
    const copy = clause(
      'c5',
      'Layoffs',
      p('The employer may lay off ', bold('no more than ten'), ' workers.'),
      p('Notice is given in writing.'),
    )
    expect(accept(BASE, copy)).toEqual(node(copy).toJSON())
  })

  it('deletes words across a paragraph boundary, joining the paragraphs', () => {
    const copy = clause('c5', 'Layoffs', p('The employer may lay off in writing.'))
    expect(accept(BASE, copy)).toEqual(node(copy).toJSON())
  })

  it('deletes a whole paragraph and a child clause', () => {
    const base = clause(
      'c5',
      'Layoffs',
      p('One.'),
      p('Two.'),
      p('Three.'),
      clause('c6', 'Sub', p('x')),
    )
    const copy = clause('c5', 'Layoffs', p('One.'), p('Three.'))
    expect(accept(base, copy)).toEqual(node(copy).toJSON())
    expect(accept(base, copy, (change) => change.text.includes('Two'))).toEqual(
      node(clause('c5', 'Layoffs', p('One.'), p('Three.'), clause('c6', 'Sub', p('x')))).toJSON(),
    )
  })

  it('applies a paired delete and insert as one replacement', () => {
    const copy = clause(
      'c5',
      'Layoffs',
      p('The employer may dismiss staff.'),
      p('Notice is given in writing.'),
    )
    const diff = diffClause(node(BASE), node(copy))
    expect(diff.changes.map((change) => [change.kind, change.text])).toEqual([
      ['delete', 'lay off workers'],
      ['insert', 'dismiss staff'],
    ])
    expect(accept(BASE, copy)).toEqual(node(copy).toJSON())
    // Only the delete: the struck words go, nothing comes in.
    expect(accept(BASE, copy, (change) => change.kind === 'delete')).toEqual(
      node(
        clause('c5', 'Layoffs', p('The employer may .'), p('Notice is given in writing.')),
      ).toJSON(),
    )
  })

  it('applies a paragraph split, a new paragraph and a new child clause with their structure', () => {
    const split = clause(
      'c5',
      'Layoffs',
      p('The employer may '),
      p('lay off workers.'),
      p('Notice is given in writing.'),
    )
    expect(accept(BASE, split)).toEqual(node(split).toJSON())
    const added = clause(
      'c5',
      'Layoffs',
      p('The employer may lay off workers.'),
      ul('first', 'second'),
      p('Notice is given in writing.'),
      clause('c7', 'Recall', p('Recalled ', bold('first'), '.')),
    )
    expect(accept(BASE, added)).toEqual(node(added).toJSON())
    expect(accept(BASE, added, (change) => change.text.startsWith('Recall'))).toEqual(
      node(
        clause(
          'c5',
          'Layoffs',
          p('The employer may lay off workers.'),
          p('Notice is given in writing.'),
          clause('c7', 'Recall', p('Recalled ', bold('first'), '.')),
        ),
      ).toJSON(),
    )
  })

  it('applies a format change with addMark and removeMark', () => {
    const base = clause('c5', 'Layoffs', p('Pay ', bold('now'), ' or later.'))
    const copy = clause('c5', 'Layoffs', p('Pay now or ', bold('later'), '.'))
    expect(accept(base, copy)).toEqual(node(copy).toJSON())
  })

  it('refuses a span outside the tokens and content that breaks the schema', () => {
    const baseNode = node(BASE)
    const tokens = clauseTokens(baseNode)
    const change: ClauseChange = {
      kind: 'insert',
      clauseId: 'c5',
      text: 'x',
      base: { from: 3, to: 3 },
      copy: { from: 3, to: 4 },
      context: { before: '', after: '' },
      content: { content: [{ type: 'text', text: 'x' }] },
    }
    expect(() => applyChange(baseNode, tokens, { from: 3, to: 2 }, change, schema)).toThrow(
      RangeError,
    )
    expect(() =>
      applyChange(baseNode, tokens, { from: 0, to: tokens.length + 1 }, change, schema),
    ).toThrow(RangeError)
    expect(() =>
      applyChange(
        baseNode,
        tokens,
        { from: 3, to: 3 },
        { ...change, content: { content: [{ type: 'noSuchNode' }] } },
        schema,
      ),
    ).toThrow(RangeError)
  })
})

/**
 * Carrying a suggestion forward (rebaseSpan): for each of the four edits of the text a
 * suggestion was written against (insert, delete, move, split), one case where the change still
 * applies and lands where its words are, and one where it is outdated.
 */
import { applyChanges } from '@onetext/shared/suggestions/applyChange'
import { type ClauseChange, diffClause } from '@onetext/shared/suggestions/diff'
import { rebaseSpan } from '@onetext/shared/suggestions/rebase'
import { clauseTokens, plainText } from '@onetext/shared/suggestions/tokens'
import type { JSONContent } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import { bold, clause, marked, node, p, schema } from '../helpers/clauseNodes'

const P1 = 'The employer may lay off workers when there is no work.'
const P2 = 'Notice is given in writing to the union two weeks before the layoff.'
const recall = () => clause('c5a', 'Recall', p('Laid off workers are recalled first.'))
const severance = () => clause('c5b', 'Severance', p('Severance is paid.'))
const base = (first = P1, second = P2) =>
  clause('c5', 'Layoffs', p(first), p(second), recall(), severance())

/** The changes a party made in `copy` against `from`. */
function suggest(from: JSONContent, copy: JSONContent) {
  return diffClause(node(from), node(copy))
}

/**
 * Rebases every change of the party's diff onto `onto` and, when all carry, applies them there;
 * returns 'outdated' or the resulting clause's plain text.
 */
function carry(from: JSONContent, copy: JSONContent, onto: JSONContent): string {
  const diff = suggest(from, copy)
  expect(diff.changes.length).toBeGreaterThan(0)
  const ontoNode = node(onto)
  const ontoTokens = clauseTokens(ontoNode)
  const placed: Array<{ change: ClauseChange; span: { from: number; to: number } }> = []
  for (const change of diff.changes) {
    const span = rebaseSpan(change, diff.baseTokens, ontoTokens)
    if (span === 'outdated') return 'outdated'
    placed.push({ change, span })
  }
  return plainText(applyChanges(ontoNode, ontoTokens, placed, schema))
}

const text = (json: JSONContent) => plainText(node(json))

describe('carry forward over an insert', () => {
  const copy = base(P1.replace('off workers', 'off permanent workers'))

  it('carries when the mediator inserted words elsewhere in the paragraph', () => {
    const onto = base(P1.replace('no work', 'no work at all'))
    expect(carry(base(), copy, onto)).toBe(
      text(
        base(
          P1.replace('no work', 'no work at all').replace('off workers', 'off permanent workers'),
        ),
      ),
    )
  })

  it('is outdated when the mediator inserted words between its context', () => {
    const onto = base(P1.replace('off workers', 'off temporary workers'))
    expect(carry(base(), copy, onto)).toBe('outdated')
  })
})

describe('carry forward over a delete', () => {
  const copy = base(P1, P2.replace('in writing ', ''))

  it('carries when the mediator deleted other words', () => {
    const onto = base(
      P1.replace(' when there is no work', ''),
      P2.replace(' before the layoff', ''),
    )
    expect(carry(base(), copy, onto)).toBe(
      text(
        base(
          P1.replace(' when there is no work', ''),
          P2.replace(' before the layoff', '').replace('in writing ', ''),
        ),
      ),
    )
  })

  it('is outdated when the mediator deleted the struck words or their neighbours', () => {
    expect(carry(base(), copy, base(P1, P2.replace('writing ', '')))).toBe('outdated')
    expect(carry(base(), copy, base(P1, P2.replace('given ', '')))).toBe('outdated')
  })
})

describe('carry forward over a move', () => {
  const copy = base(P1, P2.replace('in writing ', ''))

  it('carries when the mediator moved the paragraph within the clause', () => {
    const onto = clause('c5', 'Layoffs', p(P2), p(P1), recall(), severance())
    expect(carry(base(), copy, onto)).toBe(
      text(clause('c5', 'Layoffs', p(P2.replace('in writing ', '')), p(P1), recall(), severance())),
    )
  })

  it('carries when the mediator moved a sub-clause, in the parent and in the sub-clause itself', () => {
    const onto = clause('c5', 'Layoffs', p(P1), p(P2), severance(), recall())
    expect(carry(base(), copy, onto)).toBe(
      text(clause('c5', 'Layoffs', p(P1), p(P2.replace('in writing ', '')), severance(), recall())),
    )
    // The sub-clause moved to another article: its own change is diffed by its clause id.
    const recallCopy = clause(
      'c5a',
      'Recall',
      p('Laid off workers are recalled first by seniority.'),
    )
    expect(carry(recall(), recallCopy, recall())).toBe(text(recallCopy))
  })

  it('is outdated when the mediator cut words out of the span and pasted them elsewhere', () => {
    const struck = base(P1, P2.replace('in writing to the union ', ''))
    const onto = base(P1, 'Notice is given in writing two weeks before the layoff to the union.')
    expect(carry(base(), struck, onto)).toBe('outdated')
  })
})

describe('carry forward over a split', () => {
  const copy = base(P1.replace('no work', 'no paid work'))

  it('carries when the mediator split the paragraph away from the change', () => {
    const onto = clause(
      'c5',
      'Layoffs',
      p('The employer may lay off workers '),
      p('when there is no work.'),
      p(P2),
      recall(),
      severance(),
    )
    expect(carry(base(), copy, onto)).toBe(
      text(
        clause(
          'c5',
          'Layoffs',
          p('The employer may lay off workers '),
          p('when there is no paid work.'),
          p(P2),
          recall(),
          severance(),
        ),
      ),
    )
  })

  it('is outdated when the mediator split the paragraph inside the span', () => {
    const struck = base(P1, P2.replace('in writing to the union ', ''))
    const onto = clause(
      'c5',
      'Layoffs',
      p(P1),
      p('Notice is given in writing '),
      p('to the union two weeks before the layoff.'),
      recall(),
      severance(),
    )
    expect(carry(base(), struck, onto)).toBe('outdated')
  })
})

describe('carry forward of other kinds', () => {
  it("carries a party's own paragraph split", () => {
    const copy = clause(
      'c5',
      'Layoffs',
      p('The employer may lay off workers '),
      p('when there is no work.'),
      p(P2),
      recall(),
      severance(),
    )
    const onto = base(P1, P2.replace('two weeks', 'ten days'))
    expect(carry(base(), copy, onto)).toBe(
      text(
        clause(
          'c5',
          'Layoffs',
          p('The employer may lay off workers '),
          p('when there is no work.'),
          p(P2.replace('two weeks', 'ten days')),
          recall(),
          severance(),
        ),
      ),
    )
  })

  it('carries a new sub-clause, and is outdated when its place changed', () => {
    const overtime = clause('c5c', 'Overtime', p('Double time.'))
    const copy = clause('c5', 'Layoffs', p(P1), p(P2), recall(), severance(), overtime)
    const onto = base(P1.replace('no work', 'no work at all'))
    expect(carry(base(), copy, onto)).toBe(
      text(
        clause(
          'c5',
          'Layoffs',
          p(P1.replace('no work', 'no work at all')),
          p(P2),
          recall(),
          severance(),
          overtime,
        ),
      ),
    )
    const removed = clause('c5', 'Layoffs', p(P1), p(P2), recall())
    expect(carry(base(), copy, removed)).toBe('outdated')
  })

  it('carries a format change, and is outdated when the words were reformatted', () => {
    const copy = clause(
      'c5',
      'Layoffs',
      p(P1),
      p('Notice is given in writing to the union ', bold('two weeks'), ' before the layoff.'),
      recall(),
      severance(),
    )
    const diff = suggest(base(), copy)
    expect(diff.changes.map((change) => change.kind)).toEqual(['format'])
    const onto = node(base(P1.replace('may', 'can')))
    const ontoTokens = clauseTokens(onto)
    const [format] = diff.changes as [ClauseChange]
    const span = rebaseSpan(format, diff.baseTokens, ontoTokens)
    expect(span).not.toBe('outdated')
    if (span === 'outdated') return
    const result = applyChanges(onto, ontoTokens, [{ change: format, span }], schema)
    expect(result.toJSON().content[2].content).toEqual([
      { type: 'text', text: 'Notice is given in writing to the union ' },
      { type: 'text', text: 'two weeks', marks: [{ type: 'bold' }] },
      { type: 'text', text: ' before the layoff.' },
    ])
    const italic = clause(
      'c5',
      'Layoffs',
      p(P1),
      p(
        'Notice is given in writing to the union ',
        marked('two weeks', 'italic'),
        ' before the layoff.',
      ),
      recall(),
      severance(),
    )
    expect(rebaseSpan(format, diff.baseTokens, clauseTokens(node(italic)))).toBe('outdated')
  })

  it('maps a repeated word to the right occurrence', () => {
    const from = clause('c1', 'Parties', p('the union and the employer and the state'))
    const copy = clause('c1', 'Parties', p('the union and the employer and the federal state'))
    const onto = clause('c1', 'Parties', p('the union and employer and the state'))
    expect(carry(from, copy, onto)).toBe(
      text(clause('c1', 'Parties', p('the union and employer and the federal state'))),
    )
    const deleteSecond = clause('c1', 'Parties', p('the union and the employer and state'))
    expect(
      carry(
        from,
        deleteSecond,
        clause('c1', 'Parties', p('a union and the employer and the state')),
      ),
    ).toBe(text(clause('c1', 'Parties', p('a union and the employer and state'))))
  })

  it('is outdated, and nothing else, when the mediator rewrote the clause past maxEditLength', () => {
    const words = (prefix: string) =>
      Array.from({ length: 1200 }, (_, index) => `${prefix}${index}`).join(' ')
    const from = clause('c1', 'Pay', p(words('a')))
    const copy = clause('c1', 'Pay', p(`${words('a')} extra`))
    expect(carry(from, copy, clause('c1', 'Pay', p(words('b'))))).toBe('outdated')
    expect(carry(from, copy, from)).toBe(text(copy))
  })

  it('lands the insert of a replacement after its delete was applied', () => {
    const from = node(base())
    const copy = node(base(P1.replace('no work', 'no job')))
    const diff = diffClause(from, copy)
    const [del, ins] = diff.changes as [ClauseChange, ClauseChange]
    expect([del.kind, ins.kind]).toEqual(['delete', 'insert'])
    const afterDelete = applyChanges(
      from,
      diff.baseTokens,
      [{ change: del, span: del.base }],
      schema,
    )
    const tokens = clauseTokens(afterDelete)
    expect(rebaseSpan(ins, diff.baseTokens, tokens)).toBe('outdated')
    const span = rebaseSpan(ins, diff.baseTokens, tokens, { paired: del.base })
    expect(span).not.toBe('outdated')
    if (span === 'outdated') return
    expect(plainText(applyChanges(afterDelete, tokens, [{ change: ins, span }], schema))).toBe(
      plainText(copy),
    )
    // The other way round, the inserted word runs into the struck one ("workjob"): outdated.
    const afterInsert = applyChanges(
      from,
      diff.baseTokens,
      [{ change: ins, span: ins.base }],
      schema,
    )
    expect(rebaseSpan(del, diff.baseTokens, clauseTokens(afterInsert), { paired: ins.base })).toBe(
      'outdated',
    )
  })

  it('refuses a span outside the tokens', () => {
    const tokens = clauseTokens(node(base()))
    expect(() =>
      rebaseSpan({ kind: 'delete', base: { from: 3, to: tokens.length + 1 } }, tokens, tokens),
    ).toThrow(RangeError)
  })
})

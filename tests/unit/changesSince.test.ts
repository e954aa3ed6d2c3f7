/**
 * "Changes since Single Text N" as the list shows each change: the words around it within its
 * paragraph, and a paragraph of its own on a line of its own, so that no word of the paragraph
 * before runs into it.
 */
import { describe, expect, it } from 'vitest'
import { changesSince } from '../../server/src/negotiation/changesSince'
import { bold, clause, doc, p } from '../helpers/clauseNodes'

const BASE = doc(
  clause(
    'c1',
    'Security',
    p('The Parties will make use of attrition, growth of the business.'),
    p('There will be no loss of employment to any employee.'),
  ),
)

function changesOf(draft: ReturnType<typeof doc>) {
  const result = changesSince({ number: 1, doc: BASE }, draft, [])
  return result.clauses.flatMap((entry) => entry.changes)
}

describe('changes since an iteration', () => {
  it('gives each change the words around it, up to its paragraph’s edge', () => {
    const [insert] = changesOf(
      doc(
        clause(
          'c1',
          'Security',
          p('The Parties will make use of attrition, voluntary transfers, growth of the business.'),
          p('There will be no loss of employment to any employee.'),
        ),
      ),
    )
    expect(insert?.kind).toBe('insert')
    expect(`${insert?.before}${insert?.text}${insert?.after}`).toBe(
      'Parties will make use of attrition, voluntary transfers, growth of the business.',
    )
  })

  it('starts a new paragraph on a line of its own after the words before it', () => {
    const [insert] = changesOf(
      doc(
        clause(
          'c1',
          'Security',
          p('The Parties will make use of attrition, growth of the business.'),
          p('Management shall consult the union.'),
          p('There will be no loss of employment to any employee.'),
        ),
      ),
    )
    expect(insert?.kind).toBe('insert')
    expect(insert?.before.endsWith('business.')).toBe(true)
    expect(insert?.text.startsWith('\n')).toBe(true)
    expect(insert?.text.trim()).toBe('Management shall consult the union.')
  })

  it('names the words a format change applies to', () => {
    const [format] = changesOf(
      doc(
        clause(
          'c1',
          'Security',
          p('The Parties will make use of attrition, growth of the business.'),
          p('There will be ', bold('no loss of employment'), ' to any employee.'),
        ),
      ),
    )
    expect(format).toMatchObject({ kind: 'format', text: 'no loss of employment' })
    expect(format?.before).toBe('There will be ')
    expect(format?.after).toBe(' to any employee.')
  })
})

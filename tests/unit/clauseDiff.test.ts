import { diffClauses } from '@onetext/shared/clauseDiff'
import { describe, expect, it } from 'vitest'

const clause = (id: string, number: string, heading: string, text: string) => ({
  id,
  number,
  heading,
  text,
})

const base = [
  clause('a', '1', 'Purpose', 'The parties agree to work together.'),
  clause('b', '2', 'Scope', 'This covers all units.'),
  clause('c', '3', 'Term', 'Five years.'),
]

function changes(from: typeof base, to: typeof base) {
  return diffClauses(from, to).map((entry) => [entry.id, entry.number, entry.change])
}

describe('diffClauses', () => {
  it('reports an unchanged text as all same', () => {
    expect(changes(base, base)).toEqual([
      ['a', '1', 'same'],
      ['b', '2', 'same'],
      ['c', '3', 'same'],
    ])
  })

  it('shows an inserted clause as added and renumbering alone as no change', () => {
    const to = [
      base[0],
      clause('n', '2', 'Hours', 'Eight a day.'),
      { ...base[1], number: '3' },
      { ...base[2], number: '4' },
    ] as typeof base
    expect(changes(base, to)).toEqual([
      ['a', '1', 'same'],
      ['n', '2', 'added'],
      ['b', '3', 'same'],
      ['c', '4', 'same'],
    ])
  })

  it('shows a deleted clause where it was', () => {
    const to = [base[0], { ...base[2], number: '2' }] as typeof base
    const result = diffClauses(base, to)
    expect(result.map((entry) => [entry.id, entry.change])).toEqual([
      ['a', 'same'],
      ['b', 'removed'],
      ['c', 'same'],
    ])
    expect(result[1]?.ops).toEqual([['-', 'Scope\nThis covers all units.']])
  })

  it('gives word-level operations for replaced words', () => {
    const to = [
      base[0],
      clause('b', '2', 'Scope', 'This covers every unit.'),
      base[2],
    ] as typeof base
    const entry = diffClauses(base, to)[1]
    expect(entry?.change).toBe('changed')
    expect(entry?.ops).toEqual([
      ['=', 'Scope\nThis covers '],
      ['-', 'all units'],
      ['+', 'every unit'],
      ['=', '.'],
    ])
  })

  it('shows a moved clause as moved, the others as same', () => {
    const to = [
      { ...base[2], number: '1' },
      { ...base[0], number: '2' },
      { ...base[1], number: '3' },
    ] as typeof base
    expect(changes(base, to)).toEqual([
      ['c', '1', 'moved'],
      ['a', '2', 'same'],
      ['b', '3', 'same'],
    ])
  })

  it('shows a split as the first half changed and the second half added', () => {
    const to = [
      clause('a', '1', 'Purpose', 'The parties agree'),
      clause('a2', '2', 'Cooperation', 'to work together.'),
      { ...base[1], number: '3' },
      { ...base[2], number: '4' },
    ] as typeof base
    expect(changes(base, to)).toEqual([
      ['a', '1', 'changed'],
      ['a2', '2', 'added'],
      ['b', '3', 'same'],
      ['c', '4', 'same'],
    ])
  })
})

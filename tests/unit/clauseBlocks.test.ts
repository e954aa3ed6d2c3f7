import type { WordOp } from '@onetext/shared/wordDiff'
import { describe, expect, it } from 'vitest'
import { bodyOps, clauseBlocks, trackedBlocks } from '../../client/src/components/clauseBlocks'

describe('clauseBlocks', () => {
  it('turns clause text back into paragraphs, bullet lists and numbered lists', () => {
    const text = [
      'The parties agree to:',
      '- consult early;',
      '- share information.',
      'In particular:',
      '3. within 30 days;',
      '4. in writing.',
      '',
      '- a new list after a blank line',
    ].join('\n')
    expect(clauseBlocks(text)).toEqual([
      { kind: 'paragraph', text: 'The parties agree to:' },
      { kind: 'bullets', items: ['consult early;', 'share information.'] },
      { kind: 'paragraph', text: 'In particular:' },
      { kind: 'numbered', start: 3, items: ['within 30 days;', 'in writing.'] },
      { kind: 'bullets', items: ['a new list after a blank line'] },
    ])
  })

  it('keeps a text without lists as its paragraphs', () => {
    expect(clauseBlocks('One.\nTwo.')).toEqual([
      { kind: 'paragraph', text: 'One.' },
      { kind: 'paragraph', text: 'Two.' },
    ])
    expect(clauseBlocks('')).toEqual([])
  })

  describe('trackedBlocks', () => {
    it('gives a redline the lists of the new text, each item with its own changes', () => {
      const ops: WordOp[] = [
        ['=', 'Goals:\n- consult'],
        ['+', ' early'],
        ['=', ';\n- share.'],
        ['+', '\n- review.'],
      ]
      expect(trackedBlocks(ops)).toEqual([
        { kind: 'paragraph', text: [['=', 'Goals:']] },
        {
          kind: 'bullets',
          items: [
            [
              ['=', 'consult'],
              ['+', ' early'],
              ['=', ';'],
            ],
            [['=', 'share.']],
            [['+', 'review.']],
          ],
        },
      ])
    })

    it('shows a deleted line break inside the deleted words, joining the two lines', () => {
      const ops: WordOp[] = [
        ['=', 'One.'],
        ['-', '\nTwo.'],
        ['=', '\nThree.'],
      ]
      expect(trackedBlocks(ops)).toEqual([
        {
          kind: 'paragraph',
          text: [
            ['=', 'One.'],
            ['-', ' Two.'],
          ],
        },
        { kind: 'paragraph', text: [['=', 'Three.']] },
      ])
    })

    it('takes the structure from the old text for the old column', () => {
      const oldColumn: WordOp[] = [
        ['=', 'A:\n1. x'],
        ['-', '\n2. y'],
      ]
      expect(trackedBlocks(oldColumn, 'before')).toEqual([
        { kind: 'paragraph', text: [['=', 'A:']] },
        { kind: 'numbered', start: 1, items: [[['=', 'x']], [['-', 'y']]] },
      ])
      // Read as the new text, the deleted item is not a line of its own.
      expect(trackedBlocks(oldColumn)).toEqual([
        { kind: 'paragraph', text: [['=', 'A:']] },
        {
          kind: 'numbered',
          start: 1,
          items: [
            [
              ['=', 'x'],
              ['-', ' 2. y'],
            ],
          ],
        },
      ])
    })

    it('leaves out the old number of a renumbered item, and keeps a deleted word', () => {
      const renumbered: WordOp[] = [
        ['=', '1. a\n'],
        ['+', '2. new\n'],
        ['-', '2.'],
        ['+', '3.'],
        ['=', ' b'],
      ]
      expect(trackedBlocks(renumbered)).toEqual([
        { kind: 'numbered', start: 1, items: [[['=', 'a']], [['+', 'new']], [['=', 'b']]] },
      ])
      const turnedIntoItem: WordOp[] = [
        ['-', 'Foo'],
        ['+', '-'],
        ['=', ' bar'],
      ]
      expect(trackedBlocks(turnedIntoItem)).toEqual([
        {
          kind: 'bullets',
          items: [
            [
              ['-', 'Foo'],
              ['=', 'bar'],
            ],
          ],
        },
      ])
    })

    it('strips a list marker that was inserted', () => {
      const ops: WordOp[] = [
        ['+', '- '],
        ['=', 'Foo'],
      ]
      expect(trackedBlocks(ops)).toEqual([{ kind: 'bullets', items: [[['=', 'Foo']]] }])
    })
  })

  it('leaves the unchanged heading line out of a clause diff, and nothing else', () => {
    expect(
      bodyOps(
        [
          ['=', 'Scope\nThe scope '],
          ['+', 'now '],
        ],
        'Scope',
      ),
    ).toEqual([
      ['=', 'The scope '],
      ['+', 'now '],
    ])
    expect(
      bodyOps(
        [
          ['=', 'Scope\n'],
          ['-', 'Old.'],
        ],
        'Scope',
      ),
    ).toEqual([['-', 'Old.']])
    // A changed heading stays: it is part of what changed.
    const renamed: WordOp[] = [
      ['-', 'Scope'],
      ['+', 'Coverage'],
      ['=', '\nText.'],
    ]
    expect(bodyOps(renamed, 'Coverage')).toEqual(renamed)
  })
})

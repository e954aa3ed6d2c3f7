import { describe, expect, it } from 'vitest'
import { clauseBlocks } from '../../client/src/components/clauseBlocks'

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
})

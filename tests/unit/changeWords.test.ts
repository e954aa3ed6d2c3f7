/**
 * Tracked changes in words: a change's words never run into the words around it, a format change
 * says what changed on which words, a suggestion is named by party, author and iteration.
 */
import { describe, expect, it } from 'vitest'
import {
  formatChangeWords,
  suggestionReference,
  wordGap,
} from '../../client/src/pages/negotiation/changeWords'

describe('changes in words', () => {
  it('puts a space between two words shown one after the other, and only there', () => {
    expect(wordGap('a mutual obligation', 'binding commitment')).toBe(' ')
    expect(wordGap('attrition,', 'voluntary')).toBe(' ')
    expect(wordGap('growth', 'Management')).toBe(' ')
    expect(wordGap('Straße', 'über')).toBe(' ')
    expect(wordGap('obligation ', 'binding')).toBe('')
    expect(wordGap('obligation', ' binding')).toBe('')
    expect(wordGap('obligation', ', and')).toBe('')
    expect(wordGap('(', 'binding')).toBe('')
    expect(wordGap('', 'binding')).toBe('')
    expect(wordGap('obligation', '')).toBe('')
    expect(wordGap('growth', '\nManagement')).toBe('')
  })

  it('says what a format change did to which words', () => {
    expect(formatChangeWords({ add: ['{"type":"bold"}'], remove: [] }, 'no loss ')).toBe(
      'bold added to ‘no loss’',
    )
    expect(
      formatChangeWords({ add: ['{"type":"bold"}', '{"type":"italic"}'], remove: [] }, 'x y'),
    ).toBe('bold and italic added to ‘x y’')
    expect(formatChangeWords({ add: [], remove: ['{"type":"italic"}'] }, 'x')).toBe(
      'italic removed from ‘x’',
    )
    expect(
      formatChangeWords(
        { add: ['{"attrs":{"href":"https://example.org"},"type":"link"}'], remove: ['bold'] },
        'x',
      ),
    ).toBe('link added and bold removed on ‘x’')
    expect(formatChangeWords(undefined, 'x')).toBe('formatting changed on ‘x’')
  })

  it('names a suggestion by party, author and iteration', () => {
    expect(suggestionReference('Management', 'Sam Whitfield', 1)).toBe(
      'the Management suggestion by Sam Whitfield on Single Text 1',
    )
    expect(suggestionReference('Management', '', 2)).toBe(
      'the Management suggestion on Single Text 2',
    )
  })
})

/**
 * A quote typed (or pasted) for an annotation is found in the clause's own words: case, the spaces
 * between words and the kind of apostrophe do not matter; the clause's spelling is kept; words not
 * in the clause, blank input and an over-long quote find nothing.
 */
import { findQuote, MAX_QUOTE_LENGTH } from '@onetext/shared/annotations'
import { describe, expect, it } from 'vitest'

const CLAUSE =
  'Either party may terminate this Partnership agreement with 60 days notice. The parties’ intent (as written) is clear.'

describe('findQuote', () => {
  it('finds typed words in the clause, with the clause’s own spelling and offset', () => {
    expect(findQuote(CLAUSE, 'may   TERMINATE this')).toEqual({
      quote: 'may terminate this',
      offset: CLAUSE.indexOf('may terminate'),
    })
  })

  it('takes a straight apostrophe for a curly one, and reads brackets as text', () => {
    expect(findQuote(CLAUSE, "parties' intent (as written)")?.quote).toBe(
      'parties’ intent (as written)',
    )
  })

  it('finds nothing for words not in the clause, blank input or a quote over the limit', () => {
    expect(findQuote(CLAUSE, 'may terminate that')).toBeNull()
    expect(findQuote(CLAUSE, '   ')).toBeNull()
    expect(findQuote(CLAUSE, 'x'.repeat(MAX_QUOTE_LENGTH + 1))).toBeNull()
    // Regular-expression syntax in the typed words is text, never a pattern.
    expect(findQuote(CLAUSE, '.*')).toBeNull()
  })
})

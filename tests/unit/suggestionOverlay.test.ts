/**
 * The overlay's placing of shared changes: token spans (indexes into the clause's tokens) become
 * the positions of the base words they strike or format, an insertion sits at the end of the token
 * before its gap, several parties' insertions at one point stack in party order, and a change whose
 * span is outside its clause's tokens (or whose clause is gone) is not drawn.
 */
import type { SharedChange } from '@onetext/shared/statusDoc'
import { clauseTokens } from '@onetext/shared/suggestions/tokens'
import { describe, expect, it } from 'vitest'
import {
  type OverlayChange,
  overlayDecorations,
  placeChanges,
} from '../../client/src/editor/overlayDecorations'
import { clause, doc, node, p } from '../helpers/clauseNodes'

const text = node(doc(clause('c1', 'Pay', p('Wages rise each year by three percent.'))))

function change(kind: SharedChange['kind'], from: number, to: number, words: string): SharedChange {
  return {
    id: `${kind}-${from}`,
    kind,
    text: words,
    authorId: 'u1',
    authorName: 'J. Doe',
    at: 0,
    base: { from, to },
    context: { before: '', after: '' },
    status: 'open',
  }
}

function item(partyIndex: number, shared: SharedChange, clauseId = 'c1'): OverlayChange {
  return {
    key: `s${partyIndex}/${shared.id}`,
    suggestionId: `s${partyIndex}`,
    clauseId,
    partyId: `p${partyIndex}`,
    partyName: `Party ${partyIndex}`,
    partyIndex,
    color: '#b42318',
    change: shared,
  }
}

/** Index of the first token with text `word` in clause c1. */
function tokenIndex(word: string): number {
  const clauseNode = text.child(0)
  return clauseTokens(clauseNode).findIndex((token) => token.text === word)
}

describe('the suggestion overlay', () => {
  it('strikes the base words a deletion names', () => {
    const each = tokenIndex('each')
    const year = tokenIndex('year')
    const [placed] = placeChanges(text, [item(0, change('delete', each, year + 1, 'each year'))])
    expect(placed && text.textBetween(placed.from, placed.to)).toBe('each year')
  })

  it('places an insertion after the token before its gap, and stacks parties in their order', () => {
    const by = tokenIndex('by')
    const items = [
      item(2, change('insert', by, by, 'at least ')),
      item(0, change('insert', by, by, 'about ')),
    ]
    const placed = placeChanges(text, items)
    expect(placed.map((entry) => entry.partyIndex)).toEqual([0, 2])
    const at = placed[0]?.from ?? -1
    expect(text.textBetween(at - 'year '.length, at)).toBe('year ')
    const widgets = overlayDecorations(text, placed, null)
      .find(at, at)
      .map((decoration) => (decoration.spec as { side: number }).side)
    expect(widgets).toEqual([...widgets].sort((a, b) => a - b))
    expect(new Set(widgets).size).toBe(2)
  })

  it('draws nothing for a span outside the clause or a clause that is gone', () => {
    const size = clauseTokens(text.child(0)).length
    expect(
      placeChanges(text, [
        item(0, change('delete', size, size + 2, 'x')),
        item(0, change('delete', 1, 2, 'x'), 'gone'),
      ]),
    ).toEqual([])
  })
})

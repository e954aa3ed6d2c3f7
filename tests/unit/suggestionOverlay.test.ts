/**
 * The overlay's placing of shared changes: token spans (indexes into the clause's tokens) become
 * the positions of the base words they strike or format, an insertion sits at the end of the token
 * before its gap, several parties' insertions at one point stack in party order, words struck by
 * several parties are drawn once per party (each its own element, colour, pattern and title) and
 * the words they share as one stretch of several parties, and a change whose span is outside its
 * clause's tokens (or whose clause is gone) is not drawn.
 */
import type { SharedChange } from '@onetext/shared/statusDoc'
import { clauseTokens } from '@onetext/shared/suggestions/tokens'
import { describe, expect, it } from 'vitest'
import {
  changeAttrs,
  type OverlayChange,
  overlayDecorations,
  placeChanges,
} from '../../client/src/editor/overlayDecorations'
import { overlapSegments, segmentTitle } from '../../client/src/editor/overlayOverlaps'
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

const COLORS = ['#b42318', '#1d4ed8', '#0f766e', '#7e22ce']

function item(partyIndex: number, shared: SharedChange, clauseId = 'c1'): OverlayChange {
  return {
    key: `s${partyIndex}/${shared.id}`,
    suggestionId: `s${partyIndex}`,
    clauseId,
    partyId: `p${partyIndex}`,
    partyName: `Party ${partyIndex}`,
    partyIndex,
    color: COLORS[partyIndex % COLORS.length] ?? '#000',
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

  it('draws words struck by two parties once per party, and what they share as several parties’', () => {
    const rise = tokenIndex('rise')
    const each = tokenIndex('each')
    const year = tokenIndex('year')
    const by = tokenIndex('by')
    const placed = placeChanges(text, [
      item(0, change('delete', rise, year + 1, 'rise each year')),
      item(1, change('delete', each, by + 1, 'each year by')),
    ])
    const [first, second] = placed.map((entry) => changeAttrs(entry, placed, null))
    // Each is an element of its own: ProseMirror merges the attributes of inline decorations that
    // name no node, and the last party's colour, pattern and title would hide the first's.
    expect(first?.nodeName).toBe('span')
    expect(second?.nodeName).toBe('span')
    expect([first?.['data-party'], second?.['data-party']]).toEqual(['p0', 'p1'])
    expect(first?.style).toContain(`--party-color: ${COLORS[0]}`)
    expect(second?.style).toContain(`--party-color: ${COLORS[1]}`)
    expect(first?.class.split(' ')).toEqual(expect.arrayContaining(['ovl-del', 'ovl-pattern-0']))
    expect(second?.class.split(' ')).toEqual(expect.arrayContaining(['ovl-del', 'ovl-pattern-1']))
    expect(first?.title).toMatch(/^Party 0, .*deleted ‘rise each year’\nalso Party 1, /)
    // The words both struck, and only those, are one stretch of both parties.
    const segments = overlapSegments(placed)
    expect(segments).toHaveLength(1)
    const [shared] = segments
    expect(shared && text.textBetween(shared.from, shared.to)).toBe('each year')
    expect(shared && segmentTitle(shared)).toBe('Struck by Party 0 and Party 1')
    // Over them: both parties' strikes and the several parties' look, which names both.
    const inside = (shared?.from ?? 0) + 1
    const specs = overlayDecorations(text, placed, null)
      .find(inside, inside)
      .filter((decoration) => decoration.from < decoration.to)
      .map((decoration) => decoration.spec as { changeKey?: string; parties?: string[] })
    expect(specs.flatMap((spec) => spec.changeKey ?? [])).toEqual(placed.map((entry) => entry.key))
    expect(specs.flatMap((spec) => spec.parties ?? [])).toEqual(['p0', 'p1'])
    // Before "rise", one party's strike only.
    const before = placed[0]?.from ?? 0
    expect(
      overlayDecorations(text, placed, null)
        .find(before + 1, before + 1)
        .some((decoration) => (decoration.spec as { parties?: string[] }).parties),
    ).toBe(false)
  })

  it('sees no several parties’ stretch where one party’s deletions meet or none overlap', () => {
    const rise = tokenIndex('rise')
    const year = tokenIndex('year')
    const one = item(0, change('delete', rise, year + 1, 'rise each year'))
    const again = { ...item(0, change('delete', year, year + 1, 'year')), key: 's0/again' }
    const apart = item(1, change('delete', tokenIndex('three'), tokenIndex('three') + 1, 'three'))
    expect(overlapSegments(placeChanges(text, [one, again, apart]))).toEqual([])
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

/**
 * The co-edited text box keeps each writer's caret by the same words when a colleague's change
 * arrives (`mapIndex` through the change a Y.Text reports).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mapIndex, type TextDeltaOp } from '../../client/src/collab/textCaret'

/** The change `edit` makes on another copy of "The parties agree to meet.", as this copy sees it. */
function remoteDelta(edit: (text: Y.Text) => void): TextDeltaOp[] {
  const mine = new Y.Doc()
  mine.getText('t').insert(0, 'The parties agree to meet.')
  const theirs = new Y.Doc()
  Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine))
  let delta: TextDeltaOp[] = []
  mine.getText('t').observe((event) => {
    delta = event.delta as TextDeltaOp[]
  })
  const before = Y.encodeStateVector(theirs)
  edit(theirs.getText('t'))
  Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs, before))
  return delta
}

describe('the caret in a co-edited text box', () => {
  // "The parties agree to meet." with the caret before "agree" (12).
  const caret = 12

  it('moves by what a colleague inserts or deletes before it', () => {
    expect(
      mapIndex(
        caret,
        remoteDelta((text) => text.insert(4, 'two ')),
      ),
    ).toBe(16)
    expect(
      mapIndex(
        caret,
        remoteDelta((text) => text.delete(0, 4)),
      ),
    ).toBe(8)
  })

  it('stays where it is for changes after it, and before text inserted at it', () => {
    expect(
      mapIndex(
        caret,
        remoteDelta((text) => text.insert(25, ' soon')),
      ),
    ).toBe(12)
    expect(
      mapIndex(
        caret,
        remoteDelta((text) => text.insert(12, 'all ')),
      ),
    ).toBe(12)
  })

  it('goes to the start of a deleted run it was inside', () => {
    expect(
      mapIndex(
        caret,
        remoteDelta((text) => text.delete(10, 8)),
      ),
    ).toBe(10)
  })

  it('keeps a selection around the same words', () => {
    const delta = remoteDelta((text) => text.insert(0, 'Now '))
    // "agree" was 12-17.
    expect([mapIndex(12, delta), mapIndex(17, delta)]).toEqual([16, 21])
  })
})

import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { caretAwareness } from '../../client/src/editor/caretAwareness'

/** Copies `from`'s state of its own client into `to`, as the network would. */
function relay(from: awarenessProtocol.Awareness, to: awarenessProtocol.Awareness) {
  awarenessProtocol.applyAwarenessUpdate(
    to,
    awarenessProtocol.encodeAwarenessUpdate(from, [from.clientID]),
    'remote',
  )
}

describe('the awareness the caret plugin listens to', () => {
  it('hears other people’s changes, not my own caret moving', () => {
    const mine = new awarenessProtocol.Awareness(new Y.Doc())
    const theirs = new awarenessProtocol.Awareness(new Y.Doc())
    const view = caretAwareness(mine)
    const heard: number[][] = []
    const listener = (changes: { added: number[]; updated: number[]; removed: number[] }) =>
      heard.push([...changes.added, ...changes.updated, ...changes.removed])
    view.on('change', listener)

    mine.setLocalStateField('cursor', { anchor: 1, head: 1 })
    mine.setLocalStateField('cursor', { anchor: 2, head: 2 })
    expect(heard).toEqual([])
    // Everything else is the awareness itself.
    expect(view.getLocalState()).toEqual({ cursor: { anchor: 2, head: 2 } })
    expect(view.clientID).toBe(mine.clientID)

    theirs.setLocalStateField('cursor', { anchor: 5, head: 5 })
    relay(theirs, mine)
    expect(heard).toEqual([[theirs.clientID]])
    expect(view.getStates().get(theirs.clientID)).toEqual({ cursor: { anchor: 5, head: 5 } })

    view.off('change', listener)
    theirs.setLocalStateField('cursor', { anchor: 6, head: 6 })
    relay(theirs, mine)
    expect(heard).toHaveLength(1)
    mine.destroy()
    theirs.destroy()
  })

  it('passes `update` listeners through unfiltered', () => {
    const mine = new awarenessProtocol.Awareness(new Y.Doc())
    const view = caretAwareness(mine)
    let updates = 0
    view.on('update', () => updates++)
    mine.setLocalStateField('cursor', { anchor: 1, head: 1 })
    expect(updates).toBe(1)
    mine.destroy()
  })

  it('publishes my caret’s new position later, and clears it at once', async () => {
    const mine = new awarenessProtocol.Awareness(new Y.Doc())
    const view = caretAwareness(mine)
    const published: unknown[] = []
    mine.on('update', () => published.push(mine.getLocalState()?.cursor ?? null))

    view.setLocalStateField('cursor', { anchor: 1, head: 1 })
    view.setLocalStateField('cursor', { anchor: 2, head: 2 })
    // Not inside the keystroke...
    expect(published).toEqual([])
    // ...but once the current task is done, and only the latest position.
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(published).toEqual([{ anchor: 2, head: 2 }])

    // Clearing (blur, closing the editor) is immediate and drops a pending position.
    view.setLocalStateField('cursor', { anchor: 3, head: 3 })
    view.setLocalStateField('cursor', null)
    expect(published).toEqual([{ anchor: 2, head: 2 }, null])
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(mine.getLocalState()?.cursor).toBeNull()

    // Other fields are set at once.
    view.setLocalStateField('user', { name: 'Dana Reyes' })
    expect(mine.getLocalState()?.user).toEqual({ name: 'Dana Reyes' })
    mine.destroy()
  })
})

/**
 * The awareness as the remote-caret plugin sees it, shaped so that a keystroke costs as little as
 * possible:
 * - y-tiptap's caret plugin redraws every caret (a second editor transaction, a walk of the text
 *   for my own relative position, new decorations) on every awareness `change`, and my own caret
 *   moves with every keystroke; yet it never draws my own caret. `change` events that concern only
 *   my own client are not passed to it.
 * - Where my caret went is published when the browser is next idle (at most CURSOR_DELAY_MS
 *   later), not inside the keystroke: that saves the keystroke an awareness encode, a send, and
 *   every awareness listener of the page. Clearing it (blur, closing the editor) is immediate and
 *   drops a pending position.
 * Everything else is the awareness itself.
 */
import type { Awareness } from 'y-protocols/awareness'

/** Longest my caret's new position waits for an idle moment before it is published anyway. */
const CURSOR_DELAY_MS = 100

/** The `change` event's payload: which clients were added, updated or removed. */
interface AwarenessChanges {
  added: number[]
  updated: number[]
  removed: number[]
}

type Listener = (changes: AwarenessChanges, origin: unknown) => void

/** True when `changes` names some client other than `self`. */
function concernsOthers(changes: AwarenessChanges, self: number): boolean {
  return [changes.added, changes.updated, changes.removed].some((ids) =>
    ids.some((id) => id !== self),
  )
}

/**
 * A view of `awareness` whose `change` listeners hear only changes that concern other clients and
 * whose `setLocalStateField('cursor', position)` takes effect when the browser is next idle.
 */
export function caretAwareness(awareness: Awareness): Awareness {
  const filtered = new Map<Listener, Listener>()
  const on = (name: string, listener: Listener) => {
    if (name !== 'change') return awareness.on(name, listener)
    const filter: Listener = (changes, origin) => {
      if (concernsOthers(changes, awareness.clientID)) listener(changes, origin)
    }
    filtered.set(listener, filter)
    awareness.on(name, filter)
  }
  const off = (name: string, listener: Listener) => {
    if (name !== 'change') return awareness.off(name, listener)
    awareness.off(name, filtered.get(listener) ?? listener)
    filtered.delete(listener)
  }
  let pendingCursor: unknown
  let scheduled = false
  const flushCursor = () => {
    scheduled = false
    if (pendingCursor === undefined) return
    const cursor = pendingCursor
    pendingCursor = undefined
    awareness.setLocalStateField('cursor', cursor)
  }
  const setLocalStateField = (field: string, value: unknown) => {
    if (field !== 'cursor' || value === null) {
      if (field === 'cursor') pendingCursor = undefined
      awareness.setLocalStateField(field, value)
      return
    }
    pendingCursor = value
    if (scheduled) return
    scheduled = true
    if (typeof requestIdleCallback === 'function')
      requestIdleCallback(flushCursor, { timeout: CURSOR_DELAY_MS })
    else setTimeout(flushCursor, 0)
  }
  return new Proxy(awareness, {
    get(target, property) {
      if (property === 'on') return on
      if (property === 'off') return off
      if (property === 'setLocalStateField') return setLocalStateField
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * The awareness the remote-caret plugin listens to. y-tiptap's caret plugin redraws every caret
 * (a second editor transaction, a walk of the text for my own relative position, new decorations)
 * on every awareness `change`, and my own caret moves with every keystroke; yet it never draws my
 * own caret. This view of the awareness forwards everything unchanged except `change` events that
 * concern only my own client, which it drops, so that typing costs one editor transaction, not two.
 */
import type { Awareness } from 'y-protocols/awareness'

/** The `change` event's payload: which clients were added, updated or removed. */
interface AwarenessChanges {
  added: number[]
  updated: number[]
  removed: number[]
}

type Listener = (changes: AwarenessChanges, origin: unknown) => void

/** True when `changes` names some client other than `self`. */
export function concernsOthers(changes: AwarenessChanges, self: number): boolean {
  return [changes.added, changes.updated, changes.removed].some((ids) =>
    ids.some((id) => id !== self),
  )
}

/**
 * A view of `awareness` whose `change` listeners hear only changes that concern other clients.
 * Every other member (states, local state, `update` events) is the awareness itself.
 */
export function othersOnlyAwareness(awareness: Awareness): Awareness {
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
  return new Proxy(awareness, {
    get(target, property) {
      if (property === 'on') return on
      if (property === 'off') return off
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * One Tab stop for a group of controls (the WAI-ARIA "roving tabindex"): only the current item has
 * tabIndex 0; the arrow keys of the group's orientation, Home and End move the focus (and the stop)
 * between the items that are enabled. Used by the formatting toolbar (left and right) and the
 * clause outlines (up and down).
 */
import { type KeyboardEvent, useCallback, useRef, useState } from 'react'

/** Which arrow keys move: Left/Right for a toolbar, Up/Down for a list. */
export type RovingOrientation = 'horizontal' | 'vertical'

/**
 * The item the focus moves to for `key`, from item `at`, among the enabled items `order` (indices
 * in document order); undefined when the key does not move (or nothing is enabled). The arrows
 * wrap around; Home and End go to the first and last.
 */
export function rovingTarget(
  key: string,
  order: readonly number[],
  at: number,
  orientation: RovingOrientation,
): number | undefined {
  if (order.length === 0) return undefined
  const [back, forward] =
    orientation === 'horizontal' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown']
  const here = Math.max(0, order.indexOf(at))
  if (key === forward) return order[(here + 1) % order.length]
  if (key === back) return order[(here - 1 + order.length) % order.length]
  if (key === 'Home') return order[0]
  if (key === 'End') return order[order.length - 1]
  return undefined
}

/** What `useRovingFocus` gives a group. */
export interface RovingFocus {
  /** The index of the item that is the group's Tab stop (an enabled one while any is). */
  stop: number
  /** Makes item `index` the stop (when it is chosen by pointer, or the selection moves). */
  setStop: (index: number) => void
  /** The group's keydown handler; returns true when it moved the focus (and took the key). */
  onKeyDown: (event: KeyboardEvent) => boolean
  /** A ref callback for item `index`. */
  itemRef: (index: number) => (element: HTMLElement | null) => void
  /** Focuses the stop (the same function on every render). */
  focusStop: () => void
}

/**
 * Roving focus over `count` items; `enabled(index)` (default: all) says which can take the focus.
 * The stop starts at `initial` (default 0) and stays on an enabled item when the one it was on is
 * disabled.
 */
export function useRovingFocus(
  count: number,
  orientation: RovingOrientation,
  enabled: (index: number) => boolean = () => true,
  initial = 0,
): RovingFocus {
  const [current, setCurrent] = useState(initial)
  const items = useRef<Array<HTMLElement | null>>([])
  const order: number[] = []
  for (let index = 0; index < count; index++) if (enabled(index)) order.push(index)
  const stop = order.includes(current) ? current : (order[0] ?? 0)
  const stopRef = useRef(stop)
  stopRef.current = stop
  const focusStop = useCallback(() => items.current[stopRef.current]?.focus(), [])
  const itemRef = useCallback(
    (index: number) => (element: HTMLElement | null) => {
      items.current[index] = element
    },
    [],
  )
  return {
    stop,
    setStop: setCurrent,
    onKeyDown: (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return false
      const next = rovingTarget(event.key, order, stop, orientation)
      if (next === undefined) return false
      event.preventDefault()
      setCurrent(next)
      items.current[next]?.focus()
      return true
    },
    itemRef,
    focusStop,
  }
}

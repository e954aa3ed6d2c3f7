/**
 * Keeps the keyboard's place when the focused control disappears. Many actions remove the button
 * that did them (share, sign off, close a vote, reopen): the browser then drops the focus to the
 * page's start, and a keyboard or screen-reader user has to find their way back. Inside the
 * container, when the focused element is removed and nothing else took the focus, the focus goes
 * to the heading of the nearest section (or panel, or main) that is still there, else to the
 * container itself.
 */
import { useCallback, useRef } from 'react'

/** Where a rescued focus may land: the regions whose heading names the place. */
const REGIONS = 'section, article, aside, nav, main, form, dialog'

/**
 * A region's own heading: a child or grandchild (a heading in a card's head row), never one inside
 * editable text (the editor's articles are content, not the page's structure).
 */
const OWN_HEADING = ':scope > :is(h1, h2, h3, h4), :scope > * > :is(h1, h2, h3, h4)'

/** The element to focus in place of a removed one, whose ancestors were `ancestors`. */
function landing(ancestors: readonly HTMLElement[], container: HTMLElement): HTMLElement {
  const place = ancestors.find((element) => element.isConnected) ?? container
  let region = place.closest<HTMLElement>(REGIONS)
  while (region && container.contains(region)) {
    const heading = region.querySelector<HTMLElement>(OWN_HEADING)
    if (heading && !heading.closest('[contenteditable]')) {
      if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1
      return heading
    }
    region = region.parentElement?.closest<HTMLElement>(REGIONS) ?? null
  }
  return container
}

/** Watches `root` until the returned function is called. */
function watch(root: HTMLElement): () => void {
  let last: HTMLElement | null = null
  let ancestors: HTMLElement[] = []
  const onFocusIn = (event: FocusEvent) => {
    if (!(event.target instanceof HTMLElement)) return
    last = event.target
    ancestors = []
    for (let at = last.parentElement; at && at !== root; at = at.parentElement) ancestors.push(at)
  }
  // A blur to nothing (a click on the page's background) forgets the element: removing it later
  // must not pull the focus back. A removal also blurs, but then the element is gone.
  const onFocusOut = (event: FocusEvent) => {
    const target = event.target
    setTimeout(() => {
      // Still focused: the window lost the focus (another application), the page did not.
      if (target === last && last?.isConnected && document.activeElement !== target) last = null
    })
  }
  const rescue = () => {
    if (!last || last.isConnected) return
    const active = document.activeElement
    if (active && active !== document.body) return
    const target = landing(ancestors, root)
    last = null
    target.focus()
  }
  const observer = new MutationObserver(rescue)
  observer.observe(root, { childList: true, subtree: true })
  root.addEventListener('focusin', onFocusIn)
  root.addEventListener('focusout', onFocusOut)
  return () => {
    observer.disconnect()
    root.removeEventListener('focusin', onFocusIn)
    root.removeEventListener('focusout', onFocusOut)
  }
}

/**
 * A ref callback for the container (which should have tabIndex -1, the last resort): the focus is
 * rescued inside it for as long as it is mounted.
 */
export function useFocusRescue(): (element: HTMLElement | null) => void {
  const stop = useRef<(() => void) | null>(null)
  return useCallback((element: HTMLElement | null) => {
    stop.current?.()
    stop.current = element ? watch(element) : null
  }, [])
}

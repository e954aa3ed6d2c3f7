/**
 * The top bar's frame: product name (a link home), whatever the page puts in the middle, and the
 * signed-in user with the keyboard map and a sign-out button.
 */
import type { ApiUser } from '@onetext/shared/apiTypes'
import { type ReactNode, useLayoutEffect, useRef } from 'react'
import { navigate } from '../routing'
import { KeyboardHelp } from './KeyboardHelp'

export function AppHeader({
  user,
  onSignOut,
  children,
}: {
  user: ApiUser
  onSignOut: () => void
  children?: ReactNode
}) {
  const header = useRef<HTMLElement>(null)
  // Its height (it wraps on a narrow window) as `--header-height`, for what sticks below it.
  useLayoutEffect(() => {
    const element = header.current
    if (!element) return
    const root = document.documentElement
    const observer = new ResizeObserver(() =>
      root.style.setProperty('--header-height', `${element.offsetHeight}px`),
    )
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  return (
    // Sticks over the text's top while it scrolls: editors keep the caret out from under it.
    <header ref={header} className="app-header" data-covers-text="">
      {/* The first stop of the keyboard: past the header to the page's content (#content). */}
      <a className="skip-link" href="#content">
        Skip to the content
      </a>
      <a
        className="brand"
        href="/"
        onClick={(event) => {
          event.preventDefault()
          navigate('/')
        }}
      >
        OneText
      </a>
      <div className="header-main">{children}</div>
      <div className="header-user">
        <span className="user-name">{user.name}</span>
        <KeyboardHelp />
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  )
}

/**
 * The top bar's frame: product name (a link home), whatever the page puts in the middle, and the
 * signed-in user with a sign-out button.
 */
import type { ApiUser } from '@onetext/shared/apiTypes'
import type { ReactNode } from 'react'
import { navigate } from '../routing'

export function AppHeader({
  user,
  onSignOut,
  children,
}: {
  user: ApiUser
  onSignOut: () => void
  children?: ReactNode
}) {
  return (
    // Sticks over the text's top while it scrolls: editors keep the caret out from under it.
    <header className="app-header" data-covers-text="">
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
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  )
}

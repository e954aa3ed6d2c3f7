/**
 * The application shell: finds out who is signed in, then shows the sign-in page, the list of
 * negotiations, or one negotiation.
 */
import type { ApiUser } from '@onetext/shared/apiTypes'
import { useCallback, useEffect, useState } from 'react'
import { fetchMe, signOut } from './api'
import { InvitePage } from './pages/InvitePage'
import { LoginPage } from './pages/LoginPage'
import { MembersPage } from './pages/MembersPage'
import { NegotiationListPage } from './pages/NegotiationListPage'
import { NegotiationPage } from './pages/NegotiationPage'
import { navigate, usePath } from './routing'

export function App() {
  const path = usePath()
  const [user, setUser] = useState<ApiUser | null | undefined>(undefined)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    fetchMe().then(setUser, (reason: unknown) => setError(String(reason)))
  }, [])

  useEffect(() => {
    if (user && path === '/login') navigate('/', { replace: true })
  }, [user, path])

  const onSignedIn = useCallback((signedIn: ApiUser) => {
    setUser(signedIn)
  }, [])

  const onSignOut = useCallback(async () => {
    await signOut()
    setUser(null)
    navigate('/login', { replace: true })
  }, [])

  if (error) {
    return (
      <main className="centered">
        <p role="alert">The server could not be reached: {error}</p>
      </main>
    )
  }
  if (user === undefined) {
    return (
      <main className="centered">
        <p>Loading…</p>
      </main>
    )
  }
  const invite = /^\/invite\/([^/]+)$/.exec(path)
  if (invite?.[1])
    return <InvitePage token={decodeURIComponent(invite[1])} onSignedIn={onSignedIn} />
  if (user === null) {
    // Signing in keeps the address, so a link to a negotiation leads there after sign-in.
    return <LoginPage onSignedIn={onSignedIn} />
  }
  const members = /^\/negotiations\/([^/]+)\/members$/.exec(path)
  if (members?.[1]) {
    return (
      <MembersPage
        negotiationId={decodeURIComponent(members[1])}
        user={user}
        onSignOut={onSignOut}
      />
    )
  }
  const match = /^\/negotiations\/([^/]+)(\/.*)?$/.exec(path)
  if (match?.[1]) {
    return (
      <NegotiationPage
        negotiationId={decodeURIComponent(match[1])}
        rest={match[2] ?? ''}
        user={user}
        onSignOut={onSignOut}
      />
    )
  }
  return <NegotiationListPage user={user} onSignOut={onSignOut} />
}

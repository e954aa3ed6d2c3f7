/**
 * The sign-in page: email and password, with the server's error shown in words.
 */
import type { ApiUser } from '@onetext/shared/apiTypes'
import { type FormEvent, useState } from 'react'
import { ApiRequestError, signIn } from '../api'

export function LoginPage({ onSignedIn }: { onSignedIn: (user: ApiUser) => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const { user } = await signIn(email, password)
      onSignedIn(user)
    } catch (reason) {
      setError(
        reason instanceof ApiRequestError ? reason.message : 'The server could not be reached.',
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="login">
      <div className="login-card">
        <h1>OneText</h1>
        <p className="login-tagline">The single negotiating text of your bargaining round.</p>
        <form onSubmit={onSubmit} aria-describedby={error ? 'login-error' : undefined}>
          <label htmlFor="email">Email</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          {error && (
            <p id="login-error" className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  )
}

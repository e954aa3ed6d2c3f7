/**
 * The sign-in page: email and password, with the server's error shown in words.
 */
import type { ApiUser } from '@onetext/shared/apiTypes'
import { type FormEvent, useState } from 'react'
import { signIn } from '../api'
import { useDocumentTitle } from '../components/useDocumentTitle'
import { useFormAction } from '../components/useFormAction'

export function LoginPage({ onSignedIn }: { onSignedIn: (user: ApiUser) => void }) {
  useDocumentTitle('Sign in')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const { busy, error, run } = useFormAction()

  function onSubmit(event: FormEvent) {
    event.preventDefault()
    void run(async () => {
      const { user } = await signIn(email, password)
      onSignedIn(user)
    })
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

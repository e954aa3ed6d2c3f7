/**
 * The page an invitation link opens: says what the person is invited to, then creates their
 * account (name and password) or asks for the password of their existing account, and signs in.
 */
import type { ApiUser, InviteInfo } from '@onetext/shared/apiTypes'
import { MIN_PASSWORD_LENGTH } from '@onetext/shared/limits'
import { type FormEvent, useEffect, useState } from 'react'
import { ApiRequestError, acceptInvite, fetchInvite } from '../api'
import { FormError } from '../components/FormError'
import { ROLE_LABELS } from '../components/roleLabels'
import { useDocumentTitle } from '../components/useDocumentTitle'
import { useFormAction } from '../components/useFormAction'
import { navigate } from '../routing'

export function InvitePage({
  token,
  onSignedIn,
}: {
  token: string
  onSignedIn: (user: ApiUser) => void
}) {
  const [info, setInfo] = useState<InviteInfo | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  useDocumentTitle(info ? `Invitation to ${info.negotiationTitle}` : 'Invitation')
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const { busy, error, run } = useFormAction()

  useEffect(() => {
    fetchInvite(token).then(setInfo, (reason: unknown) =>
      setLoadError(
        reason instanceof ApiRequestError ? reason.message : 'The server could not be reached.',
      ),
    )
  }, [token])

  function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (!info) return
    void run(async () => {
      const { user } = await acceptInvite(
        token,
        info.accountExists ? { password } : { name, password },
      )
      onSignedIn(user)
      navigate(`/negotiations/${encodeURIComponent(info.negotiationId)}`, { replace: true })
    })
  }

  return (
    <main className="login">
      <div className="login-card">
        <h1>OneText</h1>
        {loadError && (
          <p className="form-error" role="alert">
            {loadError}
          </p>
        )}
        {!info && !loadError && <p>Loading the invitation…</p>}
        {info && (
          <>
            <p className="login-tagline">
              You are invited to <strong>{info.negotiationTitle}</strong> as{' '}
              <strong>
                {ROLE_LABELS[info.role]}
                {info.partyName ? ` of ${info.partyName}` : ''}
              </strong>
              .
            </p>
            <form onSubmit={onSubmit}>
              <label htmlFor="invite-email">Email</label>
              <input
                id="invite-email"
                type="email"
                value={info.email}
                readOnly
                autoComplete="username"
              />
              {!info.accountExists && (
                <>
                  <label htmlFor="invite-name">Your name</label>
                  <input
                    id="invite-name"
                    required
                    autoComplete="name"
                    value={name}
                    onChange={(event) => setName(event.target.value)}
                  />
                </>
              )}
              <label htmlFor="invite-password">
                {info.accountExists ? 'Password of your account' : 'Choose a password'}
              </label>
              <input
                id="invite-password"
                type="password"
                required
                minLength={info.accountExists ? undefined : MIN_PASSWORD_LENGTH}
                autoComplete={info.accountExists ? 'current-password' : 'new-password'}
                aria-describedby={info.accountExists ? undefined : 'password-hint'}
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
              {!info.accountExists && (
                <p id="password-hint" className="muted">
                  At least {MIN_PASSWORD_LENGTH} characters.
                </p>
              )}
              <FormError error={error} />
              <button type="submit" className="primary" disabled={busy}>
                {busy ? 'Joining…' : 'Join the negotiation'}
              </button>
            </form>
          </>
        )}
      </div>
    </main>
  )
}

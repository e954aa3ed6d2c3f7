/**
 * The list of negotiations the signed-in user belongs to, with their role in each.
 */
import type { ApiUser, NegotiationSummary } from '@onetext/shared/apiTypes'
import { useEffect, useState } from 'react'
import { fetchNegotiations } from '../api'
import { AppHeader } from '../components/AppHeader'
import { ROLE_LABELS } from '../components/roleLabels'
import { useDocumentTitle } from '../components/useDocumentTitle'
import { navigate } from '../routing'
import { StartNegotiationForm } from './StartNegotiationForm'

export function NegotiationListPage({ user, onSignOut }: { user: ApiUser; onSignOut: () => void }) {
  useDocumentTitle('Negotiations')
  const [negotiations, setNegotiations] = useState<NegotiationSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    fetchNegotiations().then(setNegotiations, (reason: unknown) => setError(String(reason)))
  }, [])

  return (
    <>
      <AppHeader user={user} onSignOut={onSignOut} />
      <main className="page" id="content" tabIndex={-1}>
        <h1>My negotiations</h1>
        {error && <p role="alert">{error}</p>}
        {negotiations === null && !error && <p>Loading…</p>}
        {negotiations?.length === 0 && <p>You are not a member of any negotiation yet.</p>}
        <ul className="negotiation-list">
          {negotiations?.map((negotiation) => (
            <li key={negotiation.id}>
              <a
                href={`/negotiations/${encodeURIComponent(negotiation.id)}`}
                onClick={(event) => {
                  event.preventDefault()
                  navigate(`/negotiations/${encodeURIComponent(negotiation.id)}`)
                }}
              >
                {negotiation.title}
              </a>
              <span className="role-badge">{ROLE_LABELS[negotiation.role]}</span>
            </li>
          ))}
        </ul>
        {user.organizer && <StartNegotiationForm />}
      </main>
    </>
  )
}

/**
 * The mediator's members page: drafting privacy, invite by one-time link, change roles and parties,
 * remove members, see open invitations and the audit log.
 */
import type {
  ApiAuditEntry,
  ApiUser,
  MembersResponse,
  NegotiationDetail,
} from '@onetext/shared/apiTypes'
import { useCallback, useEffect, useState } from 'react'
import { fetchAudit, fetchMembers, fetchNegotiation } from '../api'
import { AppHeader } from '../components/AppHeader'
import { formatDate, formatMoment } from '../components/dates'
import { ROLE_LABELS } from '../components/roleLabels'
import { useDocumentTitle } from '../components/useDocumentTitle'
import { navigate } from '../routing'
import { DraftingSetting } from './members/DraftingSetting'
import { InviteForm } from './members/InviteForm'
import { MemberTable } from './members/MemberTable'

export function MembersPage({
  negotiationId,
  user,
  onSignOut,
}: {
  negotiationId: string
  user: ApiUser
  onSignOut: () => void
}) {
  const [detail, setDetail] = useState<NegotiationDetail | null>(null)
  const [members, setMembers] = useState<MembersResponse | null>(null)
  const [audit, setAudit] = useState<ApiAuditEntry[]>([])
  const [error, setError] = useState<string | null>(null)
  useDocumentTitle('Members', detail?.title)

  const reload = useCallback(() => {
    Promise.all([
      fetchNegotiation(negotiationId),
      fetchMembers(negotiationId),
      fetchAudit(negotiationId),
    ]).then(
      ([loadedDetail, loadedMembers, loadedAudit]) => {
        setDetail(loadedDetail)
        setMembers(loadedMembers)
        setAudit(loadedAudit)
      },
      (reason: unknown) => setError(String(reason instanceof Error ? reason.message : reason)),
    )
  }, [negotiationId])

  useEffect(reload, [reload])
  const partyName = (id: string | null) =>
    detail?.parties.find((party) => party.id === id)?.name ?? ''

  return (
    <>
      <AppHeader user={user} onSignOut={onSignOut}>
        <div className="negotiation-title">
          <h1>{detail ? `Members · ${detail.title}` : 'Members'}</h1>
          <a
            href={`/negotiations/${encodeURIComponent(negotiationId)}`}
            onClick={(event) => {
              event.preventDefault()
              navigate(`/negotiations/${encodeURIComponent(negotiationId)}`)
            }}
          >
            Back to the text
          </a>
        </div>
      </AppHeader>
      <main className="page wide" id="content" tabIndex={-1}>
        {error && <p role="alert">{error}</p>}
        {detail && members && (
          <>
            <DraftingSetting
              negotiationId={negotiationId}
              openDrafting={detail.settings.openDrafting}
              onChanged={reload}
            />
            <InviteForm negotiationId={negotiationId} parties={detail.parties} onInvited={reload} />
            <MemberTable
              negotiationId={negotiationId}
              members={members.members}
              parties={detail.parties}
              onChanged={reload}
            />
            <section className="card" aria-labelledby="invites-heading">
              <h2 id="invites-heading">Open invitations</h2>
              {members.invites.length === 0 ? (
                <p className="muted">None.</p>
              ) : (
                <ul>
                  {members.invites.map((invite) => (
                    <li key={`${invite.email}-${invite.createdAt}`}>
                      {invite.email}: {ROLE_LABELS[invite.role]}
                      {invite.partyId ? ` of ${partyName(invite.partyId)}` : ''}, until{' '}
                      {formatDate(invite.expiresAt)}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="card" aria-labelledby="audit-heading">
              <h2 id="audit-heading">Audit log (latest {audit.length})</h2>
              <table className="audit-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What</th>
                    <th scope="col">Who</th>
                    <th scope="col">Address</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {audit.map((entry) => (
                    <tr key={entry.id}>
                      <td>{formatMoment(entry.at)}</td>
                      <td>{entry.action}</td>
                      <td>{entry.email ?? ''}</td>
                      <td>{entry.address ?? ''}</td>
                      <td className="audit-detail">{JSON.stringify(entry.detail)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </>
        )}
      </main>
    </>
  )
}

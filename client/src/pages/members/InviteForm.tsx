/**
 * Invite someone by email. The server answers with a one-time link; since no mail server is
 * assumed, the mediator copies it and passes it on.
 */
import type { ApiParty, Role } from '@onetext/shared/apiTypes'
import { type FormEvent, useState } from 'react'
import { createInvite } from '../../api'
import { FormError } from '../../components/FormError'
import { useFormAction } from '../../components/useFormAction'
import { RolePartyFields } from './RolePartyFields'

export function InviteForm({
  negotiationId,
  parties,
  onInvited,
}: {
  negotiationId: string
  parties: readonly ApiParty[]
  onInvited: () => void
}) {
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('party-member')
  const [partyId, setPartyId] = useState<string | null>(parties[0]?.id ?? null)
  const [link, setLink] = useState<string | null>(null)
  const { error, run } = useFormAction()
  const [copied, setCopied] = useState(false)

  function onSubmit(event: FormEvent) {
    event.preventDefault()
    setCopied(false)
    setLink(null)
    void run(async () => {
      const created = await createInvite(negotiationId, { email, role, partyId })
      setLink(created.url)
      setEmail('')
      onInvited()
    })
  }

  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <form className="inline-form" onSubmit={onSubmit}>
        <label htmlFor="invite-email-input">Email</label>
        <input
          id="invite-email-input"
          type="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <RolePartyFields
          idPrefix="invite"
          role={role}
          partyId={partyId}
          parties={parties}
          onChange={(nextRole, nextParty) => {
            setRole(nextRole)
            setPartyId(nextParty)
          }}
        />
        <button type="submit" className="primary">
          Create invitation link
        </button>
      </form>
      <FormError error={error} />
      {link && (
        <div className="invite-link" role="status">
          <label htmlFor="invite-link-output">One-time link to pass on (valid for 7 days)</label>
          <div className="inline-form">
            <input
              id="invite-link-output"
              readOnly
              value={link}
              onFocus={(event) => event.target.select()}
            />
            <button
              type="button"
              onClick={async () => {
                await navigator.clipboard?.writeText(link).catch(() => {})
                setCopied(true)
              }}
            >
              {copied ? 'Copied' : 'Copy link'}
            </button>
          </div>
        </div>
      )}
    </section>
  )
}

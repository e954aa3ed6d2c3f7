/**
 * The access matrix of docs/DOMAIN.md "Roles" for live documents: which role may read or write which
 * document kind. AccessPolicy applies it when a document is opened (ClientConnection then enforces
 * the access on every message); the HTTP API uses it to list documents. The command matrix
 * (commands.ts) is the other half of the authorization rule.
 */
import type { ApiDocument } from '@onetext/shared/apiTypes'
import { type DocumentRef, formatDocumentName } from '@onetext/shared/documentNames'
import type { MemberRecord, NegotiationRecord, PartyRecord } from '../storage/Directory'
import { PARTY_ROLES } from './roles'

/** What a member may do with a document. */
export type Access = 'none' | 'read' | 'write'

/** The negotiation settings the document matrix depends on. */
export type AccessSettings = Pick<NegotiationRecord, 'openDrafting'>

/**
 * The access `member` has to the document `ref` of `negotiation`. The working draft is the
 * mediators' and the drafting team's: the parties read circulated iterations, and the working draft
 * live (read-only) only while the mediator has turned "open drafting" on.
 */
export function documentAccess(
  member: Pick<MemberRecord, 'role' | 'partyId'>,
  ref: DocumentRef,
  negotiation: AccessSettings,
): Access {
  const { role, partyId } = member
  const ownParty = PARTY_ROLES.has(role) && partyId !== null && partyId === ref.partyId
  switch (ref.kind) {
    case 'draft':
      if (role === 'mediator' || role === 'drafting-team') return 'write'
      return PARTY_ROLES.has(role) && negotiation.openDrafting ? 'read' : 'none'
    case 'layer':
    case 'suggest':
      // A suggestion copy: whether its iteration is the latest matters to the gate, not here.
      if (ownParty) return 'write'
      return role === 'mediator' ? 'read' : 'none'
    case 'caucus':
      return ownParty ? 'write' : 'none'
    case 'table':
      return role === 'observer' ? 'none' : 'write'
    case 'status':
      // Written only by the server; every table member follows it live.
      return role === 'observer' ? 'none' : 'read'
    case 'supplement':
      // Decided by ownership (supplementAccess), not by role alone.
      return 'none'
  }
}

/**
 * Every live document of a negotiation that `member` may open, with its access. Of the suggestion
 * copies, only those of the latest iteration `latestIteration` are listed (none before the first
 * circulation, 0); older copies are opened by name.
 */
export function listOpenableDocuments(
  negotiation: Pick<NegotiationRecord, 'id' | 'openDrafting'>,
  member: Pick<MemberRecord, 'role' | 'partyId'>,
  parties: readonly PartyRecord[],
  latestIteration = 0,
): ApiDocument[] {
  const negotiationId = negotiation.id
  const refs: DocumentRef[] = [{ negotiationId, kind: 'draft' }]
  for (const party of parties) refs.push({ negotiationId, kind: 'layer', partyId: party.id })
  if (latestIteration > 0) {
    for (const party of parties)
      refs.push({ negotiationId, kind: 'suggest', partyId: party.id, iteration: latestIteration })
  }
  for (const party of parties) refs.push({ negotiationId, kind: 'caucus', partyId: party.id })
  refs.push({ negotiationId, kind: 'table' })
  refs.push({ negotiationId, kind: 'status' })
  const documents: ApiDocument[] = []
  for (const ref of refs) {
    const access = documentAccess(member, ref, negotiation)
    if (access === 'none') continue
    documents.push({
      name: formatDocumentName(ref),
      kind: ref.kind,
      ...(ref.partyId !== undefined ? { partyId: ref.partyId } : {}),
      ...(ref.iteration !== undefined ? { iteration: ref.iteration } : {}),
      access,
    })
  }
  return documents
}

/** Access to a local supplement: its local table (owner) writes it, mediators read it. */
export function supplementAccess(
  member: Pick<MemberRecord, 'role' | 'userId'>,
  ownerUserId: string,
): Access {
  if (member.userId === ownerUserId) return 'write'
  return member.role === 'mediator' ? 'read' : 'none'
}

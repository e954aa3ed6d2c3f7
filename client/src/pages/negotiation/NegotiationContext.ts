/**
 * What every view inside a negotiation shares: who I am, the negotiation, its live documents
 * (sessions), the server's status document read into values, and the current iteration.
 */
import type { ApiParty, ApiUser, NegotiationDetail } from '@onetext/shared/apiTypes'
import { NEUTRAL_PARTY_COLOR } from '@onetext/shared/partyPalette'
import type { NegotiationStatus } from '@onetext/shared/statusDoc'
import { createContext, useContext } from 'react'
import type { IterationDetail } from '../../api'
import type { CollabSession } from '../../collab/CollabSession'

/** The negotiation as the views see it. */
export interface NegotiationView {
  detail: NegotiationDetail
  user: ApiUser
  status: NegotiationStatus
  /** The newest iteration, once loaded; null before the first circulation. */
  iteration: IterationDetail | null
  /** Open sessions by document name. */
  sessions: ReadonlyMap<string, CollabSession>
  /** The session of document kind `kind` (and party, for layer and caucus), if I may open it. */
  session(
    kind: 'draft' | 'table' | 'status' | 'layer' | 'caucus',
    partyId?: string,
  ): CollabSession | null
  party(partyId: string | null | undefined): ApiParty | undefined
  /** My party, if I belong to one. */
  myParty: ApiParty | undefined
  isMediator: boolean
  isLead: boolean
}

export const NegotiationContext = createContext<NegotiationView | null>(null)

/** The negotiation view; only inside NegotiationPage. */
export function useNegotiation(): NegotiationView {
  const view = useContext(NegotiationContext)
  if (!view) throw new Error('useNegotiation outside a negotiation')
  return view
}

/** A party's colour (see `PARTY_PALETTE`), the neutral colour for none. */
export function partyColor(view: NegotiationView, partyId: string | null | undefined): string {
  return view.party(partyId)?.color ?? NEUTRAL_PARTY_COLOR
}

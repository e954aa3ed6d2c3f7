/**
 * The proposals I may see: shared ones (from the status document, every party) and private ones
 * from the layers I can read (my own party's; the mediator reads every party's).
 */
import {
  createLayerProposal,
  type LayerProposal,
  readLayerProposals,
} from '@onetext/shared/layerDoc'
import { useCallback, useRef, useSyncExternalStore } from 'react'
import { type NegotiationView, useNegotiation } from './NegotiationContext'

/** A proposal as the views show it. */
export interface VisibleProposal {
  id: string
  partyId: string
  clauseId: string
  text: string
  rationale: string
  authorName: string
  /** 'draft' (private to the party), 'shared' or 'adopted'. */
  state: 'draft' | 'shared' | 'adopted'
  baseIteration: number
}

/** Private proposals of every layer I have open, by party, re-read when any layer changes. */
export function usePrivateProposals(): ReadonlyMap<string, LayerProposal[]> {
  const view = useNegotiation()
  const layers = view.detail.parties
    .map((party) => [party.id, view.session('layer', party.id)] as const)
    .filter(
      (entry): entry is readonly [string, NonNullable<(typeof entry)[1]>] => entry[1] !== null,
    )
  const key = layers.map(([partyId]) => partyId).join('|')
  const version = useRef(0)
  const cache = useRef<{
    key: string
    version: number
    value: ReadonlyMap<string, LayerProposal[]>
  } | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the layer sessions are identified by `key`
  const subscribe = useCallback(
    (listener: () => void) => {
      const onUpdate = () => {
        version.current++
        listener()
      }
      for (const [, session] of layers) session.doc.on('update', onUpdate)
      return () => {
        for (const [, session] of layers) session.doc.off('update', onUpdate)
      }
    },
    [key, view.sessions],
  )
  return useSyncExternalStore(subscribe, () => {
    const cached = cache.current
    if (cached && cached.key === key && cached.version === version.current) return cached.value
    const value = new Map(
      layers.map(([partyId, session]) => [partyId, readLayerProposals(session.doc)]),
    )
    cache.current = { key, version: version.current, value }
    return value
  })
}

/** Every proposal I may see; a shared proposal replaces its private draft. */
export function visibleProposals(
  view: NegotiationView,
  privateByParty: ReadonlyMap<string, LayerProposal[]>,
): VisibleProposal[] {
  const out: VisibleProposal[] = Object.values(view.status.proposals).map((proposal) => ({
    id: proposal.id,
    partyId: proposal.partyId,
    clauseId: proposal.clauseId,
    text: proposal.text,
    rationale: proposal.rationale,
    authorName: proposal.authorName,
    state: proposal.status,
    baseIteration: proposal.baseIteration,
  }))
  const shared = new Set(out.map((proposal) => proposal.id))
  for (const [partyId, proposals] of privateByParty) {
    for (const proposal of proposals) {
      if (!shared.has(proposal.id)) out.push({ ...proposal, partyId, state: 'draft' })
    }
  }
  return out
}

/**
 * What my party may do on a clause of the current iteration: whether it may propose (a member of a
 * party, on a clause not tentatively agreed) and its open draft there, if any.
 */
export function proposalChoice(
  view: NegotiationView,
  clauseId: string,
  proposals: readonly VisibleProposal[],
): { canPropose: boolean; mine: VisibleProposal | undefined } {
  const status = view.status.clauses[clauseId]?.status ?? 'open'
  const layer = view.session('layer', view.myParty?.id)
  return {
    canPropose: layer !== null && status !== 'tentatively-agreed',
    mine: proposals.find(
      (proposal) =>
        proposal.clauseId === clauseId &&
        proposal.partyId === view.myParty?.id &&
        proposal.state === 'draft',
    ),
  }
}

/**
 * The id of my party's draft proposal on `clause`: the open one, or a new one started in my
 * party's layer from the clause's current text; null when I have no layer or no iteration is out.
 */
export function openPartyProposal(
  view: NegotiationView,
  clause: { id: string; text: string },
  proposals: readonly VisibleProposal[],
): string | null {
  const { mine } = proposalChoice(view, clause.id, proposals)
  if (mine) return mine.id
  const layer = view.session('layer', view.myParty?.id)
  if (!layer || !view.iteration) return null
  const id = `p-${crypto.randomUUID()}`
  createLayerProposal(layer.doc, {
    id,
    clauseId: clause.id,
    baseIteration: view.iteration.number,
    baseText: clause.text,
    authorId: view.user.id,
    authorName: view.user.name,
  })
  return id
}

/**
 * Whole-clause proposals as protocol versions up to 4 stored them, read only to migrate them to
 * suggestions (suggestionMigration.ts). A party's layer document held its proposals in a
 * `proposals` root map of Y.Maps (`id`, `clauseId`, `baseIteration`, `text` and `rationale` as
 * Y.Text, `authorId`, `authorName`, `createdAt`, `status` 'draft' or 'shared', `sharedAt`); the
 * status document held the shared ones, frozen, in its own `proposals` root map (plain objects with
 * `status` 'shared' or 'adopted'), and votes named the proposal they were on in `proposalId`.
 */
import * as Y from 'yjs'

/** The root map of proposals, in a layer document and in the status document. */
export const LEGACY_PROPOSALS_ROOT = 'proposals'

/** One proposal, from the layer and the status document together. */
export interface LegacyProposal {
  id: string
  partyId: string
  clauseId: string
  /** The iteration whose text it was written against. */
  baseIteration: number
  /** The proposed body of the clause: plain text, one line per block. */
  text: string
  rationale: string
  /** Who started it ('' when only the status document's copy is left, which names no id). */
  authorId: string
  authorName: string
  createdAt: number
  /** Set when the party lead shared it. */
  shared: { by: string; byName: string; at: number } | null
  /** True when the mediator adopted it into the working draft. */
  adopted: boolean
}

function textOf(value: unknown): string {
  return value instanceof Y.Text ? value.toString() : typeof value === 'string' ? value : ''
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

/** The proposals in a layer document of party `partyId` (entries that do not read are left out). */
export function readLayerProposals(doc: Y.Doc, partyId: string): LegacyProposal[] {
  const out: LegacyProposal[] = []
  for (const value of doc.getMap<unknown>(LEGACY_PROPOSALS_ROOT).values()) {
    if (!(value instanceof Y.Map)) continue
    const id = value.get('id')
    const clauseId = value.get('clauseId')
    if (typeof id !== 'string' || typeof clauseId !== 'string') continue
    const sharedAt = value.get('sharedAt')
    out.push({
      id,
      partyId,
      clauseId,
      baseIteration: numberOr(value.get('baseIteration'), 0),
      text: textOf(value.get('text')),
      rationale: textOf(value.get('rationale')),
      authorId: String(value.get('authorId') ?? ''),
      authorName: String(value.get('authorName') ?? ''),
      createdAt: numberOr(value.get('createdAt'), 0),
      shared:
        value.get('status') === 'shared' ? { by: '', byName: '', at: numberOr(sharedAt, 0) } : null,
      adopted: false,
    })
  }
  return out
}

/** The shared proposals of a status document (entries that do not read are left out). */
export function readSharedProposals(statusDoc: Y.Doc): LegacyProposal[] {
  const out: LegacyProposal[] = []
  for (const [key, value] of statusDoc.getMap<unknown>(LEGACY_PROPOSALS_ROOT).entries()) {
    if (typeof value !== 'object' || value === null) continue
    const entry = value as Record<string, unknown>
    if (typeof entry.partyId !== 'string' || typeof entry.clauseId !== 'string') continue
    const sharedAt = numberOr(entry.sharedAt, 0)
    out.push({
      id: typeof entry.id === 'string' ? entry.id : key,
      partyId: entry.partyId,
      clauseId: entry.clauseId,
      baseIteration: numberOr(entry.baseIteration, 0),
      text: textOf(entry.text),
      rationale: textOf(entry.rationale),
      authorId: '',
      authorName: String(entry.authorName ?? ''),
      createdAt: sharedAt,
      shared: {
        by: String(entry.sharedBy ?? ''),
        byName: String(entry.sharedByName ?? ''),
        at: sharedAt,
      },
      adopted: entry.status === 'adopted',
    })
  }
  return out
}

/**
 * The proposals of a negotiation, one per id, oldest first: a shared one's words, rationale and
 * sharing from the status document's frozen copy, its author's id and creation time from the layer.
 */
export function mergeProposals(
  layers: readonly LegacyProposal[],
  shared: readonly LegacyProposal[],
): LegacyProposal[] {
  const byId = new Map<string, LegacyProposal>()
  for (const proposal of layers) byId.set(proposal.id, proposal)
  for (const frozen of shared) {
    const drafted = byId.get(frozen.id)
    byId.set(
      frozen.id,
      drafted
        ? {
            ...frozen,
            authorId: drafted.authorId,
            authorName: drafted.authorName || frozen.authorName,
            createdAt: drafted.createdAt || frozen.createdAt,
          }
        : frozen,
    )
  }
  // A layer entry marked shared with no frozen copy in the status document was never shared.
  return [...byId.values()]
    .map((proposal) =>
      proposal.shared && proposal.shared.by === '' && !shared.some((s) => s.id === proposal.id)
        ? { ...proposal, shared: null }
        : proposal,
    )
    .sort((a, b) => a.createdAt - b.createdAt)
}

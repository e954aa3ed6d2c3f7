/**
 * Document names. Each audience of a negotiation has its own Y.Doc (docs/ARCHITECTURE.md "Confidentiality"), named
 * `<negotiationId>.<kind>` or `<negotiationId>.<kind>.<partyId>` for per-party kinds. Names are
 * what clients put after `/sync/` in the websocket URL.
 */
import { MAX_DOCUMENT_NAME_LENGTH } from './limits'

/**
 * The kinds of live document a negotiation has. `status` is written only by the server (iterations,
 * sign-offs, shared proposals, votes); every table member may read it.
 */
export type DocumentKind = 'draft' | 'layer' | 'caucus' | 'table' | 'status' | 'supplement'

/**
 * A parsed document name. `partyId` is set exactly for `layer` and `caucus` (the party) and for
 * `supplement` (the local supplement's id).
 */
export interface DocumentRef {
  negotiationId: string
  kind: DocumentKind
  partyId?: string
}

const ID = '[a-z0-9][a-z0-9-]{0,62}'
const NAME_PATTERN = new RegExp(
  `^(${ID})\\.(draft|table|status|layer|caucus|supplement)(?:\\.(${ID}))?$`,
)

/** True when `id` is a valid negotiation or party id: lowercase letters, digits and dashes. */
export function isValidId(id: string): boolean {
  return new RegExp(`^${ID}$`).test(id)
}

/** Formats a document name. Throws RangeError for an invalid id or a missing/extra party. */
export function formatDocumentName(ref: DocumentRef): string {
  const perParty = ref.kind === 'layer' || ref.kind === 'caucus' || ref.kind === 'supplement'
  if (!isValidId(ref.negotiationId))
    throw new RangeError(`invalid negotiation id: ${ref.negotiationId}`)
  if (perParty !== (ref.partyId !== undefined)) {
    throw new RangeError(`document kind ${ref.kind} ${perParty ? 'needs' : 'takes no'} party id`)
  }
  if (ref.partyId !== undefined && !isValidId(ref.partyId)) {
    throw new RangeError(`invalid party id: ${ref.partyId}`)
  }
  return ref.partyId === undefined
    ? `${ref.negotiationId}.${ref.kind}`
    : `${ref.negotiationId}.${ref.kind}.${ref.partyId}`
}

/** Parses a document name, or returns null for anything that is not a well-formed name. */
export function parseDocumentName(name: string): DocumentRef | null {
  if (name.length > MAX_DOCUMENT_NAME_LENGTH) return null
  const match = NAME_PATTERN.exec(name)
  if (!match) return null
  const [, negotiationId, kind, partyId] = match
  if (negotiationId === undefined || kind === undefined) return null
  const perParty = kind === 'layer' || kind === 'caucus' || kind === 'supplement'
  if (perParty !== (partyId !== undefined)) return null
  return partyId === undefined
    ? { negotiationId, kind: kind as DocumentKind }
    : { negotiationId, kind: kind as DocumentKind, partyId }
}

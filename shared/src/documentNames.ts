/**
 * Document names. Each audience of a negotiation has its own Y.Doc (docs/ARCHITECTURE.md "Confidentiality"), named
 * `<negotiationId>.<kind>`, `<negotiationId>.<kind>.<partyId>` for per-party kinds, or
 * `<negotiationId>.suggest.<partyId>.<iteration>` for a party's suggestion copy of one iteration.
 * Names are what clients put after `/sync/` in the websocket URL.
 */
import { MAX_DOCUMENT_NAME_LENGTH } from './limits'

/**
 * The kinds of live document a negotiation has. `status` is written only by the server (iterations,
 * sign-offs, shared suggestions, votes); every table member may read it. `suggest` is a party's copy
 * of one circulated iteration, which its members edit to suggest changes.
 */
export type DocumentKind =
  | 'draft'
  | 'layer'
  | 'caucus'
  | 'table'
  | 'status'
  | 'supplement'
  | 'suggest'

/**
 * A parsed document name. `partyId` is set exactly for `layer`, `caucus` and `suggest` (the party)
 * and for `supplement` (the local supplement's id); `iteration` exactly for `suggest` (the number of
 * the iteration the copy is of, 1 to {@link MAX_COPY_ITERATION}).
 */
export interface DocumentRef {
  negotiationId: string
  kind: DocumentKind
  partyId?: string
  iteration?: number
}

/** The highest iteration number a suggestion copy's name may carry. */
export const MAX_COPY_ITERATION = 999_999

const ID = '[a-z0-9][a-z0-9-]{0,62}'
const NAME_PATTERN = new RegExp(
  `^(${ID})\\.(draft|table|status|layer|caucus|supplement|suggest)(?:\\.(${ID}))?(?:\\.([1-9][0-9]{0,5}))?$`,
)

const PER_PARTY: ReadonlySet<DocumentKind> = new Set(['layer', 'caucus', 'supplement', 'suggest'])

/** True when `id` is a valid negotiation or party id: lowercase letters, digits and dashes. */
export function isValidId(id: string): boolean {
  return new RegExp(`^${ID}$`).test(id)
}

/**
 * Formats a document name. Throws RangeError for an invalid id, a missing or extra party, or an
 * iteration that is missing (for `suggest`), extra (any other kind) or not an integer 1..999999.
 */
export function formatDocumentName(ref: DocumentRef): string {
  const perParty = PER_PARTY.has(ref.kind)
  if (!isValidId(ref.negotiationId))
    throw new RangeError(`invalid negotiation id: ${ref.negotiationId}`)
  if (perParty !== (ref.partyId !== undefined)) {
    throw new RangeError(`document kind ${ref.kind} ${perParty ? 'needs' : 'takes no'} party id`)
  }
  if (ref.partyId !== undefined && !isValidId(ref.partyId)) {
    throw new RangeError(`invalid party id: ${ref.partyId}`)
  }
  const copy = ref.kind === 'suggest'
  if (copy !== (ref.iteration !== undefined)) {
    throw new RangeError(`document kind ${ref.kind} ${copy ? 'needs' : 'takes no'} iteration`)
  }
  if (
    ref.iteration !== undefined &&
    (!Number.isInteger(ref.iteration) || ref.iteration < 1 || ref.iteration > MAX_COPY_ITERATION)
  ) {
    throw new RangeError(`invalid iteration: ${ref.iteration}`)
  }
  const base =
    ref.partyId === undefined
      ? `${ref.negotiationId}.${ref.kind}`
      : `${ref.negotiationId}.${ref.kind}.${ref.partyId}`
  return ref.iteration === undefined ? base : `${base}.${ref.iteration}`
}

/** Parses a document name, or returns null for anything that is not a well-formed name. */
export function parseDocumentName(name: string): DocumentRef | null {
  if (name.length > MAX_DOCUMENT_NAME_LENGTH) return null
  const match = NAME_PATTERN.exec(name)
  if (!match) return null
  const [, negotiationId, kindText, partyId, iterationText] = match
  if (negotiationId === undefined || kindText === undefined) return null
  const kind = kindText as DocumentKind
  if (PER_PARTY.has(kind) !== (partyId !== undefined)) return null
  if ((kind === 'suggest') !== (iterationText !== undefined)) return null
  const ref: DocumentRef = { negotiationId, kind }
  if (partyId !== undefined) ref.partyId = partyId
  if (iterationText !== undefined) ref.iteration = Number(iterationText)
  return ref
}

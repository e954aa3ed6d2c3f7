/**
 * The address of every view of a negotiation, so that each can be linked, reloaded and reached
 * with the browser's back and forward. Under `/negotiations/<id>`:
 *
 * | path | view |
 * | --- | --- |
 * | (nothing) | the person's default view |
 * | `/text`, `/text/clause/<clauseId>` | the current iteration, a clause selected |
 * | `/iterations`, `/iterations/<n>`, `/iterations/<n>/clause/<clauseId>` | all iterations (the published national text for a local table) |
 * | `/compare`, `/compare/<from>/<to>` | two iterations compared |
 * | `/board` | the status board |
 * | `/suggest`, `/suggest/<party>` | a party's suggestions on the current iteration (its own party's for a member) |
 * | `/draft`, `/table`, `/layer/<party>`, `/caucus/<party>`, `/supplement/<id>` | a live document |
 *
 * Parsing never fails: an address it does not know is the default view.
 */
import {
  type DocumentKind,
  formatDocumentName,
  isValidId,
  parseDocumentName,
} from '@onetext/shared/documentNames'

/** One view, as its address says. */
export type ViewRoute =
  | { view: 'default' }
  | { view: 'text'; clauseId?: string }
  | { view: 'published'; iteration?: number; clauseId?: string }
  | { view: 'compare'; from?: number; to?: number }
  | { view: 'board' }
  | { view: 'suggest'; partyId?: string }
  | { view: 'document'; name: string }

const DOCUMENT_KINDS: ReadonlySet<string> = new Set<DocumentKind>([
  'draft',
  'table',
  'layer',
  'caucus',
  'supplement',
])

/** A clause id in an address: what the server assigns (letters, digits, dashes, underscores; as the schema allows). */
const CLAUSE_ID = /^[A-Za-z0-9_-]{1,64}$/

function iterationNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^[1-9][0-9]{0,8}$/.test(text)) return undefined
  return Number(text)
}

function clauseOf(parts: readonly string[], at: number): string | undefined {
  if (parts[at] !== 'clause') return undefined
  const id = parts[at + 1]
  return id !== undefined && CLAUSE_ID.test(id) ? id : undefined
}

/** Reads `rest`, the path after `/negotiations/<id>`, for negotiation `negotiationId`. */
export function parseViewRoute(negotiationId: string, rest: string): ViewRoute {
  const parts = rest
    .split('/')
    .filter((part) => part !== '')
    .map((part) => {
      try {
        return decodeURIComponent(part)
      } catch {
        return ''
      }
    })
  const [head] = parts
  if (head === 'text') {
    const clauseId = clauseOf(parts, 1)
    return clauseId ? { view: 'text', clauseId } : { view: 'text' }
  }
  if (head === 'iterations') {
    const iteration = iterationNumber(parts[1])
    if (iteration === undefined) return { view: 'published' }
    const clauseId = clauseOf(parts, 2)
    return clauseId ? { view: 'published', iteration, clauseId } : { view: 'published', iteration }
  }
  if (head === 'compare') {
    const from = iterationNumber(parts[1])
    const to = iterationNumber(parts[2])
    return from !== undefined && to !== undefined
      ? { view: 'compare', from, to }
      : { view: 'compare' }
  }
  if (head === 'board') return { view: 'board' }
  if (head === 'suggest') {
    const partyId = parts[1]
    if (partyId === undefined) return { view: 'suggest' }
    return isValidId(partyId) && parts.length === 2
      ? { view: 'suggest', partyId }
      : { view: 'default' }
  }
  if (head !== undefined && DOCUMENT_KINDS.has(head)) {
    const name = parts.length <= 2 ? `${negotiationId}.${parts.join('.')}` : ''
    const ref = parseDocumentName(name)
    if (ref && ref.negotiationId === negotiationId) return { view: 'document', name }
  }
  return { view: 'default' }
}

/** The address of `route` in negotiation `negotiationId`. */
export function viewPath(negotiationId: string, route: ViewRoute): string {
  const base = `/negotiations/${encodeURIComponent(negotiationId)}`
  const clause = (clauseId: string | undefined) =>
    clauseId ? `/clause/${encodeURIComponent(clauseId)}` : ''
  switch (route.view) {
    case 'default':
      return base
    case 'text':
      return `${base}/text${clause(route.clauseId)}`
    case 'published':
      return route.iteration === undefined
        ? `${base}/iterations`
        : `${base}/iterations/${route.iteration}${clause(route.clauseId)}`
    case 'compare':
      return route.from !== undefined && route.to !== undefined
        ? `${base}/compare/${route.from}/${route.to}`
        : `${base}/compare`
    case 'board':
      return `${base}/board`
    case 'suggest':
      return route.partyId === undefined
        ? `${base}/suggest`
        : `${base}/suggest/${encodeURIComponent(route.partyId)}`
    case 'document': {
      const ref = parseDocumentName(route.name)
      if (!ref) return base
      // Round-trips through the formatter so that only well-formed names become addresses.
      const name = formatDocumentName(ref)
      return `${base}/${name
        .slice(ref.negotiationId.length + 1)
        .split('.')
        .map(encodeURIComponent)
        .join('/')}`
    }
  }
}

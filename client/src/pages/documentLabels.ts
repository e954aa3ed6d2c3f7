/**
 * Names of a negotiation's live documents as people say them.
 */
import type { ApiDocument, ApiParty } from '@onetext/shared/apiTypes'

/** "Working draft", "Management layer", "Coalition of Unions caucus notes", "Table". */
export function documentLabel(document: ApiDocument, parties: readonly ApiParty[]): string {
  const party = parties.find((candidate) => candidate.id === document.partyId)
  switch (document.kind) {
    case 'draft':
      return 'Working draft'
    case 'layer':
      return `${party?.name ?? 'Party'} layer`
    case 'caucus':
      return `${party?.name ?? 'Party'} caucus notes`
    case 'table':
      return 'Table'
    case 'status':
      return 'Status'
    case 'supplement':
      return 'Local supplement'
    case 'suggest':
      return `${party?.name ?? 'Party'} suggestions on Single Text ${document.iteration ?? ''}`.trim()
  }
}

/** One sentence on who can see the document, shown above it. */
export function documentAudience(document: ApiDocument, parties: readonly ApiParty[]): string {
  const party = parties.find((candidate) => candidate.id === document.partyId)
  switch (document.kind) {
    case 'draft':
      return document.access === 'write'
        ? 'The working draft of the single text. Only the mediators and the drafting team open it, unless the mediator opens drafting to the table; the parties read what is circulated.'
        : 'The mediator’s working draft, live, before it is circulated: the mediator has opened drafting to the table. Only a circulated iteration is the single text.'
    case 'layer':
      return `Notes of ${party?.name ?? 'the party'}, private to the party (and the mediator). The party suggests changes in its own copy of the current single text; they reach the table only when the lead shares them.`
    case 'caucus':
      return `Only ${party?.name ?? 'the party'} can read these notes. Not even the mediator sees them.`
    case 'table':
      return 'Visible to everyone at the table.'
    case 'status':
      return 'Iterations, sign-offs and votes, kept by the server.'
    case 'supplement':
      return 'Your local table’s text, derived from a published national iteration.'
    case 'suggest':
      return `The suggestions of ${party?.name ?? 'the party'} on the current single text, private to the party (and the mediator) until the lead shares them.`
  }
}

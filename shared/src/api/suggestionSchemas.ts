/**
 * Schemas of the suggestion routes: listing a negotiation's suggestions (a party's drafts computed
 * from its copy of the iteration, and the shared ones with their decisions), sharing them (party
 * lead), and accepting or rejecting their changes (mediator).
 */
import Type, { type Static } from 'typebox'
import { MAX_COPY_ITERATION } from '../documentNames'
import { ClientState, CountParam, IdParam } from './commonSchemas'

/** Most clause ids one share may name. */
export const MAX_CLAUSE_IDS_PER_SHARE = 1000

const ChangeKind = Type.Union([
  Type.Literal('insert'),
  Type.Literal('delete'),
  Type.Literal('format'),
])

/** What became of a change: a draft is not shared yet; the others are a shared change's status. */
const ChangeStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('open'),
  Type.Literal('accepted'),
  Type.Literal('rejected'),
  Type.Literal('outdated'),
])

/** One change of a suggestion. */
export const SuggestionChange = Type.Object({
  id: Type.String({ description: 'Unique within its suggestion.' }),
  kind: ChangeKind,
  text: Type.String({ description: 'The inserted, struck or reformatted words.' }),
  authorId: Type.String({ description: 'Who made the change (`""` when unknown).' }),
  authorName: Type.String(),
  at: Type.Integer({ description: 'When it was made (ms since 1970; 0 when unknown).' }),
  status: ChangeStatus,
  pairedWith: Type.Optional(
    Type.String({ description: 'The change it pairs with (a delete and its replacing insert).' }),
  ),
  marks: Type.Optional(
    Type.Object({ add: Type.Array(Type.String()), remove: Type.Array(Type.String()) }),
  ),
})

/** A party's changes to one clause: a draft (not shared yet) or shared with the table. */
export const Suggestion = Type.Object({
  id: Type.String(),
  clauseId: Type.String(),
  partyId: Type.String(),
  authorId: Type.String({ description: 'The author of its earliest change.' }),
  authorName: Type.String(),
  status: Type.Union([
    Type.Literal('draft'),
    Type.Literal('shared'),
    Type.Literal('accepted'),
    Type.Literal('rejected'),
    Type.Literal('outdated'),
  ]),
  iteration: Type.Integer({ description: 'The iteration the changes were written against.' }),
  changes: Type.Array(SuggestionChange),
  rationale: Type.String(),
  sharedByName: Type.Optional(Type.String()),
  sharedAt: Type.Optional(Type.Integer()),
  supersedes: Type.Optional(Type.String()),
})

/** Query of the suggestion list. */
export const SuggestionQuery = Type.Object({
  clause: Type.Optional(IdParam('Only suggestions on this clause.')),
  iteration: Type.Optional(
    CountParam('Only suggestions written against this iteration (drafts: the latest by default).'),
  ),
})

/** Body of sharing suggestions. */
export const ShareSuggestionsBody = Type.Object({
  iteration: Type.Integer({
    minimum: 1,
    maximum: MAX_COPY_ITERATION,
    description: 'The iteration the party’s copy was made from (the latest).',
  }),
  clauseIds: Type.Optional(
    Type.Array(IdParam('A clause to share.'), {
      minItems: 1,
      maxItems: MAX_CLAUSE_IDS_PER_SHARE,
      description: 'The clauses to share; every clause with changes when absent.',
    }),
  ),
  clientState: Type.Optional(ClientState),
})

/** `:id/suggestions/:suggestionId`. */
export const SuggestionParams = Type.Object({
  id: IdParam('The negotiation.'),
  suggestionId: IdParam('The shared suggestion.'),
})

/** `:id/suggestions/:suggestionId/changes/:changeId`. */
export const SuggestionChangeParams = Type.Object({
  id: IdParam('The negotiation.'),
  suggestionId: IdParam('The shared suggestion.'),
  changeId: IdParam('The change.'),
})

/** Body of a decision: none, or the client's state of the working draft. */
export const DecideSuggestionBody = Type.Union([
  Type.Object({ clientState: Type.Optional(ClientState) }),
  Type.Null(),
])

/** A suggestion as the list answers it. */
export type SuggestionSummary = Static<typeof Suggestion>
/** One change of a {@link SuggestionSummary}. */
export type SuggestionChangeSummary = Static<typeof SuggestionChange>

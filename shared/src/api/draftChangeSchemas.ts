/**
 * Schemas of "changes since Single Text N": the mediator's review, before circulating, of how the
 * working draft differs from iteration N, clause by clause, as word-level tracked changes, each
 * labelled with where it came from (an accepted suggestion's party, author, suggestion and
 * decision, or the mediator's own edit).
 */
import Type, { type Static } from 'typebox'
import { CountParam } from './commonSchemas'

/** Query of the changes since an iteration. */
export const DraftChangesQuery = Type.Object({
  since: Type.Optional(CountParam('The iteration to compare with (the latest by default).')),
})

/** Where a change of the draft came from: an accepted change of a shared suggestion. */
export const DraftChangeProvenance = Type.Object({
  partyId: Type.String(),
  authorId: Type.String({ description: 'Who wrote the accepted words (`""` when unknown).' }),
  authorName: Type.String(),
  suggestionId: Type.String(),
  changeId: Type.String(),
  iteration: Type.Integer({ description: 'The iteration the suggestion was written against.' }),
  acceptedBy: Type.String(),
  acceptedByName: Type.String(),
  acceptedAt: Type.Integer({ description: 'ms since 1970 (0 when unknown).' }),
  edited: Type.Boolean({
    description: 'True when the mediator changed the words around or inside the accepted change.',
  }),
})

/** One change of the draft against the iteration. */
export const DraftChange = Type.Object({
  kind: Type.Union([Type.Literal('insert'), Type.Literal('delete'), Type.Literal('format')]),
  text: Type.String({
    description:
      'The inserted, struck or reformatted words; a newline first when the change opens a paragraph after words of the one before.',
  }),
  before: Type.String({
    description:
      'The words before the change in the iteration, up to six words back within its paragraph ("" at an edge).',
  }),
  after: Type.String({
    description:
      'The words after the change in the iteration, up to six words on within its paragraph ("" at an edge).',
  }),
  pairedWith: Type.Optional(
    Type.Integer({ description: 'Index of the change it pairs with (a delete and its insert).' }),
  ),
  marks: Type.Optional(
    Type.Object({ add: Type.Array(Type.String()), remove: Type.Array(Type.String()) }),
  ),
  provenance: Type.Union([DraftChangeProvenance, Type.Null()], {
    description: 'The accepted suggestion it came from; null for the mediator’s own edit.',
  }),
})

/** One clause's changes. */
export const DraftClauseChanges = Type.Object({
  clauseId: Type.String(),
  number: Type.String({ description: 'The clause’s number in the draft.' }),
  heading: Type.String(),
  rewritten: Type.Boolean({ description: 'True when the clause changed too much to align words.' }),
  changes: Type.Array(DraftChange),
})

/** The answer: the draft's changes since iteration `since`, clause by clause in draft order. */
export const DraftChangesResponse = Type.Object({
  since: Type.Integer(),
  clauses: Type.Array(DraftClauseChanges),
})

/** The changes since an iteration as the API answers them. */
export type DraftChangesSummary = Static<typeof DraftChangesResponse>
/** One clause of a {@link DraftChangesSummary}. */
export type DraftClauseChangesSummary = Static<typeof DraftClauseChanges>
/** One change of a {@link DraftClauseChangesSummary}. */
export type DraftChangeSummary = Static<typeof DraftChange>
/** Where a {@link DraftChangeSummary} came from. */
export type DraftChangeProvenanceSummary = Static<typeof DraftChangeProvenance>

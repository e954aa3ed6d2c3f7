/**
 * Schemas of local supplements: a local table's own text started from a published iteration.
 */
import Type from 'typebox'
import { CountParam, IdParam } from './commonSchemas'
import { ClauseDiffRow } from './iterationSchemas'

/** A local supplement the caller may open. */
export const SupplementInfo = Type.Object({
  id: Type.String(),
  title: Type.String(),
  baseIteration: Type.Integer(),
  createdAt: Type.Integer(),
  document: Type.String({ description: 'The live document to open over `/sync/<name>`.' }),
  access: Type.Union([Type.Literal('read'), Type.Literal('write')]),
})

/** Body of starting a supplement. */
export const CreateSupplementBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  iteration: CountParam('The published iteration it starts from.'),
})

/** `:id/supplements/:supplementId`. */
export const SupplementParams = Type.Object({
  id: IdParam('The negotiation.'),
  supplementId: IdParam('The supplement.'),
})

/** A supplement compared with the national text it derives from. */
export const SupplementDiff = Type.Object({
  baseIteration: Type.Integer(),
  latestPublished: Type.Integer(),
  nationalChanged: Type.Array(Type.String(), {
    description: 'Clauses whose national words changed since the base iteration.',
  }),
  clauses: Type.Array(ClauseDiffRow),
})

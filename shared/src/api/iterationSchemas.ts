/**
 * Schemas of iterations (circulated versions of the single text), their comparison, a clause's
 * history and the downloads.
 */
import Type from 'typebox'
import { ClientState, CountParam, IdParam } from './commonSchemas'

/** Longest note on a circulated iteration. */
export const MAX_ITERATION_NOTE_LENGTH = 2000

/** Body of `POST /api/negotiations/:id/iterations`. */
export const CirculateBody = Type.Object({
  note: Type.Optional(
    Type.String({
      maxLength: MAX_ITERATION_NOTE_LENGTH,
      description: 'The note to the table (members read it; local tables never do).',
    }),
  ),
  publishedNote: Type.Optional(
    Type.String({
      maxLength: MAX_ITERATION_NOTE_LENGTH,
      description: 'The note for the published record: what local tables read with the text.',
    }),
  ),
  clientState: Type.Optional(ClientState),
})

/** Answer of circulating. */
export const CirculateResponse = Type.Object({
  number: Type.Integer(),
  createdAt: Type.Integer(),
})

/** One row of `GET /api/negotiations/:id/iterations`. */
export const IterationSummary = Type.Object({
  number: Type.Integer(),
  createdAt: Type.Integer(),
  note: Type.String(),
  published: Type.Boolean(),
})

/** A clause of an iteration, as text. */
export const ClauseText = Type.Object({
  id: Type.String(),
  number: Type.String({ description: '"3", "3.1" or "3.1(a)".' }),
  depth: Type.Integer({
    minimum: 1,
    description: 'Its depth in the clause tree: 1 an article, 2 a section, 3 a sub-section.',
  }),
  heading: Type.String(),
  text: Type.String({ description: 'The body, one line per block.' }),
})

/**
 * A clause and its child clauses, nested: the clause tree of an iteration or of the working draft
 * (`id` is the stable clause id; empty for a clause of the working draft not yet given one).
 */
export const ClauseTreeNode = Type.Cyclic(
  {
    ClauseTreeNode: Type.Object({
      id: Type.String(),
      number: Type.String({ description: '"3", "3.1", "3.1(a)" or "3.1(a)(ii)".' }),
      heading: Type.String(),
      children: Type.Array(Type.Ref('ClauseTreeNode')),
    }),
  },
  'ClauseTreeNode',
)

/** Body of `GET /api/negotiations/:id/iterations/:n`. */
export const IterationDetail = Type.Object({
  number: Type.Integer(),
  createdAt: Type.Integer(),
  note: Type.String(),
  published: Type.Boolean(),
  clauses: Type.Array(ClauseText, { description: 'Every clause, flat, in document order.' }),
  tree: Type.Array(ClauseTreeNode, {
    description: 'The same clauses as a tree: top-level clauses, each with its children.',
  }),
  html: Type.String({ description: 'The text as HTML (body only), clauses numbered.' }),
  markdown: Type.String(),
  doc: Type.Unknown({
    description:
      'The text as ProseMirror JSON (the shared schema): what a party’s suggestions on this iteration are compared with, and what shared suggestions’ token spans index.',
  }),
})

/** `:id/iterations/:n`. */
export const IterationParams = Type.Object({
  id: IdParam('The negotiation.'),
  n: CountParam('The iteration number.'),
})

/** Body of publishing an iteration to observers (default true). */
export const PublishBody = Type.Object({ published: Type.Optional(Type.Boolean()) })

/** Answer of publishing. */
export const PublishResponse = Type.Object({ number: Type.Integer(), published: Type.Boolean() })

/** Query of a comparison of iteration `from` with iteration `to`. */
export const DiffQuery = Type.Object({
  from: CountParam('The older iteration.'),
  to: CountParam('The newer iteration.'),
})

/** One word-level operation: kept, inserted or deleted text. */
export const WordOp = Type.Tuple([
  Type.Union([Type.Literal('='), Type.Literal('+'), Type.Literal('-')]),
  Type.String(),
])

/** One clause of a comparison. */
export const ClauseDiffRow = Type.Object({
  id: Type.String(),
  number: Type.String(),
  fromNumber: Type.Union([Type.String(), Type.Null()]),
  heading: Type.String(),
  change: Type.Enum(['added', 'removed', 'changed', 'moved', 'same']),
  ops: Type.Array(WordOp, { description: 'Over `heading + "\\n" + text`.' }),
})

/** Answer of `GET /api/negotiations/:id/diff`. */
export const DiffResponse = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  clauses: Type.Array(ClauseDiffRow),
})

/** Body of `GET /api/negotiations/:id/draft/clauses`: the working draft's clause tree. */
export const DraftClauses = Type.Object({
  tree: Type.Array(ClauseTreeNode, {
    description: 'Top-level clauses of the working draft as it is now, each with its children.',
  }),
})

/** The formats an iteration exports to (`akn`: Akoma Ntoso 3.0 XML). */
export const ExportFormat = Type.Enum(['docx', 'pdf', 'html', 'md', 'akn'])

/** Query of an iteration's export. */
export const ExportQuery = Type.Object({ format: ExportFormat })

/** Query of a blackline (iteration `to` against `from`). */
export const BlacklineQuery = Type.Object({
  from: CountParam('The older iteration.'),
  to: CountParam('The newer iteration.'),
  format: Type.Enum(['docx', 'pdf', 'html']),
})

/**
 * Schemas of negotiations: the list, one negotiation with the documents the caller may open, and
 * starting one from an imported text.
 */
import Type from 'typebox'
import { MAX_IMPORT_BODY_BYTES, MAX_PARTIES } from '../limits'
import { PartyRef, Role } from './roleSchemas'

/** One row of `GET /api/negotiations`. */
export const NegotiationSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  role: Role,
  partyId: PartyRef,
})

/** A party at the table. */
export const ApiParty = Type.Object({
  id: Type.String(),
  name: Type.String(),
  color: Type.String({ description: 'CSS colour, e.g. `#b42318`.' }),
})

/** A live document the caller may open over `/sync/<name>`. */
export const ApiDocument = Type.Object({
  name: Type.String({ description: '`<negotiation>.<kind>[.<party>[.<iteration>]]`' }),
  kind: Type.Enum(['draft', 'layer', 'caucus', 'table', 'status', 'supplement', 'suggest']),
  partyId: Type.Optional(Type.String()),
  iteration: Type.Optional(
    Type.Integer({ minimum: 1, description: 'The iteration a `suggest` copy is of.' }),
  ),
  access: Type.Union([Type.Literal('read'), Type.Literal('write')]),
})

/** Body of `GET /api/negotiations/:id`. */
/** A negotiation's settings (the mediator's to change). */
export const NegotiationSettings = Type.Object({
  openDrafting: Type.Boolean({
    description:
      'The table (party leads and members) reads the working draft live, read-only. Off by default: only the mediators and the drafting team open it, everyone else reads circulated iterations.',
  }),
})

export const NegotiationDetail = Type.Object({
  id: Type.String(),
  title: Type.String(),
  parties: Type.Array(ApiParty),
  me: Type.Object({ userId: Type.String(), role: Role, partyId: PartyRef }),
  settings: NegotiationSettings,
  documents: Type.Array(ApiDocument),
})

/** Body of `POST /api/negotiations`. */
export const CreateNegotiationBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 300 }),
  parties: Type.Array(Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }), {
    minItems: 2,
    maxItems: MAX_PARTIES,
    description: 'The parties’ names, in seating order.',
  }),
  format: Type.Union([Type.Literal('md'), Type.Literal('docx')]),
  content: Type.String({
    minLength: 1,
    maxLength: MAX_IMPORT_BODY_BYTES,
    description: 'The Markdown, or the .docx file base64-encoded.',
  }),
})

/** Answer of `POST /api/negotiations`. */
export const CreateNegotiationResponse = Type.Object({
  id: Type.String(),
  title: Type.String(),
  parties: Type.Array(ApiParty),
})

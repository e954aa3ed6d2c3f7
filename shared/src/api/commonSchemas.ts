/**
 * Schemas every part of the HTTP API uses: the error body, `{ok: true}`, identifiers in paths, and
 * a helper that lists a route's error answers. TypeBox schemas are JSON Schema: the server
 * validates with them, the OpenAPI document is built from them, the client takes its types from them.
 */
import Type, { type TSchema } from 'typebox'
import { MAX_CLIENT_STATE_LENGTH } from '../limits'

/** Every error answer: a code for programs and words for a person. */
export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'A stable code, e.g. `invalid-body` or `forbidden`.' }),
    message: Type.String({ description: 'What went wrong, in words for a person.' }),
  },
  { description: 'An error answer.' },
)

/**
 * The client's Yjs state vector of the document a command acts on, base64 (see docs/API.md,
 * "Commands act on what the user saw"): the server acts once its copy includes it, or answers
 * `409 not-synced`.
 */
export const ClientState = Type.String({
  maxLength: MAX_CLIENT_STATE_LENGTH,
  pattern: '^[A-Za-z0-9+/]*={0,2}$',
  description:
    'The Yjs state vector of the document the command acts on, as the client saw it (base64). The server waits (at most 3 s) until its copy includes it, else answers 409 `not-synced`.',
})

/** `{"ok": true}`. */
export const OkBody = Type.Object({ ok: Type.Literal(true) })

/** Longest identifier accepted in a path (negotiation, clause, suggestion, vote, user, token). */
export const MAX_ID_LENGTH = 200

/** An identifier in a path: 1 to MAX_ID_LENGTH characters. */
export function IdParam(description: string) {
  return Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH, description })
}

/** `:id`, a negotiation. */
export const NegotiationParams = Type.Object({ id: IdParam('The negotiation.') })

/** A number that counts from 1 (an iteration), in a path or a query. */
export function CountParam(description: string) {
  return Type.Integer({ minimum: 1, maximum: 2_147_483_647, description })
}

/** The error answers a route may give, each an {@link ErrorBody}, keyed by status. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {}
  for (const status of statuses) out[status] = ErrorBody
  return out
}

/**
 * Roles in a negotiation (docs/DOMAIN.md "Roles") as a schema.
 */
import Type from 'typebox'

/** Every role, in the order the UI lists them. */
export const ROLE_NAMES = [
  'mediator',
  'party-lead',
  'party-member',
  'drafting-team',
  'observer',
] as const

/** A role in a negotiation. */
export const Role = Type.Enum(ROLE_NAMES)

/** A party id or null (the mediator and observers belong to none). */
export const PartyRef = Type.Union([Type.String({ maxLength: 200 }), Type.Null()])

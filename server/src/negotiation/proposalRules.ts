/**
 * What may happen to the proposals in a party's layer (see shared/src/layerDoc.ts for the fields),
 * checked by an {@link EntryGuard}: every member of the party drafts the words together, but nobody
 * may start a proposal in somebody else's name, and nobody may mark one shared - the server does
 * that when the lead shares it, and the name it was started under is what the table then reads.
 * - a new proposal carries its writer's own identity (authorId, authorName), is a draft, and has
 *   its id, clause, base iteration, creation time and a text and rationale to write in;
 * - an existing proposal keeps those as they were, and its status and shared time as the server set
 *   them; its text and rationale stay texts, which anyone who may write the layer may edit;
 * - only its author may delete it; the proposals map holds proposals and nothing else.
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import { PROPOSALS_ROOT } from '@onetext/shared/layerDoc'
import * as Y from 'yjs'
import { deletedOnlyByAuthor, type EntryRules, type EntryState } from './EntryGuard'

/** Fields a proposal keeps as they were written (by its author, or by the server for the last two). */
const FIXED_FIELDS = [
  'id',
  'clauseId',
  'baseIteration',
  'authorId',
  'authorName',
  'createdAt',
  'status',
  'sharedAt',
] as const

/** The fields a proposal may have; its two texts are read as whether they are Y.Text. */
const KNOWN_FIELDS: ReadonlySet<string> = new Set([...FIXED_FIELDS, 'text', 'rationale'])

/** Reads a proposal map: its fixed fields, whether text and rationale are texts, its other keys. */
function readProposal(value: unknown): EntryState {
  if (!(value instanceof Y.Map)) return null
  const state: Record<string, unknown> = {}
  for (const field of FIXED_FIELDS) if (value.has(field)) state[field] = value.get(field)
  state.textIsText = value.get('text') instanceof Y.Text
  state.rationaleIsText = value.get('rationale') instanceof Y.Text
  state.unknownFields = Array.from(value.keys()).filter((key) => !KNOWN_FIELDS.has(key))
  return state
}

/** True when `state` is well formed: texts where texts belong and no field it should not have. */
function wellFormed(state: Record<string, unknown>): boolean {
  return (
    state.textIsText === true &&
    state.rationaleIsText === true &&
    Array.isArray(state.unknownFields) &&
    state.unknownFields.length === 0
  )
}

/** True when `after` differs from `before` only in ways `author` may make. */
export function proposalChangesAllowed(
  before: ReadonlyMap<string, EntryState>,
  after: ReadonlyMap<string, EntryState>,
  author: PresenceUser,
): boolean {
  for (const [id, state] of after) {
    if (state === null || !wellFormed(state)) return false
    const previous = before.get(id)
    if (previous === undefined || previous === null) {
      // New: a draft, started by its writer in their own name.
      if (
        state.id !== id ||
        typeof state.clauseId !== 'string' ||
        state.clauseId === '' ||
        typeof state.baseIteration !== 'number' ||
        typeof state.createdAt !== 'number' ||
        state.authorId !== author.id ||
        state.authorName !== author.name ||
        state.status !== 'draft' ||
        'sharedAt' in state
      )
        return false
      continue
    }
    for (const field of FIXED_FIELDS) if (state[field] !== previous[field]) return false
  }
  return deletedOnlyByAuthor(before, after, author)
}

/** The proposals root's rules, for {@link EntryGuard}. */
export const PROPOSAL_RULES: EntryRules = {
  root: PROPOSALS_ROOT,
  refusal:
    'Your change altered proposals in a way only their author or the server may and was refused.',
  read: readProposal,
  allowed: proposalChangesAllowed,
}

/**
 * Schemas of the work at the table: clauses with their status, sign-offs and reopening, where a
 * clause's words came from, votes, and a clause's history (with its shared suggestions). The objects mirror the status document
 * (shared/src/statusDoc.ts), which the server writes and every table member also follows live.
 */
import Type from 'typebox'
import { ClientState, IdParam } from './commonSchemas'
import { Suggestion } from './suggestionSchemas'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()])

/** Longest initials accepted. */
export const MAX_INITIALS_LENGTH = 8
/** Longest reason for reopening a clause. */
export const MAX_REOPEN_REASON_LENGTH = 2000
/** Longest vote question. */
export const MAX_VOTE_QUESTION_LENGTH = 1000

/** The status of a clause. */
export const ClauseStatus = Type.Enum(['open', 'in-discussion', 'tentatively-agreed'])

/** One party lead's initials on a clause. */
export const Signoff = Type.Object({
  partyId: Type.String(),
  userId: Type.String(),
  name: Type.String(),
  initials: Type.String(),
  at: Type.Integer(),
  iteration: Type.Integer({ description: 'The iteration whose words were initialled.' }),
})

/** A request to reopen an agreed clause and the parties' consents so far. */
export const ReopenRequest = Type.Object({
  requestedBy: Type.String(),
  requestedByName: Type.String(),
  requestedAt: Type.Integer(),
  reason: Type.String(),
  consents: Type.Record(
    Type.String(),
    Type.Object({ userId: Type.String(), name: Type.String(), at: Type.Integer() }),
  ),
})

/** Where a clause's words came from: an accepted change of a shared suggestion. */
export const Provenance = Type.Object({
  at: Type.Integer(),
  iteration: Type.Integer(),
  suggestionId: Type.String({
    description: 'The shared suggestion.',
  }),
  changeId: Type.Optional(
    Nullable(
      Type.String({ description: 'The accepted change; null when the whole suggestion was.' }),
    ),
  ),
  partyId: Type.String(),
  authorId: Type.Optional(Type.String()),
  authorName: Type.Optional(Type.String()),
  kind: Type.Optional(
    Type.Union([Type.Literal('insert'), Type.Literal('delete'), Type.Literal('format')]),
  ),
  text: Type.Optional(Type.String()),
  adoptedBy: Type.String(),
  adoptedByName: Type.String(),
  edited: Type.Boolean(),
})

/** Everything recorded about one clause. */
export const ClauseState = Type.Object({
  clauseId: Type.String(),
  status: ClauseStatus,
  statusSince: Type.Integer(),
  signoffs: Type.Record(Type.String(), Signoff),
  reopen: Nullable(ReopenRequest),
  reopenDeclined: Type.Optional(
    Type.Object({
      partyId: Type.String(),
      byName: Type.String(),
      reason: Type.String(),
      at: Type.Integer(),
      requestedByName: Type.String(),
    }),
  ),
  provenance: Type.Array(Provenance),
  votes: Type.Array(Type.String()),
})

/** A clause of the current iteration with its status, as `GET /clauses` answers. */
export const ClauseSummary = Type.Object({
  id: Type.String(),
  number: Type.String(),
  heading: Type.String(),
  status: ClauseStatus,
  statusSince: Nullable(Type.Integer()),
  signoffs: Type.Array(Signoff),
  reopen: Nullable(ReopenRequest),
})

/** `:id/clauses/:clauseId`. */
export const ClauseParams = Type.Object({
  id: IdParam('The negotiation.'),
  clauseId: IdParam('The clause’s stable id.'),
})

/** Body of a sign-off. */
export const SignoffBody = Type.Object({
  initials: Type.String({ minLength: 1, maxLength: MAX_INITIALS_LENGTH }),
  clientState: Type.Optional(ClientState),
})

/** Body of declining a request to reopen. */
export const DeclineReopenBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: MAX_REOPEN_REASON_LENGTH }),
})

/** Body of a request to reopen. */
export const ReopenBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: MAX_REOPEN_REASON_LENGTH })),
})

const Choice = Type.Union([Type.Literal('yes'), Type.Literal('no'), Type.Literal('abstain')])

/** One party's part in a closed vote: its position, its tally if it shows it, its dissent. */
export const PartyPosition = Type.Object({
  partyId: Type.String(),
  position: Choice,
  tally: Type.Optional(
    Type.Object({ yes: Type.Integer(), no: Type.Integer(), abstain: Type.Integer() }),
  ),
  dissent: Type.Optional(Type.String()),
})

/** How a vote is decided from the parties' positions. */
export const VoteRule = Type.Union([Type.Literal('consensus'), Type.Literal('majority')], {
  description:
    '`consensus` (default): carried when no party says no and at least one says yes. `majority`: carried when more than half of the parties say yes.',
})

/** An up-or-down vote at the table: no member's ballot, only the parties' positions once closed. */
export const Vote = Type.Object({
  id: Type.String(),
  clauseId: Type.String(),
  suggestionId: Nullable(Type.String({ description: 'The shared suggestion put to the vote.' })),
  question: Type.String(),
  rule: VoteRule,
  openedAt: Type.Integer(),
  openedBy: Type.String(),
  closedAt: Nullable(Type.Integer()),
  result: Nullable(
    Type.Object({
      parties: Type.Array(PartyPosition),
      outcome: Type.Union([Type.Literal('carried'), Type.Literal('failed')]),
    }),
  ),
})

/** Longest written dissent a party attaches to its position. */
export const MAX_DISSENT_LENGTH = 2000

/** Body of a party lead's stance on a vote: whether to show the party's tally, and a dissent. */
export const VoteStanceBody = Type.Object({
  showTally: Type.Optional(Type.Boolean()),
  dissent: Type.Optional(Type.String({ maxLength: MAX_DISSENT_LENGTH })),
})

/** Body of opening a vote. */
export const OpenVoteBody = Type.Object({
  clauseId: Type.String({ minLength: 1, maxLength: 200 }),
  suggestionId: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  question: Type.String({ minLength: 1, maxLength: MAX_VOTE_QUESTION_LENGTH }),
  rule: Type.Optional(VoteRule),
})

/** `:id/votes/:voteId`. */
export const VoteParams = Type.Object({
  id: IdParam('The negotiation.'),
  voteId: IdParam('The vote.'),
})

/** Body of a ballot. */
export const BallotBody = Type.Object({
  choice: Type.Union([Type.Literal('yes'), Type.Literal('no'), Type.Literal('abstain')]),
})

/** One version of a clause in an iteration (null fields where the clause was absent). */
export const ClauseVersion = Type.Object({
  iteration: Type.Integer(),
  createdAt: Type.Integer(),
  note: Type.String(),
  number: Nullable(Type.String()),
  heading: Nullable(Type.String()),
  text: Nullable(Type.String()),
})

/** "How did this clause get its words?" Observers get `clauseId` and `versions` only. */
export const ClauseHistory = Type.Object({
  clauseId: Type.String(),
  versions: Type.Array(ClauseVersion),
  suggestions: Type.Optional(Type.Array(Suggestion)),
  provenance: Type.Optional(Type.Array(Provenance)),
  signoffs: Type.Optional(Type.Array(Signoff)),
  status: Type.Optional(ClauseStatus),
  votes: Type.Optional(Type.Array(Vote)),
})

/** Query of the activity feed. */
export const ActivityQuery = Type.Object({
  since: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Only entries after this time (ms since 1970).' }),
  ),
})

/** What an activity entry reports. */
export const ActivityKind = Type.Union([
  Type.Literal('iteration'),
  Type.Literal('published'),
  Type.Literal('suggestions-shared'),
  Type.Literal('vote-opened'),
  Type.Literal('vote-closed'),
  Type.Literal('reopen-requested'),
  Type.Literal('clause-agreed'),
])

/** One entry of the activity feed. */
export const ActivityEntry = Type.Object({
  id: Type.String(),
  at: Type.Integer(),
  kind: ActivityKind,
  clauseId: Type.Optional(Type.String()),
  iteration: Type.Optional(Type.Integer()),
  text: Type.String(),
})

/** A member's own reading of the activity feed. */
export const ActivityReader = Type.Object({
  seenAt: Type.Integer({
    minimum: 0,
    description:
      'When the member last looked at the feed (ms since 1970); 0 before the first time.',
  }),
  mailKinds: Type.Array(ActivityKind, {
    description: 'The events that e-mail the member (local tables: publications only).',
  }),
  mailAvailable: Type.Boolean({
    description: 'True when the server sends e-mail (SMTP_URL is set).',
  }),
})

/** A change to a member's reading of the feed. */
export const ActivityReaderChange = Type.Object(
  {
    seenAt: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'Marks the feed read up to this time; never moves back, never past the server’s clock.',
      }),
    ),
    mailKinds: Type.Optional(Type.Array(ActivityKind, { maxItems: 16 })),
  },
  { additionalProperties: false },
)

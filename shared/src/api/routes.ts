/**
 * Every route of the HTTP API, with the schemas of what it takes and answers (docs/API.md is the
 * guide; `GET /api/openapi.json` is this table as OpenAPI 3.1). To add a route: add its entry here
 * (key `"METHOD /path"`, `:name` for path parameters), then register its handler with
 * `addRoute(app, key, handler)` in a file of server/src/http/; a test fails for a route the server
 * serves without an entry, and the client calls it with `callRoute(key, ...)`.
 */
import Type from 'typebox'
import { MAX_IMPORT_BODY_BYTES } from '../limits'
import {
  AcceptInviteBody,
  InviteInfo,
  InviteParams,
  LoginBody,
  LoginResponse,
  MeResponse,
} from './accountSchemas'
import { errors, NegotiationParams, OkBody } from './commonSchemas'
import { DraftChangesQuery, DraftChangesResponse } from './draftChangeSchemas'
import {
  BlacklineQuery,
  CirculateBody,
  CirculateResponse,
  DiffQuery,
  DiffResponse,
  DraftClauses,
  ExportQuery,
  IterationDetail,
  IterationParams,
  IterationSummary,
  PublishBody,
  PublishResponse,
} from './iterationSchemas'
import {
  ApiAuditEntry,
  Assignment,
  AuditQuery,
  CreateInviteBody,
  CreateInviteResponse,
  MemberChanged,
  MemberParams,
  MembersResponse,
} from './memberSchemas'
import {
  CreateNegotiationBody,
  CreateNegotiationResponse,
  NegotiationDetail,
  NegotiationSettings,
  NegotiationSummary,
} from './negotiationSchemas'
import type { RouteTable } from './routeSpec'
import {
  DecideSuggestionBody,
  ShareSuggestionsBody,
  Suggestion,
  SuggestionChangeParams,
  SuggestionParams,
  SuggestionQuery,
} from './suggestionSchemas'
import {
  CreateSupplementBody,
  SupplementDiff,
  SupplementInfo,
  SupplementParams,
} from './supplementSchemas'
import {
  ActivityEntry,
  ActivityQuery,
  ActivityReader,
  ActivityReaderChange,
  BallotBody,
  ClauseHistory,
  ClauseParams,
  ClauseState,
  ClauseSummary,
  DeclineReopenBody,
  OpenVoteBody,
  ReopenBody,
  SignoffBody,
  Vote,
  VoteParams,
  VoteStanceBody,
} from './tableSchemas'

const DOWNLOAD = Type.String({ description: 'The file.' })

/** The routes of the HTTP API. */
export const API_ROUTES = {
  'GET /healthz': {
    summary: 'Health check',
    tags: ['operations'],
    audience: 'anyone',
    response: {
      200: Type.Object({
        ok: Type.Literal(true),
        owned: Type.Optional(
          Type.Array(Type.String(), {
            description:
              'The negotiations this process owns (STORE=postgres, several processes on one database); absent on SQLite.',
          }),
        ),
        redis: Type.Optional(
          Type.Boolean({
            description:
              'With REDIS_URL: whether this process hears the other processes now (subscribed to Redis); absent without.',
          }),
        ),
      }),
    },
  },
  'GET /metrics': {
    summary: 'Operational figures (counts only, nothing about content)',
    tags: ['operations'],
    audience: 'anyone',
    querystring: Type.Object({
      gc: Type.Optional(
        Type.Literal('1', { description: 'Collect garbage first (with --expose-gc).' }),
      ),
    }),
    response: {
      200: Type.Object({
        rssBytes: Type.Integer(),
        heapUsedBytes: Type.Integer(),
        documents: Type.Integer({ description: 'Live documents in memory.' }),
        connections: Type.Integer({ description: 'Open websocket connections.' }),
        ownedNegotiations: Type.Optional(
          Type.Integer({
            description:
              'On PostgreSQL: negotiations this process owns (their ids are in /healthz).',
          }),
        ),
        forwardedConnections: Type.Optional(
          Type.Integer({
            description:
              'On PostgreSQL: websockets this process relays now to the process that owns their negotiation.',
          }),
        ),
        forwardedConnectionsTotal: Type.Optional(
          Type.Integer({
            description: 'On PostgreSQL: websockets relayed to an owner since start.',
          }),
        ),
        forwardedRequestsTotal: Type.Optional(
          Type.Integer({
            description: 'On PostgreSQL: HTTP requests forwarded to an owner since start.',
          }),
        ),
        forwardUnreachableTotal: Type.Optional(
          Type.Integer({
            description:
              'On PostgreSQL: forwards refused because the owner could not be reached (the client was told to retry).',
          }),
        ),
        receivedForwardedConnections: Type.Optional(
          Type.Integer({
            description: 'On PostgreSQL: websockets open here that another process forwarded.',
          }),
        ),
        storageSetAside: Type.Integer({
          description: 'Stored entries set aside because they could not be read.',
        }),
        storageFailedWrites: Type.Integer({
          description: 'Durable writes of documents that failed since start (each is retried).',
        }),
        storageRetrying: Type.Boolean({
          description: 'True while durable writes fail: edits are held in memory and retried.',
        }),
        storagePendingUpdates: Type.Integer({
          description: 'Document updates held in memory, not yet on disk.',
        }),
      }),
    },
  },
  'GET /api/openapi.json': {
    summary: 'This API as an OpenAPI 3.1 document',
    tags: ['operations'],
    audience: 'anyone',
    response: { 200: Type.Object({ openapi: Type.String() }) },
  },

  'POST /api/login': {
    summary: 'Sign in',
    description:
      'Sets the httpOnly `onetext_session` cookie. A wrong password and an unknown email get the same answer; `MAX_LOGIN_FAILURES` failures per address and email in `LOGIN_WINDOW_MS` answer 429 with `Retry-After`.',
    tags: ['accounts'],
    audience: 'anyone',
    body: LoginBody,
    response: { 200: LoginResponse, ...errors(400, 401, 403, 413, 415, 429) },
  },
  'POST /api/logout': {
    summary: 'Sign out',
    description: 'Ends the session, if any, and clears the cookie.',
    tags: ['accounts'],
    audience: 'anyone',
    response: { 200: OkBody, ...errors(403) },
  },
  'GET /api/me': {
    summary: 'Who is signed in',
    tags: ['accounts'],
    audience: 'signed-in',
    response: { 200: MeResponse, ...errors(401) },
  },
  'GET /api/invites/:token': {
    summary: 'What an invitation link is for',
    tags: ['accounts'],
    audience: 'anyone',
    params: InviteParams,
    response: { 200: InviteInfo, ...errors(400, 404) },
  },
  'POST /api/invites/:token/accept': {
    summary: 'Accept an invitation and sign in',
    description:
      'A new account gives `name` and a password; an existing account (same email) its password, checked, throttled and audited like a sign-in. Uses the link up.',
    tags: ['accounts'],
    audience: 'anyone',
    params: InviteParams,
    body: AcceptInviteBody,
    response: { 200: LoginResponse, ...errors(400, 401, 403, 404, 429) },
  },

  'GET /api/negotiations': {
    summary: 'The negotiations the caller belongs to',
    tags: ['negotiations'],
    audience: 'signed-in',
    response: { 200: Type.Array(NegotiationSummary), ...errors(401) },
  },
  'POST /api/negotiations': {
    summary: 'Start a negotiation from an imported text (organizers)',
    description:
      'Only organizers (ORGANIZERS, and the demo’s mediator) may; the caller becomes its mediator. Headings become the title, articles, sections and sub-sections.',
    tags: ['negotiations'],
    audience: 'organizer',
    body: CreateNegotiationBody,
    bodyLimit: MAX_IMPORT_BODY_BYTES,
    response: { 201: CreateNegotiationResponse, ...errors(400, 401, 403, 413) },
  },
  'GET /api/negotiations/:id': {
    summary: 'One negotiation and the documents the caller may open',
    tags: ['negotiations'],
    audience: 'member',
    params: NegotiationParams,
    response: { 200: NegotiationDetail, ...errors(400, 401, 404) },
  },
  'PATCH /api/negotiations/:id/settings': {
    summary: 'Change the negotiation’s settings',
    description:
      'Turning `openDrafting` off closes the table’s open read-only connections to the working draft with 4409.',
    tags: ['negotiations'],
    audience: 'mediator',
    params: NegotiationParams,
    body: NegotiationSettings,
    response: { 200: NegotiationSettings, ...errors(400, 401, 403, 404) },
  },

  'GET /api/negotiations/:id/members': {
    summary: 'Members and open invitations',
    tags: ['members'],
    audience: 'mediator',
    params: NegotiationParams,
    response: { 200: MembersResponse, ...errors(401, 403, 404) },
  },
  'POST /api/negotiations/:id/invites': {
    summary: 'Create a one-time invitation link',
    tags: ['members'],
    audience: 'mediator',
    params: NegotiationParams,
    body: CreateInviteBody,
    response: { 201: CreateInviteResponse, ...errors(400, 401, 403, 404, 409) },
  },
  'PATCH /api/negotiations/:id/members/:userId': {
    summary: 'Change a member’s role and party',
    description: 'Closes the member’s open connections with 4409. 409 `last-mediator`.',
    tags: ['members'],
    audience: 'mediator',
    params: MemberParams,
    body: Assignment,
    response: { 200: MemberChanged, ...errors(400, 401, 403, 404, 409) },
  },
  'DELETE /api/negotiations/:id/members/:userId': {
    summary: 'Remove a member',
    tags: ['members'],
    audience: 'mediator',
    params: MemberParams,
    response: { 200: OkBody, ...errors(401, 403, 404, 409) },
  },
  'GET /api/negotiations/:id/audit': {
    summary: 'The audit log, newest first',
    tags: ['members'],
    audience: 'mediator',
    params: NegotiationParams,
    querystring: AuditQuery,
    response: { 200: Type.Array(ApiAuditEntry), ...errors(400, 401, 403, 404) },
  },

  'POST /api/negotiations/:id/iterations': {
    summary: 'Circulate the working draft as the next iteration',
    tags: ['iterations'],
    audience: 'mediator',
    params: NegotiationParams,
    body: CirculateBody,
    response: { 201: CirculateResponse, ...errors(400, 401, 403, 404, 409) },
  },
  'GET /api/negotiations/:id/iterations': {
    summary: 'Iterations, oldest first (observers: published ones)',
    tags: ['iterations'],
    audience: 'member',
    params: NegotiationParams,
    response: { 200: Type.Array(IterationSummary), ...errors(401, 404) },
  },
  'GET /api/negotiations/:id/iterations/:n': {
    summary: 'One iteration with its clauses (flat and as a tree), HTML and Markdown',
    tags: ['iterations'],
    audience: 'member',
    params: IterationParams,
    response: { 200: IterationDetail, ...errors(400, 401, 404) },
  },
  'POST /api/negotiations/:id/iterations/:n/publish': {
    summary: 'Publish an iteration to the local tables, or withdraw it',
    tags: ['iterations'],
    audience: 'mediator',
    params: IterationParams,
    body: PublishBody,
    response: { 200: PublishResponse, ...errors(400, 401, 403, 404) },
  },
  'GET /api/negotiations/:id/diff': {
    summary: 'Clause-by-clause comparison of two iterations',
    tags: ['iterations'],
    audience: 'member',
    params: NegotiationParams,
    querystring: DiffQuery,
    response: { 200: DiffResponse, ...errors(400, 401, 404) },
  },
  'GET /api/negotiations/:id/iterations/:n/export': {
    summary: 'Download an iteration as Word, PDF, HTML, Markdown or Akoma Ntoso XML',
    description:
      'Word keeps the clause tree as heading styles with outline levels (Word’s navigation pane shows it); `akn` is an Akoma Ntoso 3.0 `act` whose body nests the clauses as article, paragraph and point, each carrying its clause id.',
    tags: ['iterations'],
    audience: 'member',
    params: IterationParams,
    querystring: ExportQuery,
    produces: [
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/pdf',
      'text/html',
      'text/markdown',
      'application/akn+xml',
    ],
    response: { 200: DOWNLOAD, ...errors(400, 401, 404) },
  },
  'GET /api/negotiations/:id/blackline': {
    summary: 'Download a blackline of iteration `to` against `from`',
    tags: ['iterations'],
    audience: 'member',
    params: NegotiationParams,
    querystring: BlacklineQuery,
    produces: [
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/pdf',
      'text/html',
    ],
    response: { 200: DOWNLOAD, ...errors(400, 401, 404) },
  },

  'GET /api/negotiations/:id/activity': {
    summary: 'What happened in the negotiation, oldest first',
    description:
      'New iterations, shared suggestions, votes opened and closed, reopen requests, agreed clauses, publications. Local tables (observers) get the publications only.',
    tags: ['clauses'],
    audience: 'member',
    params: NegotiationParams,
    querystring: ActivityQuery,
    response: { 200: Type.Array(ActivityEntry), ...errors(400, 401, 404) },
  },
  'GET /api/negotiations/:id/activity/me': {
    summary: 'Where the caller last looked at the feed, and which events e-mail them',
    tags: ['clauses'],
    audience: 'member',
    params: NegotiationParams,
    response: { 200: ActivityReader, ...errors(401, 404) },
  },
  'PATCH /api/negotiations/:id/activity/me': {
    summary: 'Mark the feed read, or choose which events e-mail the caller',
    description:
      'Kinds a local table is not told of are left out of `mailKinds`. The answer is what is stored.',
    tags: ['clauses'],
    audience: 'member',
    params: NegotiationParams,
    body: ActivityReaderChange,
    response: { 200: ActivityReader, ...errors(400, 401, 404) },
  },

  'GET /api/negotiations/:id/draft/clauses': {
    summary: 'The working draft’s clause tree as it is now, with clause ids',
    description:
      'For those who may open the working draft (mediators and the drafting team; the parties too while open drafting is on); anyone else is refused as the draft itself is: 403 for a member, 404 for anyone else.',
    tags: ['clauses'],
    audience: 'table',
    params: NegotiationParams,
    response: { 200: DraftClauses, ...errors(401, 403, 404) },
  },
  'GET /api/negotiations/:id/clauses': {
    summary: 'The clauses of the current iteration with their status',
    tags: ['clauses'],
    audience: 'table',
    params: NegotiationParams,
    response: { 200: Type.Array(ClauseSummary), ...errors(401, 403, 404) },
  },
  'GET /api/negotiations/:id/clauses/:clauseId/history': {
    summary: 'How a clause got its words',
    tags: ['clauses'],
    audience: 'member',
    params: ClauseParams,
    response: { 200: ClauseHistory, ...errors(401, 404) },
  },
  'POST /api/negotiations/:id/clauses/:clauseId/signoff': {
    summary: 'Initial a clause for the caller’s party',
    tags: ['clauses'],
    audience: 'party-lead',
    params: ClauseParams,
    body: SignoffBody,
    response: { 200: ClauseState, ...errors(400, 401, 403, 404, 409) },
  },
  'POST /api/negotiations/:id/clauses/:clauseId/reopen': {
    summary: 'Ask to reopen a tentatively agreed clause',
    tags: ['clauses'],
    audience: 'table',
    params: ClauseParams,
    body: ReopenBody,
    response: { 200: ClauseState, ...errors(400, 401, 403, 404, 409) },
  },
  'POST /api/negotiations/:id/clauses/:clauseId/reopen/consent': {
    summary: 'Consent to reopening a clause for the caller’s party',
    tags: ['clauses'],
    audience: 'party-lead',
    params: ClauseParams,
    response: { 200: ClauseState, ...errors(401, 403, 404, 409) },
  },

  'POST /api/negotiations/:id/clauses/:clauseId/reopen/decline': {
    summary: 'Decline a request to reopen a clause, for the caller’s party, with a reason',
    tags: ['clauses'],
    audience: 'party-lead',
    params: ClauseParams,
    body: DeclineReopenBody,
    response: { 200: ClauseState, ...errors(400, 401, 403, 404, 409) },
  },

  'GET /api/negotiations/:id/suggestions': {
    summary: 'The suggestions the caller may read, drafts and shared',
    description:
      'A party member: their party’s drafts (computed from the party’s copy of the iteration, status `draft`) and every party’s shared suggestions. The mediator: every party’s drafts and shared suggestions. An observer: none. Drafts are of the latest iteration unless `iteration` names another.',
    tags: ['suggestions'],
    audience: 'member',
    params: NegotiationParams,
    querystring: SuggestionQuery,
    response: { 200: Type.Array(Suggestion), ...errors(400, 401, 404) },
  },
  'GET /api/negotiations/:id/draft/changes': {
    summary: 'The working draft’s changes since an iteration, with their provenance (mediator)',
    description:
      'Iteration `since` (the latest by default) against the working draft, clause by clause, as word-level tracked changes (insert, delete, format). A change that is an accepted change of a suggestion written against that iteration names its party, author, suggestion and who accepted it; any other change is the mediator’s own edit (`provenance` null). 404 when there is no such iteration.',
    tags: ['suggestions'],
    audience: 'mediator',
    params: NegotiationParams,
    querystring: DraftChangesQuery,
    response: { 200: DraftChangesResponse, ...errors(400, 401, 403, 404) },
  },
  'POST /api/negotiations/:id/suggestions/share': {
    summary: 'Share the caller’s party’s suggestions with the table (party lead)',
    description:
      'Freezes the changes of each named clause (every clause with changes when `clauseIds` is absent) with their authors and the party’s rationale; sharing a clause again replaces its open shared suggestion. 409 `not-latest` for an iteration that is not the latest, `nothing-to-share` when no named clause has changes.',
    tags: ['suggestions'],
    audience: 'party-lead',
    params: NegotiationParams,
    body: ShareSuggestionsBody,
    response: { 200: Type.Array(Suggestion), ...errors(400, 401, 403, 404, 409) },
  },
  'POST /api/negotiations/:id/suggestions/:suggestionId/changes/:changeId/accept': {
    summary: 'Accept one change of a shared suggestion into the working draft',
    description:
      'Answers once the draft and the decision are on disk. 409 `clause-locked` for a tentatively agreed clause, `text-changed` when the words the change was written against changed in the draft, `decided` when the change was already rejected.',
    tags: ['suggestions'],
    audience: 'mediator',
    params: SuggestionChangeParams,
    body: DecideSuggestionBody,
    response: { 200: Suggestion, ...errors(400, 401, 403, 404, 409) },
  },
  'POST /api/negotiations/:id/suggestions/:suggestionId/changes/:changeId/reject': {
    summary: 'Reject one change of a shared suggestion',
    tags: ['suggestions'],
    audience: 'mediator',
    params: SuggestionChangeParams,
    body: DecideSuggestionBody,
    response: { 200: Suggestion, ...errors(400, 401, 403, 404, 409) },
  },
  'POST /api/negotiations/:id/suggestions/:suggestionId/accept': {
    summary: 'Accept every open change of a shared suggestion into the working draft',
    description:
      'All or nothing: 409 `text-changed` (nothing applied) when any change’s words changed in the draft.',
    tags: ['suggestions'],
    audience: 'mediator',
    params: SuggestionParams,
    body: DecideSuggestionBody,
    response: { 200: Suggestion, ...errors(400, 401, 403, 404, 409) },
  },
  'POST /api/negotiations/:id/suggestions/:suggestionId/reject': {
    summary: 'Reject every open change of a shared suggestion',
    tags: ['suggestions'],
    audience: 'mediator',
    params: SuggestionParams,
    body: DecideSuggestionBody,
    response: { 200: Suggestion, ...errors(400, 401, 403, 404, 409) },
  },
  'POST /api/negotiations/:id/votes': {
    summary: 'Open a vote at the table',
    tags: ['votes'],
    audience: 'mediator',
    params: NegotiationParams,
    body: OpenVoteBody,
    response: { 201: Vote, ...errors(400, 401, 403, 404, 409) },
  },
  'POST /api/negotiations/:id/votes/:voteId/ballot': {
    summary: 'Cast or change a ballot',
    tags: ['votes'],
    audience: 'table',
    params: VoteParams,
    body: BallotBody,
    response: { 200: OkBody, ...errors(400, 401, 403, 404, 409) },
  },
  'POST /api/negotiations/:id/votes/:voteId/stance': {
    summary: 'Set what the table sees of the caller’s party in a vote (party lead)',
    description:
      'Whether the closed vote shows the party’s internal tally (counts, never names) with its position, and a written dissent.',
    tags: ['votes'],
    audience: 'party-lead',
    params: VoteParams,
    body: VoteStanceBody,
    response: { 200: OkBody, ...errors(400, 401, 403, 404, 409) },
  },
  'POST /api/negotiations/:id/votes/:voteId/close': {
    summary: 'Close a vote and record its result',
    tags: ['votes'],
    audience: 'mediator',
    params: VoteParams,
    response: { 200: Vote, ...errors(401, 403, 404, 409) },
  },

  'POST /api/negotiations/:id/supplements': {
    summary: 'Start a local supplement from a published iteration (local tables)',
    tags: ['supplements'],
    audience: 'member',
    params: NegotiationParams,
    body: CreateSupplementBody,
    response: { 201: SupplementInfo, ...errors(400, 401, 403, 404) },
  },
  'GET /api/negotiations/:id/supplements': {
    summary: 'The local supplements the caller may open',
    tags: ['supplements'],
    audience: 'member',
    params: NegotiationParams,
    response: { 200: Type.Array(SupplementInfo), ...errors(401, 404) },
  },
  'GET /api/negotiations/:id/supplements/:supplementId/diff': {
    summary: 'A supplement against the national text',
    tags: ['supplements'],
    audience: 'member',
    params: SupplementParams,
    response: { 200: SupplementDiff, ...errors(401, 404) },
  },
} satisfies RouteTable

/** The route table's type. */
export type ApiRoutes = typeof API_ROUTES
/** A route's key, `"METHOD /path"`. */
export type RouteKey = keyof ApiRoutes

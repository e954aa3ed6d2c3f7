/**
 * Suggestions: each party suggests changes by editing its own copy of the latest iteration
 * (`<neg>.suggest.<party>.<N>`). While a change is a draft it is never stored: it is computed by
 * comparing the copy with iteration N, clause by clause, and attributed from the copy's
 * server-only roots. The party lead shares a clause's changes: the server freezes them, with their
 * authors and the party's rationale, into the status document. The mediator accepts a shared change
 * into the working draft (rebased onto the draft's words, refused when those changed) or rejects
 * it; each decision is answered once the draft and the status are on disk.
 */
import { randomUUID } from 'node:crypto'
import type { SuggestionSummary } from '@onetext/shared/api/suggestionSchemas'
import { getDocumentSchema } from '@onetext/shared/schema'
import {
  type ClauseState,
  currentIteration,
  type Provenance,
  type SharedChange,
  type SharedSuggestion,
  STATUS_ROOTS,
} from '@onetext/shared/statusDoc'
import { clauseTokens } from '@onetext/shared/suggestions/tokens'
import type { Node as PMNode } from '@tiptap/pm/model'
import { updateYFragment, yXmlFragmentToProseMirrorFragment } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import { commandAllowed } from '../access/commands'
import { documentAccess } from '../access/documentAccess'
import type { Directory, MemberRecord, UserRecord } from '../storage/Directory'
import { recordActivity } from './activity'
import { uncarriedDrafts } from './draftCarry'
import { findClauseElement } from './draftOps'
import type { NegotiationDocs } from './NegotiationDocs'
import { NegotiationError } from './NegotiationError'
import { SuggestionDrafts } from './SuggestionDrafts'
import { markInDiscussion, putClauseState, recordResponse } from './statusRules'
import {
  acceptedPartners,
  applyPlaced,
  type ChangesToPlace,
  changesToPlace,
  findClauseNode,
  placeChanges,
  showsResult,
} from './suggestionChanges'
import {
  type ChangeChoice,
  draftSummary,
  freezeChanges,
  openSuggestion,
  pick,
  sameChanges,
  sharedChangeKeys,
  sharedSummary,
} from './suggestionRecords'

/** What the list is limited to. */
export interface SuggestionFilter {
  clause?: string
  iteration?: number
}

export class SuggestionService {
  private readonly copies: SuggestionDrafts

  constructor(
    private readonly docs: NegotiationDocs,
    private readonly directory: Directory,
    /** Whether a document was ever stored (copies of old iterations are not created to read). */
    private readonly exists: (name: string) => Promise<boolean> = async () => true,
  ) {
    this.copies = new SuggestionDrafts(docs)
  }

  /**
   * The suggestions `member` may read: the drafts of the party copies they may read (of the latest
   * iteration unless `filter.iteration` names another; the drafts of an earlier copy that did not
   * carry onto the next iteration are listed as outdated, those of the copy before the latest
   * with the latest's when no iteration is named) and every shared suggestion; an observer
   * reads none. `filter.clause` limits both to one clause; `filter.iteration` to the suggestions
   * written against that iteration.
   */
  async list(
    negotiationId: string,
    member: MemberRecord,
    filter: SuggestionFilter = {},
  ): Promise<SuggestionSummary[]> {
    if (!commandAllowed(member, 'read-clause-record')) return []
    const status = await this.docs.status(negotiationId)
    const latest = currentIteration(status)?.number ?? 0
    const iteration = filter.iteration ?? latest
    const out: SuggestionSummary[] = []
    if (iteration >= 1 && iteration <= latest) {
      const negotiation = await this.directory.findNegotiation(negotiationId)
      const parties = await this.directory.listParties(negotiationId)
      for (const party of parties) {
        const ref = { negotiationId, kind: 'suggest' as const, partyId: party.id, iteration }
        if (!negotiation || documentAccess(member, ref, negotiation) === 'none') continue
        const taken = sharedChangeKeys(
          Object.values(status.suggestions),
          party.id,
          iteration,
          () => true,
        )
        if (iteration < latest) {
          out.push(
            ...(await this.outdatedDrafts(negotiationId, party.id, iteration, filter.clause)),
          )
          continue
        }
        const groups = await this.copies.drafts(
          negotiationId,
          party.id,
          iteration,
          taken,
          filter.clause,
        )
        for (const group of groups) out.push(draftSummary(party.id, iteration, group))
        if (filter.iteration === undefined && latest > 1)
          out.push(
            ...(await this.outdatedDrafts(negotiationId, party.id, latest - 1, filter.clause)),
          )
      }
    }
    for (const suggestion of Object.values(status.suggestions)) {
      if (filter.clause !== undefined && suggestion.clauseId !== filter.clause) continue
      if (filter.iteration !== undefined && suggestion.iteration !== filter.iteration) continue
      out.push(sharedSummary(suggestion))
    }
    return out
  }

  /**
   * The drafts of party `partyId`'s copy of iteration `iteration` (not the latest) that did not
   * carry onto the next iteration (draftCarry.ts), as outdated suggestions written against
   * `iteration`. None when the copy was never opened.
   */
  private async outdatedDrafts(
    negotiationId: string,
    partyId: string,
    iteration: number,
    clauseId?: string,
  ): Promise<SuggestionSummary[]> {
    if (!(await this.exists(this.docs.copyName(negotiationId, partyId, iteration)))) return []
    const [record, next] = await Promise.all([
      this.docs.iteration(negotiationId, iteration),
      this.docs.iteration(negotiationId, iteration + 1),
    ])
    if (!record || !next) return []
    const status = await this.docs.status(negotiationId)
    const taken = sharedChangeKeys(
      Object.values(status.suggestions),
      partyId,
      iteration,
      () => true,
    )
    const groups = await this.copies.drafts(negotiationId, partyId, iteration, taken, clauseId)
    return uncarriedDrafts(groups, record.doc, next.doc).map((group) => {
      const summary = draftSummary(partyId, iteration, group)
      return {
        ...summary,
        status: 'outdated' as const,
        changes: summary.changes.map((change) => ({ ...change, status: 'outdated' as const })),
      }
    })
  }

  /**
   * The lead of `member`'s party shares the party's changes to `clauseIds` (every clause with
   * changes when absent) of iteration `iteration`, which must be the latest. A clause whose open
   * shared suggestion already holds the same changes and rationale is left as it is (and answered
   * as it is); otherwise its open shared suggestion is replaced by the new one (its decided changes
   * stay). Answers the clauses' open shared suggestions.
   */
  async share(
    negotiationId: string,
    user: UserRecord,
    member: MemberRecord,
    request: { iteration: number; clauseIds?: readonly string[] },
  ): Promise<SuggestionSummary[]> {
    if (!commandAllowed(member, 'share-suggestions') || member.partyId === null) {
      throw new NegotiationError(
        'forbidden',
        'forbidden',
        'Only a party lead can share their party’s suggestions.',
      )
    }
    const partyId = member.partyId
    const status = await this.docs.status(negotiationId)
    const latest = currentIteration(status)?.number ?? 0
    if (request.iteration !== latest) {
      throw new NegotiationError(
        'conflict',
        'not-latest',
        `Suggestions are shared on the latest iteration (Single Text ${latest}).`,
      )
    }
    const decided = sharedChangeKeys(
      Object.values(status.suggestions),
      partyId,
      request.iteration,
      (change) => change.status !== 'open',
    )
    const wanted = request.clauseIds ? new Set(request.clauseIds) : null
    const groups = (
      await this.copies.drafts(negotiationId, partyId, request.iteration, decided)
    ).filter((group) => wanted === null || wanted.has(group.clauseId))
    if (groups.length === 0) {
      throw new NegotiationError(
        'conflict',
        'nothing-to-share',
        'Your party has no changes to share on these clauses.',
      )
    }
    const now = Date.now()
    return this.docs.changeStatus(negotiationId, (statusDoc, current) => {
      const map = statusDoc.getMap<SharedSuggestion>(STATUS_ROOTS.suggestions)
      const shared: SharedSuggestion[] = []
      const unchanged: SharedSuggestion[] = []
      for (const group of groups) {
        const changes = freezeChanges(group.changes)
        const previous = openSuggestion(current, partyId, group.clauseId, request.iteration)
        if (previous && sameChanges(previous, changes) && previous.rationale === group.rationale) {
          unchanged.push(previous)
          continue
        }
        const suggestion: SharedSuggestion = {
          id: `s-${randomUUID()}`,
          partyId,
          clauseId: group.clauseId,
          iteration: request.iteration,
          rationale: group.rationale,
          sharedBy: user.id,
          sharedByName: user.name,
          sharedAt: now,
          carriedFrom: [],
          ...(previous ? { supersedes: previous.id } : {}),
          changes,
        }
        if (previous) {
          const kept = previous.changes.filter((change) => change.status !== 'open')
          if (kept.length === 0) map.delete(previous.id)
          else map.set(previous.id, { ...previous, changes: kept })
        }
        map.set(suggestion.id, suggestion)
        markInDiscussion(statusDoc, group.clauseId)
        shared.push(suggestion)
      }
      if (shared.length > 0) {
        const count = shared.length
        recordActivity(statusDoc, {
          kind: 'suggestions-shared',
          ...(count === 1 && shared[0] ? { clauseId: shared[0].clauseId } : {}),
          iteration: request.iteration,
          text: `${user.name} shared suggestions on ${count === 1 ? 'a clause' : `${count} clauses`} of Single Text ${request.iteration}.`,
        })
        recordResponse(statusDoc, partyId, request.iteration)
      }
      return [...unchanged, ...shared].map(sharedSummary)
    })
  }

  /**
   * The mediator accepts change `choice` (or every open change, `'all'`) of shared suggestion
   * `suggestionId` into the working draft: each change is placed onto the draft clause's words and
   * applied with its formatting; then the decision and the clause's provenance are recorded.
   * Refused with `clause-locked` for a tentatively agreed clause and `text-changed` when the words
   * a change was written against changed (nothing is applied then). A change whose result the
   * draft already shows (a decision lost between the two writes) is recorded without a write.
   */
  async accept(
    negotiationId: string,
    user: UserRecord,
    suggestionId: string,
    choice: ChangeChoice,
  ): Promise<SuggestionSummary> {
    const { status, suggestion, chosen } = await this.chosen(
      negotiationId,
      suggestionId,
      choice,
      'accepted',
    )
    if (chosen.length === 0) return sharedSummary(suggestion)
    if (status.clauses[suggestion.clauseId]?.status === 'tentatively-agreed') {
      throw new NegotiationError(
        'conflict',
        'clause-locked',
        'The clause is tentatively agreed; reopen it first.',
      )
    }
    const record = await this.docs.iteration(negotiationId, suggestion.iteration)
    const schema = getDocumentSchema()
    const baseClause = record
      ? findClauseNode(schema.nodeFromJSON(record.doc), suggestion.clauseId)
      : null
    if (!baseClause) throw textChanged(chosen[0])
    const baseTokens = clauseTokens(baseClause)
    let wanted: ChangesToPlace
    try {
      wanted = changesToPlace(suggestion, chosen, baseClause, baseTokens, schema)
    } catch (error) {
      if (error instanceof RangeError) throw textChanged(chosen[0], error.message)
      throw error
    }
    await this.docs.change(this.docs.draftName(negotiationId), (doc) => {
      const element = findClauseElement(doc, suggestion.clauseId)
      if (!element) {
        throw new NegotiationError(
          'conflict',
          'clause-missing',
          'The working draft no longer has this clause.',
        )
      }
      const clause = clauseNodeOf(element, schema)
      const tokens = clauseTokens(clause)
      const placed = placeChanges(wanted.changes, wanted.tokens, tokens)
      if ('outdated' in placed) {
        const all = [...chosen, ...acceptedPartners(suggestion, chosen)]
        if (showsResult(suggestion.clauseId, baseClause, baseTokens, all, tokens, schema)) return
        throw textChanged(chosen.find((change) => change.id === placed.outdated.id) ?? chosen[0])
      }
      let changed: PMNode
      try {
        changed = applyPlaced(suggestion.clauseId, clause, tokens, placed, schema)
      } catch (error) {
        if (error instanceof RangeError) throw textChanged(chosen[0], error.message)
        throw error
      }
      updateYFragment(doc, element as unknown as Y.XmlFragment, changed, {
        mapping: new Map(),
        isOMark: new Map(),
      })
    })
    return this.decide(negotiationId, user, suggestion, chosen, 'accepted')
  }

  /** The mediator rejects change `choice` (or every open change) of a shared suggestion. */
  async reject(
    negotiationId: string,
    user: UserRecord,
    suggestionId: string,
    choice: ChangeChoice,
  ): Promise<SuggestionSummary> {
    const { suggestion, chosen } = await this.chosen(
      negotiationId,
      suggestionId,
      choice,
      'rejected',
    )
    if (chosen.length === 0) return sharedSummary(suggestion)
    return this.decide(negotiationId, user, suggestion, chosen, 'rejected')
  }

  /** The status, shared suggestion `suggestionId` (404 when none) and its changes `choice` picks for `decision`. */
  private async chosen(
    negotiationId: string,
    suggestionId: string,
    choice: ChangeChoice,
    decision: 'accepted' | 'rejected',
  ) {
    const status = await this.docs.status(negotiationId)
    const suggestion = status.suggestions[suggestionId]
    if (!suggestion) throw notFound()
    return { status, suggestion, chosen: pick(suggestion, choice, decision) }
  }

  /** Records the decision on `chosen` (and, for an acceptance, the clause's provenance). */
  private decide(
    negotiationId: string,
    user: UserRecord,
    suggestion: SharedSuggestion,
    chosen: readonly SharedChange[],
    decision: 'accepted' | 'rejected',
  ): Promise<SuggestionSummary> {
    const ids = new Set(chosen.map((change) => change.id))
    const at = Date.now()
    return this.docs.changeStatus(negotiationId, (statusDoc, current) => {
      const now = current.suggestions[suggestion.id]
      if (!now) throw notFound()
      const updated: SharedSuggestion = {
        ...now,
        changes: now.changes.map((change) =>
          ids.has(change.id) && change.status === 'open'
            ? {
                ...change,
                status: decision,
                decidedBy: user.id,
                decidedByName: user.name,
                decidedAt: at,
              }
            : change,
        ),
      }
      statusDoc.getMap<SharedSuggestion>(STATUS_ROOTS.suggestions).set(now.id, updated)
      const state = current.clauses[now.clauseId]
      if (decision === 'accepted' && state) {
        const iteration = currentIteration(current)?.number ?? now.iteration
        const entries: Provenance[] = chosen.map((change) => ({
          at,
          iteration,
          suggestionId: now.id,
          changeId: change.id,
          partyId: now.partyId,
          authorId: change.authorId,
          authorName: change.authorName,
          kind: change.kind,
          text: change.text,
          adoptedBy: user.id,
          adoptedByName: user.name,
          edited: false,
        }))
        const next: ClauseState = { ...state, provenance: [...state.provenance, ...entries] }
        putClauseState(statusDoc, next, state.status === 'open' ? 'in-discussion' : state.status)
      }
      return sharedSummary(updated)
    })
  }
}

/** The clause element as a ProseMirror clause node. */
function clauseNodeOf(element: Y.XmlElement, schema: ReturnType<typeof getDocumentSchema>): PMNode {
  const type = schema.nodes.clause
  if (!type) throw new Error('the schema has no clause node')
  return type.create(element.getAttributes(), yXmlFragmentToProseMirrorFragment(element, schema))
}

function notFound(): NegotiationError {
  return new NegotiationError('not-found', 'not-found', 'There is no such shared suggestion.')
}

function textChanged(change: SharedChange | undefined, detail = ''): NegotiationError {
  const words = change ? `“${change.text}”` : 'the suggestion'
  return new NegotiationError(
    'conflict',
    'text-changed',
    `The words ${words} was written against changed in the working draft${detail ? ` (${detail})` : ''}; edit the draft instead.`,
  )
}

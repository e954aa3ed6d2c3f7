/**
 * Whole-clause proposals stored by protocol 4 (in a party's layer, and shared ones frozen in the
 * status document, with a vote on one) become suggestions: each one's words in its party's copy,
 * attributed to its author; a shared one a shared suggestion with the same id, carried onto the
 * latest iteration when its words are unchanged there and outdated when they changed; the vote
 * names it as `suggestionId`; and nothing of the old format is left. Running it again changes
 * nothing.
 */
import type { SuggestionSummary } from '@onetext/shared/api/suggestionSchemas'
import { STATUS_ROOTS } from '@onetext/shared/statusDoc'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { findClauseElement } from '../../server/src/negotiation/draftOps'
import { LEGACY_PROPOSALS_ROOT } from '../../server/src/negotiation/legacyProposals'
import { migrateNegotiation } from '../../server/src/negotiation/suggestionMigration'
import {
  type PartyRound,
  type RoundAccount,
  type RoundClause,
  startPartyRound,
} from '../helpers/partyRound'
import { loadStoredDoc, startTestServer } from '../helpers/testServer'

/** A proposal as a protocol 4 layer stored it. */
function layerProposal(
  fields: { id: string; clause: RoundClause; text: string; rationale: string },
  author: RoundAccount,
  shared: boolean,
  createdAt = 1_700_000_000_000,
): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  map.set('id', fields.id)
  map.set('clauseId', fields.clause.id)
  map.set('baseIteration', 1)
  map.set('text', new Y.Text(fields.text))
  map.set('rationale', new Y.Text(fields.rationale))
  map.set('authorId', author.id)
  map.set('authorName', author.name)
  map.set('createdAt', createdAt)
  map.set('status', shared ? 'shared' : 'draft')
  if (shared) map.set('sharedAt', 1_700_000_100_000)
  return map
}

/** Replaces `find` by `replace` in the first paragraph of clause `clauseId` of a rich text. */
function replaceWords(doc: Y.Doc, clauseId: string, find: string, replace: string): void {
  const paragraph = findClauseElement(doc, clauseId)
    ?.toArray()
    .find((child) => child instanceof Y.XmlElement && child.nodeName === 'paragraph')
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null
  if (!(text instanceof Y.XmlText)) throw new Error(`clause ${clauseId} has no paragraph`)
  const at = text.toString().indexOf(find)
  text.delete(at, find.length)
  text.insert(at, replace)
}

describe('the migration of proposals to suggestions', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let round: PartyRound
  let union: string
  let management: string

  beforeAll(async () => {
    server = await startTestServer()
    round = await startPartyRound(server, 'Migration round', ['Union', 'Management'])
    union = round.parties[0]?.id as string
    management = round.parties[1]?.id as string
    const [wages, scheduling, training] = round.clauses as [RoundClause, RoundClause, RoundClause]
    const docs = server.services.docs
    const unionMember = round.members.get(union) as RoundAccount
    const unionLead = round.leads.get(union) as RoundAccount
    const managementMember = round.members.get(management) as RoundAccount
    const managementLead = round.leads.get(management) as RoundAccount
    const shared = {
      id: 'p-shared',
      clause: wages,
      text: wages.text.replace('three', 'four'),
      rationale: 'Inflation',
    }
    const old = {
      id: 'p-old',
      clause: training,
      text: training.text.replace('forty hours', 'fifty hours'),
      rationale: 'Skills',
    }
    await docs.change(docs.layerName(round.id, union), (doc) => {
      const proposals = doc.getMap<unknown>(LEGACY_PROPOSALS_ROOT)
      proposals.set('p-shared', layerProposal(shared, unionMember, true))
      proposals.set(
        'p-draft',
        layerProposal(
          {
            id: 'p-draft',
            clause: scheduling,
            text: scheduling.text.replace('four weeks', 'six weeks'),
            rationale: 'Night shifts',
          },
          unionMember,
          false,
        ),
      )
      // The lead drafted the same clause a day earlier: the member's later draft goes into the
      // copy, the lead's words into the clause's rationale.
      proposals.set(
        'p-draft-lead',
        layerProposal(
          {
            id: 'p-draft-lead',
            clause: scheduling,
            text: scheduling.text.replace('four weeks', 'five weeks'),
            rationale: 'Childcare',
          },
          unionLead,
          false,
          1_699_913_600_000,
        ),
      )
    })
    await docs.change(docs.layerName(round.id, management), (doc) => {
      doc
        .getMap<unknown>(LEGACY_PROPOSALS_ROOT)
        .set('p-old', layerProposal(old, managementMember, true))
    })
    const frozen = (
      fields: typeof shared,
      partyId: string,
      author: RoundAccount,
      lead: RoundAccount,
    ) => ({
      id: fields.id,
      partyId,
      clauseId: fields.clause.id,
      baseIteration: 1,
      text: fields.text,
      rationale: fields.rationale,
      authorName: author.name,
      sharedBy: lead.id,
      sharedByName: lead.name,
      sharedAt: 1_700_000_100_000,
      status: 'shared',
    })
    await docs.changeStatus(round.id, (statusDoc) => {
      const proposals = statusDoc.getMap<unknown>(LEGACY_PROPOSALS_ROOT)
      proposals.set('p-shared', frozen(shared, union, unionMember, unionLead))
      proposals.set('p-old', frozen(old, management, managementMember, managementLead))
      statusDoc.getMap<unknown>(STATUS_ROOTS.votes).set('v1', {
        id: 'v1',
        clauseId: wages.id,
        proposalId: 'p-shared',
        question: 'Four percent?',
        rule: 'consensus',
        openedAt: 1,
        openedBy: 'Mediator',
        closedAt: null,
        result: null,
      })
      const clauses = statusDoc.getMap<Record<string, unknown>>(STATUS_ROOTS.clauses)
      const state = clauses.get(wages.id)
      if (state)
        clauses.set(wages.id, { ...state, votes: [...((state.votes as string[]) ?? []), 'v1'] })
    })
    // The mediator changes the words management's proposal was written against, and circulates.
    await docs.change(docs.draftName(round.id), (doc) =>
      replaceWords(doc, training.id, 'forty hours', 'thirty-five hours'),
    )
    const circulated = await round.api('POST', '/iterations', { note: 'Second text' })
    expect(circulated.status).toBe(201)

    expect(await migrateNegotiation(docs, round.id, [union, management])).toBe(4)
  })

  afterAll(async () => {
    await server?.close()
  })

  const list = async (token: string, query = '') => {
    const answer = await round.api<SuggestionSummary[]>(
      'GET',
      `/suggestions${query}`,
      undefined,
      token,
    )
    expect(answer.status).toBe(200)
    return answer.body
  }

  it('makes a shared proposal a shared suggestion with its id, carried onto the latest text', async () => {
    const all = await list(round.mediatorToken)
    const suggestion = all.find((candidate) => candidate.id === 'p-shared')
    const member = round.members.get(union) as RoundAccount
    expect(suggestion).toMatchObject({
      partyId: union,
      status: 'shared',
      iteration: 2,
      rationale: 'Inflation',
      authorId: member.id,
      authorName: member.name,
      sharedByName: (round.leads.get(union) as RoundAccount).name,
    })
    expect(suggestion?.changes.map((change) => [change.kind, change.text])).toEqual(
      expect.arrayContaining([
        ['delete', 'three'],
        ['insert', 'four'],
      ]),
    )
    // Its words are in the union's copy of Single Text 2, not again as a draft.
    expect(
      all.filter(
        (candidate) => candidate.status === 'draft' && candidate.clauseId === suggestion?.clauseId,
      ),
    ).toEqual([])
  })

  it('marks a shared proposal whose words changed outdated, against the text it was written for', async () => {
    const training = round.clauses[2] as RoundClause
    const earlier = await list(round.mediatorToken, `?clause=${training.id}&iteration=1`)
    expect(earlier.find((candidate) => candidate.id === 'p-old')).toMatchObject({
      partyId: management,
      status: 'outdated',
      iteration: 1,
    })
  })

  it('keeps a draft proposal a draft of its party, attributed to its author, in the latest copy', async () => {
    const member = round.members.get(union) as RoundAccount
    const scheduling = round.clauses[1] as RoundClause
    const drafts = (await list(member.token)).filter((candidate) => candidate.status === 'draft')
    expect(drafts).toHaveLength(1)
    expect(drafts[0]).toMatchObject({ clauseId: scheduling.id, iteration: 2, partyId: union })
    expect(
      drafts[0]?.changes.map((change) => [change.kind, change.text, change.authorName]),
    ).toEqual(
      expect.arrayContaining([
        ['insert', 'six', member.name],
        ['delete', 'four', member.name],
      ]),
    )
    const copy = await loadStoredDoc(server, `${round.id}.suggest.${union}.2`)
    const lead = round.leads.get(union) as RoundAccount
    expect(copy.getMap<Y.Text>('rationales').get(scheduling.id)?.toString()).toBe(
      `Night shifts\n\nAnother draft of this clause by ${lead.name} on 2023-11-13, against Single Text 1:\n${scheduling.text.replace('four weeks', 'five weeks')}\nIts rationale: Childcare`,
    )
    // The other party sees none of it.
    const other = await list((round.members.get(management) as RoundAccount).token)
    expect(JSON.stringify(other)).not.toContain('six')
  })

  it('leaves no proposal behind, names the vote’s suggestion, and changes nothing when run again', async () => {
    const wages = round.clauses[0] as RoundClause
    const history = await round.api<{ votes?: Array<{ id: string; suggestionId: string | null }> }>(
      'GET',
      `/clauses/${wages.id}/history`,
    )
    expect(history.body.votes).toEqual([
      expect.objectContaining({ id: 'v1', suggestionId: 'p-shared' }),
    ])
    for (const name of [
      `${round.id}.status`,
      `${round.id}.layer.${union}`,
      `${round.id}.layer.${management}`,
    ]) {
      const stored = await loadStoredDoc(server, name)
      expect(stored.getMap(LEGACY_PROPOSALS_ROOT).size, name).toBe(0)
    }
    const status = await loadStoredDoc(server, `${round.id}.status`)
    expect(JSON.stringify(status.getMap(STATUS_ROOTS.votes).toJSON())).not.toContain('proposalId')
    const before = Y.encodeStateVector(status)
    expect(await migrateNegotiation(server.services.docs, round.id, [union, management])).toBe(0)
    expect(Y.encodeStateVector(await loadStoredDoc(server, `${round.id}.status`))).toEqual(before)
  })
})

/**
 * A negotiation of any number of parties, started the way an organizer starts one (`POST
 * /api/negotiations`, the demo's mediator), with a lead and a member for every party and one
 * observer (a local table), Single Text 1 circulated; and suggestions typed in a party's copy the
 * way the editor writes them, shared by the party's lead through the API.
 */
import { randomUUID } from 'node:crypto'
import type { OneTextServer } from '@onetext/server/server'
import { RATIONALES_ROOT, readSeed } from '@onetext/shared/suggestions/copyDoc'
import * as Y from 'yjs'
import { hashPassword } from '../../server/src/auth/passwords'
import { findClauseElement } from '../../server/src/negotiation/draftOps'
import { callApi } from './api'
import { login, TEST_PASSWORD } from './testServer'
import { connectClient, waitForDoc, whenSynced } from './yClient'

/** One party of the round. */
export interface RoundParty {
  id: string
  name: string
  color: string
}

/** One clause of Single Text 1. */
export interface RoundClause {
  id: string
  number: string
  heading: string
  text: string
}

/** One account of the round. */
export interface RoundAccount {
  id: string
  name: string
  email: string
  token: string
}

/** A started round. */
export interface PartyRound {
  id: string
  title: string
  parties: RoundParty[]
  clauses: RoundClause[]
  mediatorToken: string
  /** The lead of each party, by party id. */
  leads: Map<string, RoundAccount>
  /** A party member (not the lead) of each party, by party id. */
  members: Map<string, RoundAccount>
  /** The observer (a local table). */
  observer: RoundAccount
  /** Calls `/api/negotiations/<id><path>` as `token` (the mediator's by default). */
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: T }>
}

/** The starting text: a preamble and three clauses. */
export const ROUND_MARKDOWN = `# Hospital partnership agreement

## Wages

Base rates rise by three percent on the first of April each year for every grade.

## Scheduling

Rosters are posted four weeks ahead and changed only by mutual agreement of the unit.

## Training

Each employee receives forty hours of paid training a year, scheduled with the manager.
`

/** Starts a round named `title` with `partyNames` (in palette order), Single Text 1 circulated. */
export async function startPartyRound(
  server: OneTextServer,
  title: string,
  partyNames: readonly string[],
): Promise<PartyRound> {
  const mediatorToken = await login(server.url, 'mediator@demo.test')
  const created = await callApi<{ id: string; parties: RoundParty[] }>(
    server.url,
    'POST',
    '/api/negotiations',
    mediatorToken,
    { title, parties: partyNames, format: 'md', content: ROUND_MARKDOWN },
  )
  if (created.status !== 201) throw new Error(`creating the round: ${created.status}`)
  const { id, parties } = created.body
  const api: PartyRound['api'] = (method, path, body, token = mediatorToken) =>
    callApi(server.url, method, `/api/negotiations/${id}${path}`, token, body)

  const passwordHash = await hashPassword(TEST_PASSWORD)
  const account = async (
    key: string,
    role: 'party-lead' | 'party-member' | 'observer',
    partyId: string | null,
    name: string,
  ): Promise<RoundAccount> => {
    const userId = randomUUID()
    const email = `${key}@${id}.test`
    await server.directory.createUser({ id: userId, email, name, passwordHash })
    await server.directory.putMember({ negotiationId: id, userId, role, partyId })
    return { id: userId, name, email, token: await login(server.url, email) }
  }
  const leads = new Map<string, RoundAccount>()
  const members = new Map<string, RoundAccount>()
  for (const party of parties) {
    leads.set(
      party.id,
      await account(`${party.id}.lead`, 'party-lead', party.id, `${party.name} Lead`),
    )
    members.set(
      party.id,
      await account(`${party.id}.member`, 'party-member', party.id, `${party.name} Member`),
    )
  }
  const observer = await account('observer', 'observer', null, 'Local Table 7')

  const circulated = await api('POST', '/iterations', { note: 'First text' })
  if (circulated.status !== 201) throw new Error(`circulating: ${circulated.status}`)
  const clauses = (await api<{ clauses: RoundClause[] }>('GET', '/iterations/1')).body.clauses
  return { id, title, parties, clauses, mediatorToken, leads, members, observer, api }
}

/** What a party suggests on a clause: `find` (words of the clause's first paragraph) becomes `replace`. */
export interface RoundEdit {
  find: string
  replace: string
}

/**
 * Suggests `edit` (or each of several, in order) on `clause` in party `partyId`'s copy of iteration `iteration` (1 by default),
 * typed over the websocket by the party's member the way the editor writes it, with the party's
 * `rationale`; unless `draft`, the party's lead then shares the clause through the API. Returns
 * the shared suggestion's id (null for a draft).
 */
export async function suggestInRound(
  server: OneTextServer,
  round: PartyRound,
  partyId: string,
  clause: RoundClause,
  edit: RoundEdit | readonly RoundEdit[],
  options: { rationale?: string; draft?: boolean; iteration?: number } = {},
): Promise<string | null> {
  const author = round.members.get(partyId)
  const lead = round.leads.get(partyId)
  if (!author || !lead) throw new Error(`no accounts for ${partyId}`)
  const iteration = options.iteration ?? 1
  const copy = connectClient(
    server.url,
    `${round.id}.suggest.${partyId}.${iteration}`,
    author.token,
  )
  try {
    await whenSynced(copy)
    await waitForDoc(copy.doc, (doc) => readSeed(doc) !== null)
    const words = firstParagraphText(copy.doc, clause.id)
    copy.doc.transact(() => {
      for (const { find, replace } of Array.isArray(edit) ? edit : [edit]) {
        const at = words.toString().indexOf(find)
        if (at < 0) throw new Error(`“${find}” is not in clause ${clause.number}`)
        words.delete(at, find.length)
        words.insert(at, replace)
      }
      if (options.rationale !== undefined) {
        copy.doc.getMap<Y.Text>(RATIONALES_ROOT).set(clause.id, new Y.Text(options.rationale))
      }
    })
    await copy.tracker.whenSaved()
  } finally {
    copy.destroy()
  }
  if (options.draft) return null
  const shared = await round.api<Array<{ id: string; clauseId: string }>>(
    'POST',
    '/suggestions/share',
    { iteration, clauseIds: [clause.id] },
    lead.token,
  )
  if (shared.status !== 200) throw new Error(`sharing: ${shared.status}`)
  const suggestion = shared.body.find((candidate) => candidate.clauseId === clause.id)
  if (!suggestion) throw new Error('sharing shared nothing')
  return suggestion.id
}

/** The text of the first paragraph of clause `clauseId`'s body in a copy. */
function firstParagraphText(doc: Y.Doc, clauseId: string): Y.XmlText {
  const clause = findClauseElement(doc, clauseId)
  const paragraph = clause
    ?.toArray()
    .find((child) => child instanceof Y.XmlElement && child.nodeName === 'paragraph')
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null
  if (!(text instanceof Y.XmlText)) throw new Error(`clause ${clauseId} has no paragraph`)
  return text
}

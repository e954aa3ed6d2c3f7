/**
 * A negotiation of any number of parties, started the way an organizer starts one (`POST
 * /api/negotiations`, the demo's mediator), with a lead and a member for every party and one
 * observer (a local table), Single Text 1 circulated; and proposals written in a party's layer
 * the way the page writes them, shared by the party's lead through the API.
 */
import { randomUUID } from 'node:crypto'
import type { OneTextServer } from '@onetext/server/server'
import { createLayerProposal, PROPOSALS_ROOT } from '@onetext/shared/layerDoc'
import * as Y from 'yjs'
import { hashPassword } from '../../server/src/auth/passwords'
import { callApi } from './api'
import { login, TEST_PASSWORD } from './testServer'
import { connectClient, whenSynced } from './yClient'

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

/**
 * Writes a proposal of `partyId` on `clause` (its words `text`) in the party's layer, as the party's
 * member, and, unless `draft`, has the party's lead share it with the table. Returns its id.
 */
export async function proposeInRound(
  server: OneTextServer,
  round: PartyRound,
  partyId: string,
  clause: RoundClause,
  text: string,
  options: { rationale?: string; draft?: boolean } = {},
): Promise<string> {
  const author = round.members.get(partyId)
  const lead = round.leads.get(partyId)
  if (!author || !lead) throw new Error(`no accounts for ${partyId}`)
  const layer = connectClient(server.url, `${round.id}.layer.${partyId}`, author.token)
  try {
    await whenSynced(layer)
    const proposalId = `p-${randomUUID()}`
    createLayerProposal(layer.doc, {
      id: proposalId,
      clauseId: clause.id,
      baseIteration: 1,
      baseText: clause.text,
      authorId: author.id,
      authorName: author.name,
    })
    const map = layer.doc.getMap<Y.Map<unknown>>(PROPOSALS_ROOT).get(proposalId)
    const words = map?.get('text')
    const rationale = map?.get('rationale')
    if (!(words instanceof Y.Text) || !(rationale instanceof Y.Text))
      throw new Error('the proposal has no text')
    layer.doc.transact(() => {
      words.delete(0, words.length)
      words.insert(0, text)
      rationale.insert(0, options.rationale ?? '')
    })
    await layer.tracker.whenSaved()
    if (!options.draft) {
      const shared = await round.api(
        'POST',
        `/proposals/${proposalId}/share`,
        undefined,
        lead.token,
      )
      if (shared.status !== 200) throw new Error(`sharing: ${shared.status}`)
    }
    return proposalId
  } finally {
    layer.destroy()
  }
}

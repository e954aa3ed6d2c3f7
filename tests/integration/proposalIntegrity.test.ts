/**
 * Nobody may speak for somebody else in a party's proposals: the server refuses a proposal started
 * in another person's name, a client marking one shared (only the server does, when the lead shares
 * it), changes to who started it, and deleting another's proposal; the party still drafts each
 * proposal's words together (EntryGuard with the proposal rules). Refused changes are not stored
 * and reach nobody.
 */
import { createLayerProposal, PROPOSALS_ROOT, readLayerProposals } from '@onetext/shared/layerDoc'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { callApi } from '../helpers/api'
import { loadStoredDoc, type SignedIn, signInDemo, startTestServer } from '../helpers/testServer'
import {
  connectClient,
  nextRefusal,
  type TestClient,
  waitForDoc,
  whenSynced,
} from '../helpers/yClient'

const N = 'lmp-1997'
const LAYER = `${N}.layer.labor`

type Me = SignedIn['user']

describe('proposal integrity', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const clients: TestClient[] = []
  const tokens: Record<string, string> = {}
  const people: Record<string, Me> = {}
  /** A clause of the circulated iteration, which proposals are written against. */
  let clauseId = ''

  beforeAll(async () => {
    server = await startTestServer()
    for (const key of ['labor.member', 'labor.lead', 'mediator']) {
      const signedIn = await signInDemo(server.url, key)
      tokens[key] = signedIn.token
      people[key] = signedIn.user
    }
    const path = `/api/negotiations/${N}/iterations`
    const created = await callApi(server.url, 'POST', path, tokens.mediator ?? null, {
      note: 'One',
    })
    expect(created.status).toBe(201)
    const iteration = await callApi<{ clauses: Array<{ id: string }> }>(
      server.url,
      'GET',
      `${path}/1`,
      tokens.mediator ?? null,
    )
    clauseId = iteration.body.clauses[0]?.id ?? ''
    expect(clauseId).not.toBe('')
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  async function open(who: string): Promise<TestClient> {
    const client = connectClient(server.url, LAYER, tokens[who] ?? null)
    clients.push(client)
    await whenSynced(client)
    return client
  }

  function start(doc: Y.Doc, id: string, as: string): void {
    const person = people[as] as Me
    createLayerProposal(doc, {
      id,
      clauseId,
      baseIteration: 1,
      baseText: 'The parties agree.',
      authorId: person.id,
      authorName: person.name,
    })
  }

  function entry(doc: Y.Doc, id: string): Y.Map<unknown> {
    const map = doc.getMap<unknown>(PROPOSALS_ROOT).get(id)
    if (!(map instanceof Y.Map)) throw new Error(`no proposal ${id}`)
    return map
  }

  async function stored(): Promise<Array<{ id: string; text: string; status: string }>> {
    return readLayerProposals(await loadStoredDoc(server, LAYER)).map(({ id, text, status }) => ({
      id,
      text,
      status,
    }))
  }

  it('keeps a proposal in the name of whoever started it, and refuses one started as someone else', async () => {
    const member = await open('labor.member')
    start(member.doc, 'p-own', 'labor.member')
    await member.tracker.whenSaved()

    // In the lead's name, from the member's connection: refused, stored nowhere.
    const refused = nextRefusal(member)
    start(member.doc, 'p-forged', 'labor.lead')
    expect(await refused).toMatch(/proposals/)

    // Started as already shared: refused too (only the server marks a proposal shared).
    const sharer = await open('labor.member')
    const refusedShared = nextRefusal(sharer)
    sharer.doc.transact(() => {
      start(sharer.doc, 'p-preshared', 'labor.member')
      entry(sharer.doc, 'p-preshared').set('status', 'shared')
    })
    await refusedShared

    const lead = await open('labor.lead')
    start(lead.doc, 'p-lead', 'labor.lead')
    await lead.tracker.whenSaved()
    expect((await stored()).map((p) => p.id).sort()).toEqual(['p-lead', 'p-own'])
  })

  it('lets the party draft the words together, but not rename, mark shared or delete another’s', async () => {
    const lead = await open('labor.lead')
    await waitForDoc(lead.doc, (doc) => doc.getMap(PROPOSALS_ROOT).has('p-own'))

    // Editing the words of the member's proposal: allowed (the party drafts together).
    ;(entry(lead.doc, 'p-own').get('text') as Y.Text).insert(0, 'Both ')
    ;(entry(lead.doc, 'p-own').get('rationale') as Y.Text).insert(0, 'Certainty.')
    await lead.tracker.whenSaved()
    expect((await stored()).find((p) => p.id === 'p-own')?.text).toBe('Both The parties agree.')

    // Claiming it: refused.
    const claimer = await open('labor.lead')
    let refused = nextRefusal(claimer)
    entry(claimer.doc, 'p-own').set('authorName', people['labor.lead']?.name)
    await refused

    // Marking it shared without sharing it: refused.
    const marker = await open('labor.member')
    refused = nextRefusal(marker)
    entry(marker.doc, 'p-own').set('status', 'shared')
    await refused

    // Replacing its text with something that is not a text: refused.
    const breaker = await open('labor.member')
    refused = nextRefusal(breaker)
    entry(breaker.doc, 'p-own').set('text', 'plain string')
    await refused

    // Deleting someone else's proposal: refused.
    const deleter = await open('labor.member')
    refused = nextRefusal(deleter)
    deleter.doc.getMap(PROPOSALS_ROOT).delete('p-lead')
    await refused

    const now = await stored()
    expect(now.find((p) => p.id === 'p-own')).toEqual({
      id: 'p-own',
      text: 'Both The parties agree.',
      status: 'draft',
    })
    expect(now.map((p) => p.id)).toContain('p-lead')

    // Sharing through the server still marks it shared, and the table reads its real author.
    const shared = await callApi<{ authorName: string }>(
      server.url,
      'POST',
      `/api/negotiations/${N}/proposals/p-own/share`,
      tokens['labor.lead'] ?? null,
    )
    expect(shared.status, JSON.stringify(shared.body)).toBe(200)
    expect(shared.body.authorName).toBe(people['labor.member']?.name)
    await waitForDoc(lead.doc, (doc) => entry(doc, 'p-own').get('status') === 'shared')

    // Its author may delete their own.
    const member = await open('labor.member')
    member.doc.getMap(PROPOSALS_ROOT).delete('p-own')
    await member.tracker.whenSaved()
    expect((await stored()).map((p) => p.id)).toEqual(['p-lead'])
  })
})

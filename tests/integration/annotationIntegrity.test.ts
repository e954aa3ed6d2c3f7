/**
 * Nobody may speak for somebody else in annotations: the server refuses an annotation written in
 * another person's name or party, changes to another person's annotation (except resolving it),
 * replies in another's name, and deleting another's annotation (EntryGuard with the annotation rules). Refused changes
 * are not stored and reach nobody.
 */
import { type Annotation, addAnnotation, readAnnotations } from '@onetext/shared/annotations'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { loadStoredDoc, type SignedIn, signInDemo, startTestServer } from '../helpers/testServer'
import {
  connectClient,
  nextRefusal,
  type TestClient,
  waitForDoc,
  whenSynced,
} from '../helpers/yClient'

const TABLE = 'lmp-1997.table'

type Me = SignedIn['user']

describe('annotation integrity', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const clients: TestClient[] = []
  const tokens: Record<string, string> = {}
  const people: Record<string, Me> = {}

  beforeAll(async () => {
    server = await startTestServer()
    for (const key of ['labor.member', 'mgmt.member', 'mgmt.lead']) {
      const signedIn = await signInDemo(server.url, key)
      tokens[key] = signedIn.token
      people[key] = signedIn.user
    }
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  async function open(who: string): Promise<TestClient> {
    const client = connectClient(server.url, TABLE, tokens[who] ?? null)
    clients.push(client)
    await whenSynced(client)
    return client
  }

  function annotation(id: string, who: string, partyId: string | null, body: string) {
    const person = people[who] as Me
    return {
      id,
      clauseId: 'c-purpose',
      iteration: 1,
      quote: 'Health care services',
      offset: 0,
      kind: 'question',
      body,
      authorId: person.id,
      authorName: person.name,
      partyId,
    } satisfies Omit<Annotation, 'resolved' | 'replies' | 'createdAt'>
  }

  async function stored(): Promise<Annotation[]> {
    return readAnnotations(await loadStoredDoc(server, TABLE))
  }

  function entry(doc: Y.Doc, id: string): Y.Map<unknown> {
    const map = doc.getMap<unknown>('annotations').get(id)
    if (!(map instanceof Y.Map)) throw new Error(`no annotation ${id}`)
    return map
  }

  it('keeps an annotation in its writer’s own name, and refuses one written as someone else', async () => {
    const labor = await open('labor.member')
    const mgmt = await open('mgmt.member')

    // In one's own name and party: stored and shared.
    addAnnotation(labor.doc, annotation('a-own', 'labor.member', 'labor', 'Which employees?'))
    await labor.tracker.whenSaved()
    await waitForDoc(mgmt.doc, (doc) => readAnnotations(doc).some((a) => a.id === 'a-own'))

    // As management's lead, from a union member's connection: refused, stored nowhere.
    const refused = nextRefusal(labor)
    addAnnotation(labor.doc, annotation('a-forged', 'mgmt.lead', 'mgmt', 'We withdraw clause 5.'))
    expect(await refused).toMatch(/annotations that are not yours/)
    // In one's own name but another party's.
    const forger = await open('labor.member')
    const refusedParty = nextRefusal(forger)
    addAnnotation(forger.doc, annotation('a-party', 'labor.member', 'mgmt', 'Management agrees.'))
    await refusedParty

    // A later, honest annotation goes through; the forged ones never arrive.
    addAnnotation(mgmt.doc, annotation('a-mgmt', 'mgmt.member', 'mgmt', 'Noted.'))
    await mgmt.tracker.whenSaved()
    const ids = (await stored()).map((a) => a.id).sort()
    expect(ids).toEqual(['a-mgmt', 'a-own'])
    const fresh = await open('mgmt.lead')
    expect(
      readAnnotations(fresh.doc)
        .map((a) => a.id)
        .sort(),
    ).toEqual(['a-mgmt', 'a-own'])
  })

  it('lets others reply and resolve, but not edit, reply as someone else, or delete', async () => {
    const mgmt = await open('mgmt.member')
    await waitForDoc(mgmt.doc, (doc) => readAnnotations(doc).some((a) => a.id === 'a-own'))
    const own = entry(mgmt.doc, 'a-own')

    // Reply in one's own name and resolve: allowed.
    const replies = own.get('replies') as Y.Array<unknown>
    replies.push([{ authorName: people['mgmt.member']?.name, body: 'All of them.', at: 1 }])
    own.set('resolved', true)
    await mgmt.tracker.whenSaved()
    const afterReply = (await stored()).find((a) => a.id === 'a-own')
    expect(afterReply?.resolved).toBe(true)
    expect(afterReply?.replies.map((reply) => reply.body)).toEqual(['All of them.'])

    // Edit the body of somebody else's annotation: refused.
    const editor = await open('mgmt.member')
    let refused = nextRefusal(editor)
    entry(editor.doc, 'a-own').set('body', 'Which employees? (We agree to everything.)')
    await refused

    // Reply in somebody else's name: refused.
    const replier = await open('mgmt.member')
    refused = nextRefusal(replier)
    ;(entry(replier.doc, 'a-own').get('replies') as Y.Array<unknown>).push([
      { authorName: people['labor.member']?.name, body: 'Agreed, withdraw it.', at: 2 },
    ])
    await refused

    // Delete somebody else's annotation: refused.
    const deleter = await open('mgmt.member')
    refused = nextRefusal(deleter)
    deleter.doc.getMap('annotations').delete('a-own')
    await refused

    const final = (await stored()).find((a) => a.id === 'a-own')
    expect(final?.body).toBe('Which employees?')
    expect(final?.replies.map((reply) => reply.body)).toEqual(['All of them.'])

    // Its author may delete it.
    const labor = await open('labor.member')
    labor.doc.getMap('annotations').delete('a-own')
    await labor.tracker.whenSaved()
    expect((await stored()).map((a) => a.id)).not.toContain('a-own')
  })
})

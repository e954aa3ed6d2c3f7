/**
 * A party's suggestion copy (`<neg>.suggest.<party>.<N>`) over real websocket clients: seeded by the
 * server from Single Text N, deterministically; listed only for the latest N; and a copy of an
 * iteration never circulated does not open.
 */
import type { NegotiationDetail } from '@onetext/shared/apiTypes'
import { Forbidden } from '@onetext/shared/closeCodes'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { readSeed } from '@onetext/shared/suggestions/copyDoc'
import { buildSeedDoc } from '@onetext/shared/suggestions/copySeed'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type PartyRound, startPartyRound } from '../helpers/partyRound'
import { loadStoredDoc, startTestServer } from '../helpers/testServer'
import {
  connectClient,
  plainText,
  type TestClient,
  waitForDoc,
  whenClosed,
  whenSynced,
} from '../helpers/yClient'

describe('suggestion copies', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let round: PartyRound
  const clients: TestClient[] = []

  beforeAll(async () => {
    server = await startTestServer()
    round = await startPartyRound(server, 'Copy round', ['Union', 'Management'])
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  function connect(name: string, token: string): TestClient {
    const client = connectClient(server.url, name, token)
    clients.push(client)
    return client
  }

  const party = (index: number) => round.parties[index]?.id as string

  it('seeds a copy from Single Text 1 under a client of its own, deterministically', async () => {
    const member = round.members.get(party(0))
    if (!member) throw new Error('no member')
    const name = `${round.id}.suggest.${party(0)}.1`
    const client = connect(name, member.token)
    await whenSynced(client)
    await waitForDoc(client.doc, (doc) => readSeed(doc) !== null)
    expect(plainText(client.doc)).toContain('Base rates rise by three percent')
    const seed = readSeed(client.doc)
    expect(seed?.iteration).toBe(1)
    const record = await server.services.docs.iteration(round.id, 1)
    if (!seed || !record) throw new Error('no seed')
    const rebuilt = buildSeedDoc(record.doc, seed.client)
    expect(Y.getState(rebuilt.store, seed.client)).toBe(Y.getState(client.doc.store, seed.client))
    expect(Y.encodeStateAsUpdate(rebuilt, Y.encodeStateVector(client.doc)).byteLength).toBe(
      Y.encodeStateAsUpdate(new Y.Doc()).byteLength,
    )
    expect(rebuilt.getXmlFragment(RICH_TEXT_FIELD).toJSON()).toBe(
      client.doc.getXmlFragment(RICH_TEXT_FIELD).toJSON(),
    )
    // Loaded again, it is not seeded again.
    await client.tracker.whenSaved()
    const stored = await loadStoredDoc(server, name)
    expect(readSeed(stored)).toEqual(seed)
    expect(Y.getState(stored.store, seed.client)).toBe(Y.getState(rebuilt.store, seed.client))
  })

  it('lists the copy of the latest iteration only, to the party and the mediator', async () => {
    const detail = async (token: string) =>
      (await round.api<NegotiationDetail>('GET', '', undefined, token)).body.documents
        .filter((document) => document.kind === 'suggest')
        .map((document) => [document.name, document.access, document.iteration])
    const union = round.leads.get(party(0))?.token as string
    expect(await detail(union)).toEqual([[`${round.id}.suggest.${party(0)}.1`, 'write', 1]])
    expect(await detail(round.mediatorToken)).toEqual([
      [`${round.id}.suggest.${party(0)}.1`, 'read', 1],
      [`${round.id}.suggest.${party(1)}.1`, 'read', 1],
    ])
    expect(await detail(round.observer.token)).toEqual([])
  })

  it('does not open a copy of an iteration never circulated', async () => {
    const member = round.members.get(party(0))?.token as string
    const client = connect(`${round.id}.suggest.${party(0)}.7`, member)
    const closed = await whenClosed(client)
    expect(closed.code).toBe(Forbidden.code)
    client.destroy()
  })
})

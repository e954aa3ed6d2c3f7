/**
 * Canary test: one party's members write unique strings into their caucus notes and their layer.
 * Every byte the other parties' members, the observer and (for the caucus) the mediator receive,
 * over websockets (live and on late join, including refused attempts) and over HTTP, is recorded
 * and searched for the canaries.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createThreePartyNegotiation,
  FIXTURE_NEGOTIATION,
  type FixtureUser,
  fixtureDocuments,
} from '../helpers/negotiationFixture'
import { startTestServer } from '../helpers/testServer'
import {
  connectClient,
  plainText,
  type TestClient,
  whenClosed,
  whenSynced,
  writeMarker,
} from '../helpers/yClient'

const CAUCUS = `${FIXTURE_NEGOTIATION}.caucus.unions`
const LAYER = `${FIXTURE_NEGOTIATION}.layer.unions`

describe('confidentiality canaries', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let users: Map<string, FixtureUser>
  const clients: TestClient[] = []
  const caucusCanary = `CANARY-CAUCUS-${randomBytes(8).toString('hex')}`
  const layerCanary = `CANARY-LAYER-${randomBytes(8).toString('hex')}`

  beforeAll(async () => {
    server = await startTestServer()
    users = await createThreePartyNegotiation(server)
    // Every outsider listens on every document at once: one provider, and so one process `exit`
    // listener, per user and document, more than the suite's usual limit of 100.
    process.setMaxListeners(users.size * fixtureDocuments().length + 100)
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  /** Connects `user` to every document of the negotiation, recording every frame received. */
  async function listenEverywhere(user: FixtureUser, record: Uint8Array[]): Promise<void> {
    await Promise.all(
      fixtureDocuments().map(async (name) => {
        const client = connectClient(server.url, name, user.token, record)
        clients.push(client)
        // Each either syncs or is refused.
        await Promise.race([whenSynced(client), whenClosed(client)])
      }),
    )
  }

  async function httpBytes(user: FixtureUser): Promise<string> {
    const paths = [
      '/api/me',
      '/api/negotiations',
      `/api/negotiations/${FIXTURE_NEGOTIATION}`,
      `/api/negotiations/${FIXTURE_NEGOTIATION}/members`,
      `/api/negotiations/${FIXTURE_NEGOTIATION}/audit`,
    ]
    let all = ''
    for (const path of paths) {
      const response = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${user.token}` },
      })
      all += await response.text()
    }
    return all
  }

  function text(frames: Uint8Array[]): string {
    return frames.map((frame) => Buffer.from(frame).toString('latin1')).join('\n')
  }

  it('never sends a party’s caucus or private layer to anyone outside it', async () => {
    const outsiders = [...users.values()].filter((user) => user.partyId !== 'unions')
    const live = new Map<string, Uint8Array[]>()
    for (const user of outsiders) {
      const record: Uint8Array[] = []
      live.set(user.key, record)
      await listenEverywhere(user, record)
    }

    // The union side writes while everyone else is connected.
    const lead = users.get('unions:party-lead')
    const member = users.get('unions:party-member')
    const drafter = users.get('unions:drafting-team')
    if (!lead || !member || !drafter) throw new Error('fixture users missing')
    const writers: TestClient[] = []
    for (const [user, name, words] of [
      [lead, CAUCUS, `${caucusCanary} strategy`],
      [member, CAUCUS, `${caucusCanary} fallback`],
      [drafter, LAYER, `${layerCanary} interest`],
      [member, LAYER, `${layerCanary} rationale`],
    ] as const) {
      const client = connectClient(server.url, name, user.token)
      clients.push(client)
      writers.push(client)
      await whenSynced(client)
      client.provider.awareness.setLocalStateField('cursor', { note: 'typing' })
      writeMarker(client.doc, name, user, words)
      await client.tracker.whenSaved()
    }
    // The writes are there for the party itself.
    const check = connectClient(server.url, CAUCUS, member.token)
    clients.push(check)
    await whenSynced(check)
    expect(plainText(check.doc)).toContain(caucusCanary)

    // Late joiners get full state: record those too.
    const late = new Map<string, Uint8Array[]>()
    for (const user of outsiders) {
      const record: Uint8Array[] = []
      late.set(user.key, record)
      await listenEverywhere(user, record)
    }

    for (const user of outsiders) {
      const received = `${text(live.get(user.key) ?? [])}\n${text(late.get(user.key) ?? [])}\n${await httpBytes(user)}`
      expect(received.length, user.key).toBeGreaterThan(0)
      expect(received.includes(caucusCanary), `${user.key} received the caucus canary`).toBe(false)
      if (user.role === 'mediator') {
        // The mediator reads party layers: the layer canary must have arrived, or the test proves nothing.
        expect(received.includes(layerCanary), 'mediator reads the layer').toBe(true)
      } else {
        expect(received.includes(layerCanary), `${user.key} received the layer canary`).toBe(false)
      }
    }
  })
})

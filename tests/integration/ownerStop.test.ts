/**
 * The owner of a negotiation stopping under its clients, as a separate process (`node` running
 * the server as `pnpm start` does), with one client connected to it directly and one relayed to
 * it by a second process (in this test process), both typing:
 *
 * - SIGTERM: the owner writes everything pending, releases its lease and closes its clients, the
 *   relayed one included, with the reconnect code; the second process takes the negotiation over
 *   at once (no waiting for the lease to expire) and no acknowledged edit is lost.
 * - SIGKILL: the relayed client is told to retry (4504) while the dead owner's lease lives, and
 *   finishes on the second process once it has expired; no acknowledged edit is lost.
 *
 * - SIGSTOP: the stalled owner keeps its connections open and answers nothing; the relay stops
 *   hearing its pongs and tells the relayed client to retry (4504) within two RELAY_PING_INTERVAL_MS,
 *   and the client finishes on the second process once the lease has expired.
 *
 * The client of the stopped process reconnects to the second one, as a balancer would send it.
 */
import { OwnedElsewhere, ServerShutdown } from '@onetext/shared/closeCodes'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type ChildServer, startChildServer } from '../helpers/childServer'
import { createTestDatabase, expireLease, type TestDatabase } from '../helpers/postgresDatabase'
import { loadStoredDoc, login, startTestServer } from '../helpers/testServer'
import {
  appendParagraph,
  connectClient,
  plainText,
  type TestClient,
  waitForDoc,
  whenClosed,
  whenSynced,
} from '../helpers/yClient'

const N = 'lmp-1997'
const DRAFT = `${N}.draft`
type Server = Awaited<ReturnType<typeof startTestServer>>

/** The lease row of `negotiationId`: its owner, and whether it is live on the database's clock. */
async function leaseRow(url: string, negotiationId: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ owner: string; live: boolean }>(
      `SELECT owner, expires_at > (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS live
       FROM negotiation_leases WHERE negotiation_id = $1`,
      [negotiationId],
    )
    return rows[0] ?? null
  } finally {
    await client.end()
  }
}

describe('the owner process stopping under its clients', () => {
  let database: TestDatabase
  const children: ChildServer[] = []
  const servers: Server[] = []
  const clients: TestClient[] = []
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.provider.destroy()
    for (const child of children.splice(0)) await child.stop('SIGKILL')
    for (const server of servers.splice(0)) await server.close()
  })
  afterAll(() => database.drop())

  /**
   * The owner (a child process) with a direct client and a client relayed through `other`, each
   * having saved `saved` lines, then typing `unsaved` more without waiting for them to be saved.
   */
  async function typingOnOwner() {
    const env = { STORE: 'postgres', DATABASE_URL: database.url }
    const owner = await startChildServer(env)
    children.push(owner)
    const other = await startTestServer({ env })
    servers.push(other)
    // Sessions live in the shared database: started through the in-process server, valid on both.
    const token = await login(other.url, 'mediator@demo.test')
    const direct = connectClient(owner.url, DRAFT, token)
    clients.push(direct)
    await whenSynced(direct)
    const relayed = connectClient(other.url, DRAFT, token)
    clients.push(relayed)
    await whenSynced(relayed)
    expect(other.leases?.owned()).toEqual([])

    const lines: string[] = []
    for (let round = 0; round < 3; round++) {
      for (const [name, client] of [
        ['direct', direct],
        ['relayed', relayed],
      ] as const) {
        const line = `${name} line ${round}.`
        appendParagraph(client.doc, line)
        lines.push(line)
      }
      await Promise.all([direct.tracker.whenSaved(), relayed.tracker.whenSaved()])
    }
    const acknowledged = [...lines]
    // Mid-stream: typed, not yet acknowledged when the owner stops.
    for (const [name, client] of [
      ['direct', direct],
      ['relayed', relayed],
    ] as const) {
      const line = `${name} line in flight.`
      appendParagraph(client.doc, line)
      lines.push(line)
    }
    return { owner, other, token, direct, relayed, acknowledged, lines }
  }

  /** Both clients finish on `other`: every line in both documents and in storage, which equals them. */
  async function finishOn(
    other: Server,
    token: string,
    direct: TestClient,
    relayed: TestClient,
    lines: readonly string[],
  ) {
    // The direct client's process is gone: it reconnects to the other, as a balancer sends it.
    direct.provider.destroy()
    const again = connectClient(other.url, DRAFT, token, undefined, direct.doc)
    clients.push(again)
    await Promise.all([whenSynced(again), whenSynced(relayed)])
    appendParagraph(relayed.doc, 'Typed after the owner stopped.')
    const all = [...lines, 'Typed after the owner stopped.']
    for (const client of [again, relayed])
      await waitForDoc(client.doc, (doc) => all.every((line) => plainText(doc).includes(line)))
    await Promise.all([again.tracker.whenSaved(), relayed.tracker.whenSaved()])
    await other.registry.persistence.drain()
    const stored = plainText(await loadStoredDoc(other, DRAFT))
    expect(stored).toBe(plainText(relayed.doc))
    expect(stored).toBe(plainText(again.doc))
    return stored
  }

  it('SIGTERM: hands the negotiation over at once, losing no acknowledged edit', async () => {
    const { owner, other, token, direct, relayed, acknowledged, lines } = await typingOnOwner()
    const directClosed = whenClosed(direct)
    const relayedClosed = whenClosed(relayed)
    expect(await owner.stop('SIGTERM')).toBe(0)
    expect((await directClosed).code).toBe(ServerShutdown.code)
    expect((await relayedClosed).code).toBe(ServerShutdown.code)
    // Released, not left to expire: free now, or already taken by the other process.
    const row = await leaseRow(database.url, N)
    expect(row?.live === false || row?.owner === other.leases?.owner).toBe(true)
    const stored = await finishOn(other, token, direct, relayed, lines)
    for (const line of acknowledged) expect(stored).toContain(line)
    expect(other.leases?.owned()).toEqual([N])
  })

  it('SIGSTOP: the relay gives up on the stalled owner, and its client finishes on the other process', async () => {
    const { owner, other, token, direct, relayed, acknowledged, lines } = await typingOnOwner()
    const relayedClosed = whenClosed(relayed)
    owner.process.kill('SIGSTOP')
    expect((await relayedClosed).code).toBe(OwnedElsewhere.code)
    // LEASE_TTL_MS passing without a renewal.
    await expireLease(database.url, N)
    const stored = await finishOn(other, token, direct, relayed, lines)
    for (const line of acknowledged) expect(stored).toContain(line)
    expect(other.leases?.owned()).toEqual([N])
    owner.process.kill('SIGCONT')
  }, 30_000)

  it('SIGKILL: relayed clients retry until the lease expires, then finish on the other process', async () => {
    const { owner, other, token, direct, relayed, acknowledged, lines } = await typingOnOwner()
    const relayedClosed = whenClosed(relayed)
    await owner.stop('SIGKILL')
    // The owner went away without a word: the relayed client is told to retry.
    expect((await relayedClosed).code).toBe(OwnedElsewhere.code)
    expect((await leaseRow(database.url, N))?.live).toBe(true)
    // LEASE_TTL_MS passing without a renewal.
    await expireLease(database.url, N)
    const stored = await finishOn(other, token, direct, relayed, lines)
    for (const line of acknowledged) expect(stored).toContain(line)
    expect(other.leases?.owned()).toEqual([N])
  })
})

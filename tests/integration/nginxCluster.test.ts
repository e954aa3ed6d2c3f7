/**
 * Three server processes on one PostgreSQL database and one Redis behind a real nginx configured
 * from deploy/nginx.conf (tests/helpers/nginxCluster.ts): clients through nginx, and some
 * connected straight to processes, make random edits on several negotiations (seeded; the seed is
 * printed, ONETEXT_CLUSTER_SEED=S replays it) and converge, and PostgreSQL holds what they hold;
 * Redis restarts while a writer types, the processes carry on, and a removal made after the
 * restart through one process closes the user's connections on every other process.
 */
import { AccessChanged, Forbidden, OwnedElsewhere } from '@onetext/shared/closeCodes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectAckedWriter } from '../../bench/src/ackedWriter'
import { seededRandom } from '../../bench/src/seededRandom'
import { callApi } from '../helpers/api'
import {
  addDemoMember,
  loadFromPostgres,
  randomEdit,
  startNegotiation,
} from '../helpers/clusterClients'
import { type NginxCluster, startNginxCluster } from '../helpers/nginxCluster'
import { login, signInDemo } from '../helpers/testServer'
import { connectClient, plainText, type TestClient, whenSynced } from '../helpers/yClient'

/** Documents unload (and their lease is released) this long after their last client left. */
const IDLE_UNLOAD_MS = '1000'
/** Long enough for a lease to expire and the connections to reach Redis again. */
const CLUSTER_WAIT = { timeout: 30_000, interval: 100 }
/** Negotiations started at most until more than one process owns some, or each owns one. */
const MAX_NEGOTIATIONS = 20

describe('three processes behind nginx', () => {
  let cluster: NginxCluster
  const clients: TestClient[] = []
  beforeAll(async () => {
    cluster = await startNginxCluster({ env: { IDLE_UNLOAD_MS } })
  }, 120_000)
  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await cluster?.close()
  }, 60_000)

  function connect(url: string, docName: string, token: string): TestClient {
    const client = connectClient(url, docName, token)
    clients.push(client)
    return client
  }

  it('converges random edits on several negotiations, and PostgreSQL holds what the clients hold', async () => {
    const seed = Number(process.env.ONETEXT_CLUSTER_SEED ?? Date.now() % 1_000_000)
    console.log(`nginx cluster convergence seed ${seed} (ONETEXT_CLUSTER_SEED=${seed} replays it)`)
    const random = seededRandom(seed)
    const mediator = await login(cluster.url, 'mediator@demo.test')
    // Two clients per draft through nginx first, so that the process nginx routes a negotiation to
    // owns it (rather than whichever direct client came first); more negotiations are started
    // until more than one process owns some (consistent hashing may put a few on one process).
    const negotiations = ['lmp-1997']
    for (let index = 1; index <= 4; index++)
      negotiations.push((await startNegotiation(cluster.url, mediator, `Converge ${index}`)).id)
    const throughNginx = async (id: string) => {
      const pair = [
        connect(cluster.url, `${id}.draft`, mediator),
        connect(cluster.url, `${id}.draft`, mediator),
      ]
      await Promise.all(pair.map((client) => whenSynced(client)))
      return pair
    }
    const pairs = await Promise.all(negotiations.map(throughNginx))
    const owningProcesses = async () =>
      (await Promise.all([0, 1, 2].map((index) => cluster.owned(index)))).filter(
        (owned) => owned.length > 0,
      ).length
    while ((await owningProcesses()) < 2 && negotiations.length < MAX_NEGOTIATIONS) {
      const id = (await startNegotiation(cluster.url, mediator, `Converge ${negotiations.length}`))
        .id
      negotiations.push(id)
      pairs.push(await throughNginx(id))
    }
    const drafts = negotiations.map((id) => `${id}.draft`)

    // Then one client straight to each process, so that two of the five reach a process that does
    // not own the negotiation and are forwarded to the owner.
    const groups = drafts.map((draft, index) => [
      ...(pairs[index] as TestClient[]),
      ...cluster.processes.map((process) => connect(process.url, draft, mediator)),
    ])
    await Promise.all(groups.flat().map((client) => whenSynced(client)))
    const forwarded = await Promise.all(
      cluster.processes.map(async (process) => {
        const metrics = (await (await fetch(`${process.url}/metrics`)).json()) as {
          forwardedConnections?: number
        }
        return metrics.forwardedConnections ?? 0
      }),
    )
    // Each draft has one owner, so the two processes that do not own it relay at least a client
    // each (and nginx's two too, where a direct client made another process the owner first).
    expect(forwarded.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(
      2 * drafts.length,
    )

    for (let round = 0; round < 60; round++) {
      const group = groups[Math.floor(random() * groups.length)] as TestClient[]
      const client = group[Math.floor(random() * group.length)] as TestClient
      randomEdit(client.doc, random, `Edit ${round}.`)
      // Now and then a pause for the edits to travel, so that later ones build on them.
      if (random() < 0.2) await client.tracker.whenSaved()
    }
    await Promise.all(groups.flat().map((client) => client.tracker.whenSaved()))
    for (const group of groups) {
      const [first, ...rest] = group as [TestClient, ...TestClient[]]
      for (const client of rest)
        await expect.poll(() => plainText(client.doc), CLUSTER_WAIT).toBe(plainText(first.doc))
    }

    const stored = await loadFromPostgres(cluster.database.url, drafts)
    stored.forEach((doc, index) => {
      expect(plainText(doc)).toBe(plainText((groups[index] as TestClient[])[0]?.doc as never))
    })
    // The negotiations are spread: more than one process owns some.
    const owners = await Promise.all([0, 1, 2].map((index) => cluster.owned(index)))
    expect(owners.filter((owned) => owned.length > 0).length).toBeGreaterThan(1)
    for (const client of groups.flat()) client.destroy()
  })

  it('carries on while Redis restarts, and a removal made after it closes the connections on every process', async () => {
    const mediator = await login(cluster.url, 'mediator@demo.test')
    const member = await signInDemo(cluster.url, 'labor.member')
    // Negotiations the member is in, connected through nginx, until each process owns one: the
    // member's connections sit on all three processes.
    const byOwner = new Map<number, { id: string; client: TestClient }>()
    for (let attempt = 0; byOwner.size < 3 && attempt < MAX_NEGOTIATIONS; attempt++) {
      const { id, parties } = await startNegotiation(cluster.url, mediator, `Redis ${attempt}`)
      await addDemoMember(
        cluster.url,
        mediator,
        id,
        'labor.member@demo.test',
        parties[0] ?? '',
        cluster.password,
      )
      const client = connect(cluster.url, `${id}.caucus.${parties[0]}`, member.token)
      await whenSynced(client)
      const owner = await cluster.ownerOf(id)
      if (owner && !byOwner.has(owner.index)) byOwner.set(owner.index, { id, client })
      else client.destroy()
    }
    expect([...byOwner.keys()].sort()).toEqual([0, 1, 2])
    const first = byOwner.get(0) as { id: string; client: TestClient }

    const writer = await connectAckedWriter(cluster.url, mediator, `${first.id}.draft`, 'redis')
    const typed = (count: number) => {
      for (let index = 0; index < count; index++) writer.edit()
      return writer.saved()
    }
    await typed(5)
    await cluster.redis.kill()
    const hearsRedis = async (index: number) => {
      const response = await fetch(`${cluster.processes[index]?.url}/healthz`)
      return ((await response.json()) as { redis?: boolean }).redis
    }
    for (const index of [0, 1, 2])
      await expect.poll(() => hearsRedis(index), CLUSTER_WAIT).toBe(false)
    await typed(5)
    await cluster.redis.start()
    for (const index of [0, 1, 2])
      await expect.poll(() => hearsRedis(index), CLUSTER_WAIT).toBe(true)
    await typed(5)
    expect(writer.acked).toBe(15)

    // Each removal goes to the process after the one holding the member's connection: only Redis
    // tells the holder. A hand-over (the process a connection comes through asks the owner for
    // the negotiation) may close a connection with the reconnect code at any time, so each removal
    // waits for its client to be connected; a hand-over that still races it leaves the
    // reconnection refused.
    for (const [index, { id, client }] of byOwner) {
      await whenSynced(client)
      const closes: number[] = []
      client.provider.on('connection-close', (event) => {
        if (event) closes.push(event.code)
      })
      const removed = await callApi(
        cluster.processes[(index + 1) % 3]?.url ?? '',
        'DELETE',
        `/api/negotiations/${id}/members/${member.user.id}`,
        mediator,
      )
      expect(removed.status).toBe(200)
      const ended = () => closes.find((code) => code !== OwnedElsewhere.code)
      await expect.poll(ended, CLUSTER_WAIT).toBeDefined()
      const cause = closes[0] === OwnedElsewhere.code ? Forbidden.code : AccessChanged.code
      expect(ended(), `close codes after the removal: ${closes.join(', ')}`).toBe(cause)
    }
    writer.destroy()
    const [stored] = await loadFromPostgres(cluster.database.url, [`${first.id}.draft`])
    for (let index = 1; index <= 15; index++)
      expect(plainText(stored as never)).toContain(writer.token(index))
  })
})

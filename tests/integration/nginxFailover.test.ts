/**
 * Three server processes behind a real nginx (tests/helpers/nginxCluster.ts), writers typing
 * through nginx while the owner of their negotiation is killed (SIGKILL) or stalled (SIGSTOP, then
 * SIGCONT): another process takes the negotiation over within LEASE_TTL_MS plus a margin, the
 * writers reconnect and finish there, the stalled owner writes nothing once it resumes, and every
 * edit a writer saw acknowledged is in PostgreSQL at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AckedWriter, connectAckedWriter } from '../../bench/src/ackedWriter'
import { LEASE_TTL_MS } from '../../server/src/storage/postgres/NegotiationLeases'
import { loadFromPostgres, startNegotiation } from '../helpers/clusterClients'
import { type ClusterProcess, type NginxCluster, startNginxCluster } from '../helpers/nginxCluster'
import { login } from '../helpers/testServer'
import { appendParagraph, connectClient, plainText, whenSynced } from '../helpers/yClient'

/** Documents unload (and their lease is released) this long after their last client left. */
const IDLE_UNLOAD_MS = '1000'
/** What a takeover may take beyond LEASE_TTL_MS: reconnection backoff, loading, a loaded machine. */
const TAKEOVER_MARGIN_MS = 8_000
/** How often the writers type (pacing a typist, not synchronising). */
const TYPING_INTERVAL_MS = 25
const WAIT = { timeout: LEASE_TTL_MS + TAKEOVER_MARGIN_MS + 20_000, interval: 50 }

describe('the owner of a negotiation behind nginx dies or stalls', () => {
  let cluster: NginxCluster
  let mediator: string
  beforeAll(async () => {
    cluster = await startNginxCluster({ env: { IDLE_UNLOAD_MS } })
    mediator = await login(cluster.url, 'mediator@demo.test')
  }, 120_000)
  afterAll(() => cluster?.close(), 60_000)

  /** Writers on a new negotiation's draft through nginx, typing until `stop()`. */
  async function typists(title: string, count: number) {
    const { id } = await startNegotiation(cluster.url, mediator, title)
    const draft = `${id}.draft`
    const writers: AckedWriter[] = []
    for (let index = 0; index < count; index++)
      writers.push(await connectAckedWriter(cluster.url, mediator, draft, `${title}${index}`))
    const timer = setInterval(() => {
      for (const writer of writers) writer.edit()
    }, TYPING_INTERVAL_MS)
    const owner = await waitForOwner(id, [])
    return {
      id,
      draft,
      writers,
      owner,
      stop: () => clearInterval(timer),
      /** Resolves once every writer has `count` more edits acknowledged than now. */
      async ackedMore(more: number) {
        const goals = writers.map((writer) => writer.acked + more)
        await expect
          .poll(() => writers.every((writer, index) => writer.acked >= (goals[index] ?? 0)), WAIT)
          .toBe(true)
      },
    }
  }

  /** Polls the running processes not in `except` until one owns `negotiationId`. */
  async function waitForOwner(negotiationId: string, except: number[]): Promise<ClusterProcess> {
    let owner: ClusterProcess | null = null
    await expect
      .poll(async () => {
        for (const process of cluster.processes) {
          if (except.includes(process.index) || !process.running) continue
          if ((await cluster.owned(process.index)).includes(negotiationId)) owner = process
        }
        return owner !== null
      }, WAIT)
      .toBe(true)
    return owner as unknown as ClusterProcess
  }

  /** Every acknowledged edit of `writers` is in `draft` as PostgreSQL holds it. */
  async function expectAckedStored(draft: string, writers: AckedWriter[]) {
    const [stored] = await loadFromPostgres(cluster.database.url, [draft])
    const text = plainText(stored as never)
    for (const writer of writers) {
      expect(writer.acked).toBeGreaterThan(0)
      for (let index = 1; index <= writer.acked; index++)
        expect(text).toContain(writer.token(index))
    }
  }

  it('SIGKILL: another process takes over within the lease time and no acknowledged edit is lost', async () => {
    const run = await typists('killed', 3)
    await run.ackedMore(10)
    const killedAt = performance.now()
    await cluster.signal(run.owner.index, 'SIGKILL')
    const next = await waitForOwner(run.id, [run.owner.index])
    const takeoverMs = performance.now() - killedAt
    console.log(`SIGKILL: process ${next.index} took over after ${Math.round(takeoverMs)} ms`)
    expect(next.index).not.toBe(run.owner.index)
    expect(takeoverMs).toBeLessThan(LEASE_TTL_MS + TAKEOVER_MARGIN_MS)

    // The writers reconnect through nginx and carry on on the new owner.
    await run.ackedMore(10)
    run.stop()
    await Promise.all(run.writers.map((writer) => writer.saved()))
    await expectAckedStored(run.draft, run.writers)
    for (const writer of run.writers) writer.destroy()
    await cluster.restart(run.owner.index)
  })

  it('SIGSTOP: the lease moves, the resumed process writes nothing, and no acknowledged edit is lost', async () => {
    const run = await typists('stalled', 2)
    await run.ackedMore(10)
    const stalled = run.owner
    const others = cluster.processes.filter((process) => process !== stalled)
    const rescuer = others[0] as ClusterProcess

    // A stale typist connected straight to the owner, which does not reconnect when it is closed:
    // its edit reaches the owner only while it stalls, so that only the resumed process could
    // write it. (Through nginx it could be relayed, and a relay gives up on a stalled owner.)
    const stale = connectClient(stalled.url, run.draft, mediator)
    await whenSynced(stale)
    stale.provider.on('connection-close', () => {
      stale.provider.shouldConnect = false
    })
    // The typists write every few milliseconds, so the stop often comes inside a write holding
    // the lease row; PostgreSQL ends that transaction (PG_IDLE_IN_TRANSACTION_MS) before expiry.
    await cluster.signal(stalled.index, 'SIGSTOP')
    const stoppedAt = performance.now()
    appendParagraph(stale.doc, 'Typed into the stalled process.')

    // nginx cannot tell a stalled process from a slow one; a client connected straight to another
    // process is refused (4504, retried) until the lease has expired, then served there.
    const rescue = await connectAckedWriter(rescuer.url, mediator, run.draft, 'rescue')
    const next = await waitForOwner(run.id, [stalled.index])
    const takeoverMs = performance.now() - stoppedAt
    console.log(`SIGSTOP: process ${next.index} took over after ${Math.round(takeoverMs)} ms`)
    expect(takeoverMs).toBeLessThan(LEASE_TTL_MS + TAKEOVER_MARGIN_MS)
    rescue.edit()
    await rescue.saved()

    await cluster.signal(stalled.index, 'SIGCONT')
    await expect.poll(() => cluster.owned(stalled.index), WAIT).not.toContain(run.id)
    const [fenced] = await loadFromPostgres(cluster.database.url, [run.draft])
    expect(plainText(fenced as never)).not.toContain('Typed into the stalled process.')

    // Everyone finishes: the stale typist's edit arrives from its own side once it reconnects.
    run.stop()
    await rescue.saved()
    rescue.destroy()
    const again = connectClient(cluster.url, run.draft, mediator, undefined, stale.doc)
    stale.provider.destroy()
    await whenSynced(again)
    await again.tracker.whenSaved()
    await Promise.all(run.writers.map((writer) => writer.saved()))
    await expectAckedStored(run.draft, [...run.writers, rescue])
    const [final] = await loadFromPostgres(cluster.database.url, [run.draft])
    expect(plainText(final as never)).toContain('Typed into the stalled process.')
    expect(plainText(final as never)).toBe(plainText(again.doc))
    again.destroy()
    for (const writer of run.writers) writer.destroy()
  })
})

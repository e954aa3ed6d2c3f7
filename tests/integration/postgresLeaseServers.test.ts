/**
 * Two server processes on one PostgreSQL database (two servers in this test process, each with
 * its own leases): the one that owns a negotiation serves it, the other forwards its connections
 * and commands to the owner (forwarding.test.ts tests that in depth); a graceful close hands the
 * negotiation over; and a stalled owner (its heartbeat stopped, its lease expired, taken over) has its next
 * write refused and closes its clients with the reconnect code, losing no acknowledged edit.
 */
import { OwnedElsewhere, ServerShutdown } from '@onetext/shared/closeCodes'
import { describe, expect, it } from 'vitest'
import { expireLease } from '../helpers/postgresDatabase'
import { type SharedStoreServer as Server, useSharedStore } from '../helpers/sharedStore'
import { loadStoredDoc, login } from '../helpers/testServer'
import { appendParagraph, plainText, waitForDoc, whenClosed, whenSynced } from '../helpers/yClient'

const N = 'lmp-1997'
const DRAFT = `${N}.draft`

describe('two server processes on one PostgreSQL database', () => {
  const store = useSharedStore()
  const start = () => store.start()
  const connect = store.connect.bind(store)

  /** The negotiations `server` owns, by /healthz; /metrics counts the same. */
  async function owned(server: Server): Promise<string[]> {
    const response = await fetch(`${server.url}/healthz`)
    const body = (await response.json()) as { ok: true; owned?: string[] }
    const metrics = (await (await fetch(`${server.url}/metrics`)).json()) as {
      ownedNegotiations?: number
    }
    expect(metrics.ownedNegotiations).toBe(body.owned?.length)
    return body.owned ?? []
  }

  /** Waits for a renewal of `server`'s leases that may be in flight (lease operations run in turn). */
  async function settleRenewals(server: Server): Promise<void> {
    await server.leases?.release('no-such-negotiation')
  }

  /**
   * Process A owns the negotiation, with an editor whose edit `saved` is acknowledged; then A
   * stalls (no heartbeat, its lease expires) and B takes the negotiation over for a reader.
   */
  async function stalledOwner(saved: string) {
    const a = await start()
    const b = await start()
    const editor = await connect(a, 'mediator')
    await whenSynced(editor)
    appendParagraph(editor.doc, saved)
    await editor.tracker.whenSaved()
    a.leases?.pauseHeartbeat()
    await settleRenewals(a)
    await expireLease(store.database.url, N)
    const reader = await connect(b, 'drafter')
    await whenSynced(reader)
    return { a, b, editor, reader }
  }

  it('serves a negotiation from its owner, through the other process too, and hands it over on a graceful close', async () => {
    const a = await start()
    const b = await start()
    const editor = await connect(a, 'mediator')
    await whenSynced(editor)
    appendParagraph(editor.doc, 'Saved on the first process.')
    await editor.tracker.whenSaved()
    expect(await owned(a)).toContain(N)
    expect(await owned(b)).not.toContain(N)

    // B does not take the negotiation: it relays the connection and the command to A.
    const elsewhere = await connect(b, 'drafter')
    await whenSynced(elsewhere)
    expect(plainText(elsewhere.doc)).toContain('Saved on the first process.')
    const command = await fetch(`${b.url}/api/negotiations/${N}/clauses`, {
      headers: { authorization: `Bearer ${await login(b.url, 'mediator@demo.test')}` },
    })
    expect(command.status).toBe(200)
    expect(await owned(b)).not.toContain(N)

    // A closes gracefully: its clients, the relayed one too, are told to reconnect; A released
    // the negotiation, so B takes it over at once and the client reads every acknowledged edit.
    editor.provider.destroy()
    const closed = whenClosed(elsewhere)
    await a.close()
    expect((await closed).code).toBe(ServerShutdown.code)
    await whenSynced(elsewhere)
    await waitForDoc(elsewhere.doc, (doc) => plainText(doc).includes('Saved on the first process.'))
    expect(await owned(b)).toContain(N)
  })

  it('refuses a stalled owner its next write once the lease moved, and loses no acknowledged edit', async () => {
    const { a, b, editor, reader } = await stalledOwner('Saved before the stall.')
    expect(plainText(reader.doc)).toContain('Saved before the stall.')
    expect(await owned(b)).toContain(N)

    // A's next write is refused by PostgreSQL: A closes its client with the reconnect code.
    const closed = whenClosed(editor)
    appendParagraph(editor.doc, 'Typed during the stall.')
    expect((await closed).code).toBe(OwnedElsewhere.code)
    expect(await owned(a)).not.toContain(N)
    await b.registry.persistence.drain()
    expect(plainText(await loadStoredDoc(b, DRAFT))).not.toContain('Typed during the stall.')

    // The client reconnects, this time to the owner, and brings what was not saved.
    editor.provider.destroy()
    const again = await connect(b, 'mediator', editor.doc)
    await whenSynced(again)
    await waitForDoc(reader.doc, (doc) => plainText(doc).includes('Typed during the stall.'))
    await again.tracker.whenSaved()
    await b.registry.persistence.drain()
    const stored = plainText(await loadStoredDoc(b, DRAFT))
    expect(stored).toContain('Saved before the stall.')
    expect(stored).toContain('Typed during the stall.')
  })

  it('closes the clients of a negotiation whose lease the heartbeat finds taken over', async () => {
    const { a, editor, reader } = await stalledOwner('Saved before the takeover.')

    const closed = whenClosed(editor)
    expect(await a.leases?.renewAll()).toEqual([N])
    expect((await closed).code).toBe(OwnedElsewhere.code)
    expect(a.registry.peek(DRAFT)).toBeUndefined()
    expect(await owned(a)).toEqual([])
    expect(plainText(reader.doc)).toContain('Saved before the takeover.')
  })
})

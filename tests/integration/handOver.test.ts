/**
 * Hand-over requests through Redis between two server processes (in this test process) on one
 * PostgreSQL database: a process relaying a client to the owner asks the owner, through Redis, to
 * hand the negotiation over; the owner does when every connection it serves for the negotiation
 * comes through the asking process (it writes what is pending, releases the lease and tells the
 * clients to reconnect, and the asker takes the negotiation over), and keeps it while it serves a
 * client of its own.
 */
import { OwnedElsewhere } from '@onetext/shared/closeCodes'
import { describe, expect, it } from 'vitest'
import type { ClusterEvent } from '../../server/src/cluster/clusterEvents'
import { type SharedStoreServer as Server, useSharedStore } from '../helpers/sharedStore'
import { loadStoredDoc } from '../helpers/testServer'
import {
  appendParagraph,
  plainText,
  type TestClient,
  whenClosed,
  whenSynced,
} from '../helpers/yClient'

const N = 'lmp-1997'
const DRAFT = `${N}.draft`

describe('handing a negotiation over on request', () => {
  const store = useSharedStore({ redis: true, databasePerTest: true })
  const startPair = () => store.startPair()
  const connect = (server: Server, who = 'mediator', doc?: TestClient['doc']) =>
    store.connect(server, who, doc)

  /** Resolves with the next hand-over request `server` hears (after it has handled it). */
  function nextHandOverHeard(server: Server): Promise<ClusterEvent> {
    return new Promise((resolve) => {
      server.bus?.onEvent((event) => {
        if (event.kind === 'handover') resolve(event)
      })
    })
  }

  it('moves the negotiation to the process all its clients come through', async () => {
    const { owner, other } = await startPair()
    // The owner has served the negotiation; its own client has left (the documents stay loaded).
    const earlier = await connect(owner)
    await whenSynced(earlier)
    appendParagraph(earlier.doc, 'Typed on the first owner.')
    await earlier.tracker.whenSaved()
    earlier.provider.destroy()
    await expect.poll(() => owner.connections.size).toBe(0)
    expect(owner.leases?.owned()).toEqual([N])

    // A client of the other process is relayed to the owner, which is asked to hand over.
    const heard = nextHandOverHeard(owner)
    const relayed = await connect(other)
    const closed = whenClosed(relayed)
    expect(await heard).toMatchObject({
      negotiationId: N,
      owner: owner.leases?.owner,
      to: other.leases?.owner,
    })
    expect((await closed).code).toBe(OwnedElsewhere.code)
    await owner.handOver?.idle()
    expect(owner.handOver?.handedOverTotal).toBe(1)
    expect(owner.leases?.owned()).toEqual([])

    // The client reconnects; the other process, finding the lease free, takes it.
    await whenSynced(relayed)
    await expect.poll(() => other.leases?.owned()).toEqual([N])
    expect(plainText(relayed.doc)).toContain('Typed on the first owner.')
    appendParagraph(relayed.doc, 'Typed on the new owner.')
    await relayed.tracker.whenSaved()
    const stored = plainText(await loadStoredDoc(other, DRAFT))
    expect(stored).toContain('Typed on the first owner.')
    expect(stored).toContain('Typed on the new owner.')
    expect((await (await fetch(`${other.url}/metrics`)).json()).forwardedConnections).toBe(0)
  })

  it('keeps the negotiation while the owner serves a client of its own', async () => {
    const { owner, other } = await startPair()
    const own = await connect(owner)
    await whenSynced(own)
    const heard = nextHandOverHeard(owner)
    const relayed = await connect(other)
    await whenSynced(relayed)
    await heard
    await owner.handOver?.idle()
    expect(owner.handOver?.handedOverTotal).toBe(0)
    expect(owner.leases?.owned()).toEqual([N])
    appendParagraph(relayed.doc, 'Typed through the relay.')
    await relayed.tracker.whenSaved()
    expect(plainText(await loadStoredDoc(owner, DRAFT))).toContain('Typed through the relay.')
  })
})

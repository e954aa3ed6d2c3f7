/**
 * The events of the cluster bus as they travel through Redis: each kind reads back as written;
 * anything else on the channel (not JSON, another kind, missing or oversized fields) is no event.
 */
import { describe, expect, it } from 'vitest'
import { type ClusterEvent, parseClusterEvent } from '../../server/src/cluster/clusterEvents'

describe('parseClusterEvent', () => {
  it('reads back every kind of event as it was written', () => {
    const events: ClusterEvent[] = [
      { kind: 'member', negotiationId: 'lmp-1997', userId: 'u-1' },
      { kind: 'readers', docName: 'lmp-1997.draft' },
      { kind: 'session', userId: 'u-1', sessionHash: 'aGFzaA' },
      { kind: 'recheck' },
      { kind: 'handover', negotiationId: 'lmp-1997', owner: 'owner-a', to: 'owner-b' },
    ]
    for (const event of events) expect(parseClusterEvent(JSON.stringify(event))).toEqual(event)
  })

  it('reads nothing else as an event', () => {
    for (const text of [
      'not json',
      'null',
      '"member"',
      '[]',
      JSON.stringify({ kind: 'shutdown' }),
      JSON.stringify({ kind: 'member', negotiationId: 'lmp-1997' }),
      JSON.stringify({ kind: 'member', negotiationId: 'lmp-1997', userId: 7 }),
      JSON.stringify({ kind: 'readers', docName: '' }),
      JSON.stringify({ kind: 'session', userId: 'u-1', sessionHash: 'x'.repeat(513) }),
      JSON.stringify({ kind: 'handover', negotiationId: 'lmp-1997', owner: 'owner-a' }),
    ]) {
      expect(parseClusterEvent(text)).toBeNull()
    }
  })
})

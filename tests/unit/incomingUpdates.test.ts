/**
 * A writer's updates waiting to be applied: the document takes what fits its turn budget, the rest
 * wait for the next turn in order, and acknowledgements stop before the first one not applied.
 */
import { describe, expect, it } from 'vitest'
import {
  type IncomingUpdate,
  IncomingUpdates,
  MAX_WAITING_UPDATES,
  type UpdateSink,
} from '../../server/src/sync/IncomingUpdates'

/** A sink that takes at most `perTurn` updates per bounded application, recording each run. */
function limitedSink(perTurn: number) {
  const applied: number[] = []
  const settledAt: Array<number | null> = []
  const reading: boolean[] = []
  let incoming: IncomingUpdates | null = null
  let settled: () => void = () => {}
  const sink: UpdateSink = {
    apply(run, unbounded) {
      const taken = unbounded ? run.length : Math.min(perTurn, run.length)
      for (const entry of run.slice(0, taken)) applied.push(entry.frame)
      return taken
    },
    settled() {
      settledAt.push(incoming?.firstUnsettledFrame ?? null)
      settled()
    },
    reading(on) {
      reading.push(on)
    },
  }
  incoming = new IncomingUpdates(sink)
  const nextSettle = () =>
    new Promise<void>((resolve) => {
      settled = resolve
    })
  return { incoming, applied, settledAt, reading, nextSettle }
}

const update = (frame: number, stepTwo = false): IncomingUpdate => ({
  update: new Uint8Array([frame]),
  frame,
  stepTwo,
})

describe('updates waiting for their turn', () => {
  it('applies what the budget allows now and the rest in later turns, in order', async () => {
    const { incoming, applied, settledAt, nextSettle } = limitedSink(2)
    let settle = nextSettle()
    for (let frame = 1; frame <= 5; frame++) incoming.receive(update(frame))
    await settle
    expect(applied).toEqual([1, 2])
    expect(settledAt).toEqual([3])
    settle = nextSettle()
    await settle
    expect(applied).toEqual([1, 2, 3, 4])
    expect(settledAt).toEqual([3, 5])
    settle = nextSettle()
    await settle
    expect(applied).toEqual([1, 2, 3, 4, 5])
    expect(settledAt).toEqual([3, 5, null])
  })

  it('puts a sync step 2 first, then the updates held for it, then the ones waiting', async () => {
    const { incoming, applied, nextSettle } = limitedSink(100)
    let settle = nextSettle()
    incoming.receive(update(1))
    await settle
    expect(incoming.holdEarly({ update: new Uint8Array([1]), frame: 1 })).toBe(true)
    expect(incoming.firstUnsettledFrame).toBe(1)
    settle = nextSettle()
    incoming.receive(update(2))
    incoming.receive(update(3, true))
    await settle
    expect(applied).toEqual([1, 3, 1, 2])
    expect(incoming.firstUnsettledFrame).toBeNull()
  })

  it('applies everything at once when drained (the connection is closing)', async () => {
    const { incoming, applied, nextSettle } = limitedSink(1)
    const settle = nextSettle()
    for (let frame = 1; frame <= 4; frame++) incoming.receive(update(frame))
    incoming.drain()
    expect(applied).toEqual([1, 2, 3, 4])
    await settle
    expect(applied).toEqual([1, 2, 3, 4])
  })

  it('stops reading the socket while too much waits, and reads again once it has gone', async () => {
    const { incoming, applied, reading, nextSettle } = limitedSink(MAX_WAITING_UPDATES)
    let settle = nextSettle()
    for (let frame = 1; frame <= MAX_WAITING_UPDATES + 10; frame++) incoming.receive(update(frame))
    expect(reading).toEqual([false])
    await settle
    // The first run took MAX_WAITING_UPDATES; ten wait, well under the limit.
    expect(applied.length).toBe(MAX_WAITING_UPDATES)
    expect(reading).toEqual([false, true])
    settle = nextSettle()
    await settle
    expect(applied.length).toBe(MAX_WAITING_UPDATES + 10)
  })

  it('applies nothing once the connection has closed', async () => {
    const { incoming, applied } = limitedSink(1)
    incoming.receive(update(1))
    incoming.drain()
    incoming.receive(update(2))
    await new Promise<void>((resolve) => setImmediate(resolve))
    expect(applied).toEqual([1])
    expect(incoming.firstUnsettledFrame).toBeNull()
  })
})

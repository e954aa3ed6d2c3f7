import { describe, expect, it } from 'vitest'
import type { DocumentStore, PendingUpdate } from '../../server/src/storage/DocumentStore'
import { LeaseLostError } from '../../server/src/storage/LeaseLostError'
import { PersistenceQueue } from '../../server/src/sync/PersistenceQueue'

/** A store that records batches and can be told to fail. */
function recordingStore(failTimes = 0) {
  const batches: PendingUpdate[][] = []
  let failures = 0
  let seq = 0
  const store: DocumentStore = {
    async load() {
      return {
        snapshot: null,
        snapshotSeq: 0,
        snapshotIntact: null,
        updates: [],
        seqs: [],
        lastSeq: 0,
      }
    },
    async append(batch) {
      if (batch.length > 0 && failures < failTimes) {
        failures++
        throw new Error('simulated write failure')
      }
      batches.push([...batch])
      const seqs = new Map<string, number>()
      for (const { docName } of batch) seqs.set(docName, ++seq)
      return seqs
    },
    async compact() {},
    async setAside() {},
    async listSetAside() {
      return []
    },
    async countSetAside() {
      return 0
    },
    async tailLength() {
      return 0
    },
    async exists() {
      return false
    },
    async documentNames() {
      return []
    },
    async documentFormat() {
      return 0
    },
    async setDocumentFormat() {},
  }
  return { store, batches, failures: () => failures }
}

describe('PersistenceQueue', () => {
  it('writes everything queued in one turn as one batch, then calls the callbacks', async () => {
    const { store, batches } = recordingStore()
    const queue = new PersistenceQueue(store)
    queue.enqueue('a', new Uint8Array([1]))
    queue.enqueue('b', new Uint8Array([2]))
    queue.enqueue('a', new Uint8Array([3]))
    const durable = new Promise<number>((resolve) =>
      queue.afterDurable(() => resolve(batches.length)),
    )
    expect(queue.hasPending('a')).toBe(true)
    expect(await durable).toBe(1)
    expect(batches[0]?.map((entry) => entry.docName)).toEqual(['a', 'b', 'a'])
    expect(queue.hasPending('a')).toBe(false)
    expect(queue.lastSeq('a')).toBe(3)
  })

  it('keeps a failed batch, retries it ahead of newer updates, and acknowledges only after success', async () => {
    const { store, batches, failures } = recordingStore(2)
    const health: Array<string | null> = []
    const queue = new PersistenceQueue(store, (error) => health.push(error ? error.message : null))
    queue.enqueue('doc', new Uint8Array([1]))
    const first = new Promise<number>((resolve) =>
      queue.afterDurable(() => resolve(batches.length)),
    )
    // Queued after the first attempt has started and failed.
    await new Promise<void>((resolve) => {
      const poll = () => (failures() > 0 ? resolve() : setImmediate(poll))
      poll()
    })
    queue.enqueue('doc', new Uint8Array([2]))
    expect(await first).toBe(1)
    await queue.drain()
    const written = batches.flat().map((entry) => entry.update[0])
    expect(written).toEqual([1, 2])
    expect(health).toEqual(['simulated write failure', 'simulated write failure', null])
  })

  it('calls a callback with nothing pending, after any write in progress', async () => {
    const { store } = recordingStore()
    const queue = new PersistenceQueue(store)
    const order: string[] = []
    queue.enqueue('doc', new Uint8Array([1]))
    queue.afterDurable(() => order.push('first'))
    await new Promise<void>((resolve) => queue.afterDurable(() => resolve()))
    queue.afterDurable(() => order.push('second'))
    await queue.drain()
    expect(order).toEqual(['first', 'second'])
  })

  it('drops, unwritten, the updates of a negotiation whose lease was lost, and writes the rest at once', async () => {
    const { store, batches } = recordingStore()
    const append = store.append.bind(store)
    let refusals = 0
    store.append = async (batch) => {
      if (batch.some((entry) => entry.docName.startsWith('lost.'))) {
        refusals++
        throw new LeaseLostError('lost')
      }
      return append(batch)
    }
    const health: Array<string | null> = []
    const queue = new PersistenceQueue(store, (error) => health.push(error ? error.message : null))
    queue.enqueue('kept.draft', new Uint8Array([1]))
    queue.enqueue('lost.draft', new Uint8Array([2]))
    queue.enqueue('lost.status', new Uint8Array([3]))
    queue.enqueue('kept.status', new Uint8Array([4]))
    await new Promise<void>((resolve) => queue.afterDurable(resolve))
    expect(refusals).toBe(1)
    expect(batches.flat().map((entry) => entry.update[0])).toEqual([1, 4])
    expect(queue.hasPending('lost.draft')).toBe(false)
    expect(queue.failedWrites).toBe(0)
    expect(health).toEqual([])

    queue.enqueue('lost.draft', new Uint8Array([5]))
    queue.discard('lost')
    await queue.drain()
    expect(batches.flat().map((entry) => entry.update[0])).toEqual([1, 4])
    expect(queue.pendingUpdates).toBe(0)
  })
})

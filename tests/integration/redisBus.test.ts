/**
 * The Redis pieces on a redis-server of this file's own (a child on a free loopback port): the
 * cluster bus (events heard by every bus of one prefix and none of another; subscribed again after
 * Redis restarts; a publish that failed meanwhile announced as a `recheck`), the sliding window of
 * failed sign-ins, and the shared request counts of the rate limit with their local fallback.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ClusterBus } from '../../server/src/cluster/ClusterBus'
import type { ClusterEvent } from '../../server/src/cluster/clusterEvents'
import { RedisFailureLog } from '../../server/src/cluster/RedisFailureLog'
import { sharedRateLimitStore } from '../../server/src/cluster/SharedRateLimitStore'
import { createLogger } from '../../server/src/logger'
import { startTestRedis, type TestRedis } from '../helpers/redisServer'

const logger = createLogger('silent')
const RECONNECT_WAIT = { timeout: 20_000, interval: 50 }

/** A key prefix of one test's own. */
function prefix(): string {
  return `onetext-test-${randomBytes(4).toString('hex')}:`
}

/** Resolves with the next event `bus` hears that `matches`. */
function nextEvent(bus: ClusterBus, matches: (event: ClusterEvent) => boolean) {
  return new Promise<ClusterEvent>((resolve) => {
    bus.onEvent((event) => {
      if (matches(event)) resolve(event)
    })
  })
}

describe('Redis for several processes', () => {
  let redis: TestRedis
  const buses: ClusterBus[] = []
  beforeAll(async () => {
    redis = await startTestRedis()
  })
  afterEach(async () => {
    for (const bus of buses.splice(0)) bus.close()
    if (!redis.running) await redis.start()
  })
  afterAll(() => redis?.close())

  function bus(keyPrefix: string): ClusterBus {
    const opened = new ClusterBus(redis.url, keyPrefix, logger)
    buses.push(opened)
    return opened
  }

  it('delivers an event to every bus of its prefix, the sender included, and to none of another', async () => {
    const shared = prefix()
    const [sender, receiver, stranger] = [bus(shared), bus(shared), bus(prefix())]
    await Promise.all([sender, receiver, stranger].map((each) => each.whenSubscribed()))
    const heardByStranger: ClusterEvent[] = []
    stranger.onEvent((event) => heardByStranger.push(event))
    const event: ClusterEvent = { kind: 'member', negotiationId: 'n', userId: 'u' }
    const heard = Promise.all([sender, receiver].map((each) => nextEvent(each, () => true)))
    expect(await sender.publish(event)).toBe(true)
    expect(await heard).toEqual([event, event])
    // The stranger's own event arrives after anything published before it on the server.
    const own = nextEvent(stranger, () => true)
    await stranger.publish({ kind: 'recheck' })
    await own
    expect(heardByStranger).toEqual([{ kind: 'recheck' }])
  })

  it('subscribes again after Redis restarts, telling its listeners', async () => {
    const shared = prefix()
    const [sender, receiver] = [bus(shared), bus(shared)]
    await Promise.all([sender.whenSubscribed(), receiver.whenSubscribed()])
    let subscriptions = 0
    receiver.onSubscribed(() => subscriptions++)

    await redis.kill()
    await expect.poll(() => receiver.subscribed, RECONNECT_WAIT).toBe(false)
    // Fails at once (nothing is queued) and is logged, not thrown.
    expect(await sender.publish({ kind: 'session', userId: 'u', sessionHash: 'h' })).toBe(false)

    await redis.start()
    await receiver.whenSubscribed()
    expect(subscriptions).toBe(1)
    await expect.poll(() => sender.commands.status, RECONNECT_WAIT).toBe('ready')
    const heard = nextEvent(receiver, (event) => event.kind === 'readers')
    expect(await sender.publish({ kind: 'readers', docName: 'n.draft' })).toBe(true)
    await heard
  })

  it('asks every process to re-check after a publish it could not make', async () => {
    const shared = prefix()
    const [sender, receiver] = [bus(shared), bus(shared)]
    await Promise.all([sender.whenSubscribed(), receiver.whenSubscribed()])
    const recheck = nextEvent(receiver, (event) => event.kind === 'recheck')
    // Only the sender's connection goes away (Redis stays up, the receiver subscribed): its
    // publish fails, and once it is back it publishes a recheck the receiver hears.
    const failed = new Promise<boolean>((resolve) =>
      sender.commands.once('close', () =>
        resolve(sender.publish({ kind: 'member', negotiationId: 'n', userId: 'u' })),
      ),
    )
    sender.commands.disconnect(true)
    expect(await failed).toBe(false)
    expect(await recheck).toEqual({ kind: 'recheck' })
  })

  it('keeps failed sign-ins in a sliding window', async () => {
    const opened = bus(prefix())
    await opened.whenSubscribed()
    // Commands go on a connection of their own, which queues nothing while it is not ready yet.
    await expect.poll(() => opened.commands.status, RECONNECT_WAIT).toBe('ready')
    const log = new RedisFailureLog(opened.commands, opened.prefix)
    const start = Date.now()
    expect(await log.record('k', start, 60_000)).toBe(1)
    expect(await log.retryAfter('k', start + 10, 60_000, 2)).toBe(0)
    expect(await log.record('k', start + 1_000, 60_000)).toBe(2)
    // Two in the window: wait until the first leaves it.
    expect(await log.retryAfter('k', start + 1_000, 60_000, 2)).toBe(59_000)
    expect(await log.retryAfter('k', start + 60_001, 60_000, 2)).toBe(0)
    expect(await log.retryAfter('other', start, 60_000, 1)).toBe(0)
    await log.clear('k')
    expect(await log.retryAfter('k', start + 1_000, 60_000, 1)).toBe(0)
    // A cleared key leaves nothing behind, and a read creates none.
    expect(await opened.commands.keys(`${opened.prefix}*`)).toEqual([])
  })

  it('counts requests across stores of one prefix, and counts locally while Redis is away', async () => {
    const opened = bus(prefix())
    await opened.whenSubscribed()
    const errors: unknown[] = []
    const Store = sharedRateLimitStore({
      redis: opened.commands,
      prefix: opened.prefix,
      onError: (error) => errors.push(error),
    })
    const route = { routeInfo: { method: 'POST', url: '/api/login' } } as never
    const [here, there] = [new Store({}).child(route), new Store({}).child(route)]
    const hit = (store: typeof here) =>
      new Promise<{ current: number; ttl: number }>((resolve, reject) =>
        store.incr(
          '127.0.0.1',
          (error, result) => (error || !result ? reject(error) : resolve(result)),
          60_000,
          10,
        ),
      )
    expect((await hit(here)).current).toBe(1)
    expect((await hit(there)).current).toBe(2)
    const third = await hit(here)
    expect(third.current).toBe(3)
    expect(third.ttl).toBeGreaterThan(50_000)
    expect(third.ttl).toBeLessThanOrEqual(60_000)

    // Away: a store answers its own count (this is the third request it saw), and says so.
    await redis.kill()
    expect((await hit(here)).current).toBe(3)
    expect(errors.length).toBeGreaterThan(0)
  })
})

/**
 * A store for @fastify/rate-limit that counts in Redis, so that a route's limit per address holds
 * across every process: each request is one Lua script under `<prefix>rate:<route>:<hash of the
 * address>` (INCR, then PEXPIRE when it starts a window, atomically), a fixed window as the
 * plugin's own store counts. Every request is also counted in this process's memory; the answer is
 * the larger of the two counts, and this process's alone when Redis does not answer (within
 * REDIS_COMMAND_TIMEOUT_MS), so that an outage of Redis never lets an address through more than
 * one process alone would let it.
 */
import { createHash } from 'node:crypto'
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { Redis } from 'ioredis'

/** KEYS[1] the counter; ARGV[1] the window: counts one request, starts the window if none. */
const HIT = `
local current = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if current == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}
`

/** Most keys the local count holds before it forgets expired ones (then the oldest). */
const MAX_LOCAL_KEYS = 10_000

/** A count of requests in a window. */
interface WindowCount {
  current: number
  /** Milliseconds until the window ends. */
  ttl: number
}

/** Fixed-window counts in this process's memory. */
class LocalCounts {
  private readonly windows = new Map<string, { count: number; endsAt: number }>()

  hit(key: string, windowMs: number, now: number): WindowCount {
    let window = this.windows.get(key)
    if (!window || window.endsAt <= now) {
      this.windows.delete(key)
      if (this.windows.size >= MAX_LOCAL_KEYS) this.prune(now)
      window = { count: 0, endsAt: now + windowMs }
      this.windows.set(key, window)
    }
    window.count++
    return { current: window.count, ttl: window.endsAt - now }
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key)
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_LOCAL_KEYS) break
      this.windows.delete(key)
    }
  }
}

/** What the store needs: the Redis connection, the key prefix, and where failures are told. */
export interface SharedRateLimitContext {
  redis: Redis
  prefix: string
  /** Hears each failed Redis command (the count was then this process's). */
  onError: (error: unknown) => void
}

/** The larger of two counts of one window. */
function larger(local: WindowCount, shared: WindowCount): WindowCount {
  return shared.current >= local.current ? shared : local
}

/**
 * The store class to pass to @fastify/rate-limit as `store`: every route with its own limit gets
 * a child counting under its method and path.
 */
export function sharedRateLimitStore(context: SharedRateLimitContext): FastifyRateLimitStoreCtor {
  class SharedRateLimitStore implements FastifyRateLimitStore {
    private readonly local = new LocalCounts()

    constructor(
      _options: unknown,
      private readonly route = '',
    ) {}

    incr(
      key: string,
      callback: (error: Error | null, result?: WindowCount) => void,
      timeWindow: number,
    ): void {
      const local = this.local.hit(key, timeWindow, Date.now())
      const address = createHash('sha256').update(key).digest('base64url')
      context.redis.eval(HIT, 1, `${context.prefix}rate:${this.route}:${address}`, timeWindow).then(
        (answer) => {
          const [current, ttl] = answer as [number, number]
          callback(null, larger(local, { current: Number(current), ttl: Number(ttl) }))
        },
        (error: unknown) => {
          context.onError(error)
          callback(null, local)
        },
      )
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const info = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo
      return new SharedRateLimitStore(
        null,
        `${String(info?.method ?? '')}${String(info?.url ?? '')}`,
      )
    }
  }
  return SharedRateLimitStore
}

/**
 * Failed sign-ins counted in Redis, so that every process sees the failures of all: per key, a
 * sorted set of the failures' times under `<prefix>login:<key>`, kept for the window (PEXPIRE),
 * read and written by Lua scripts so that each call is one atomic step. The window slides, as
 * LoginThrottle's own count does: a failure counts for exactly `windowMs` after it. The keys
 * LoginThrottle passes are hashes (no address or email is stored in Redis). Every method rejects
 * when Redis does not answer; the caller falls back to its own count.
 */
import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { SharedFailureLog } from '../auth/LoginThrottle'

/** KEYS[1] the set; ARGV now, window, a unique member: drops expired failures, adds one, counts. */
const RECORD = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('ZCARD', KEYS[1])
`

/**
 * KEYS[1] the set; ARGV now, window, max: milliseconds until the oldest of `max` failures in the
 * window leaves it, or 0 while fewer than `max` are in it.
 */
const RETRY_AFTER = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then return 0 end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
return tonumber(ARGV[2]) - (tonumber(ARGV[1]) - tonumber(oldest))
`

export class RedisFailureLog implements SharedFailureLog {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(key: string): string {
    return `${this.prefix}login:${key}`
  }

  async record(key: string, now: number, windowMs: number): Promise<number> {
    const member = `${now}:${randomBytes(6).toString('base64url')}`
    return Number(await this.redis.eval(RECORD, 1, this.key(key), now, windowMs, member))
  }

  async retryAfter(key: string, now: number, windowMs: number, max: number): Promise<number> {
    return Math.max(
      0,
      Number(await this.redis.eval(RETRY_AFTER, 1, this.key(key), now, windowMs, max)),
    )
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(this.key(key))
  }
}

/**
 * Counts failed sign-ins per (address, email) and refuses further attempts once
 * MAX_LOGIN_FAILURES have failed within LOGIN_WINDOW_MS (a sliding window: each failure counts for
 * LOGIN_WINDOW_MS after it). The count is kept in this process's memory (a restart resets it) and,
 * with a shared log (Redis, when REDIS_URL is set), there too, so that failures on one process
 * count on every other: the wait is the longer of the two. When the shared log cannot be reached,
 * this process's own count decides alone (it has counted every failure it saw, so an outage of
 * Redis never lets through more attempts than one process alone would).
 */
import { createHash } from 'node:crypto'
import { LOGIN_WINDOW_MS, MAX_LOGIN_FAILURES } from '@onetext/shared/limits'

/** Failures kept where every process sees them (RedisFailureLog); each method may reject. */
export interface SharedFailureLog {
  /** Records a failure of `key` at `now`; resolves with the failures in the window. */
  record(key: string, now: number, windowMs: number): Promise<number>
  /** Milliseconds until another attempt for `key` is allowed (0: now), given `max` in `windowMs`. */
  retryAfter(key: string, now: number, windowMs: number, max: number): Promise<number>
  /** Forgets the failures of `key`. */
  clear(key: string): Promise<void>
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>()

  /**
   * Without `shared` (the default) the count is this process's alone. `onSharedError` hears each
   * failure of the shared log (the count is then this process's).
   */
  constructor(
    private readonly shared: SharedFailureLog | null = null,
    private readonly onSharedError: (error: unknown) => void = () => {},
  ) {}

  private key(address: string, email: string): string {
    return `${address}\u0000${email.toLowerCase()}`
  }

  /** The shared log's key: a hash, so that no address or email is stored outside the process. */
  private sharedKey(key: string): string {
    return createHash('sha256').update(key).digest('base64url')
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((time) => now - time < LOGIN_WINDOW_MS)
    if (times.length > 0) this.failures.set(key, times)
    else this.failures.delete(key)
    return times
  }

  private localRetryAfter(key: string, now: number): number {
    const times = this.recent(key, now)
    if (times.length < MAX_LOGIN_FAILURES) return 0
    return LOGIN_WINDOW_MS - (now - (times[0] ?? now))
  }

  /** Milliseconds until another attempt is allowed, or 0 when it is allowed now. */
  async retryAfter(address: string, email: string, now = Date.now()): Promise<number> {
    const key = this.key(address, email)
    const local = this.localRetryAfter(key, now)
    if (!this.shared) return local
    try {
      const shared = await this.shared.retryAfter(
        this.sharedKey(key),
        now,
        LOGIN_WINDOW_MS,
        MAX_LOGIN_FAILURES,
      )
      return Math.max(local, shared)
    } catch (error) {
      this.onSharedError(error)
      return local
    }
  }

  /** Records a failed attempt. */
  async fail(address: string, email: string, now = Date.now()): Promise<void> {
    const key = this.key(address, email)
    this.failures.set(key, [...this.recent(key, now), now])
    if (!this.shared) return
    try {
      await this.shared.record(this.sharedKey(key), now, LOGIN_WINDOW_MS)
    } catch (error) {
      this.onSharedError(error)
    }
  }

  /** Clears the failures after a successful sign-in. */
  async succeed(address: string, email: string): Promise<void> {
    const key = this.key(address, email)
    this.failures.delete(key)
    if (!this.shared) return
    try {
      await this.shared.clear(this.sharedKey(key))
    } catch (error) {
      this.onSharedError(error)
    }
  }
}

/**
 * Counts failed sign-ins per (address, email) and refuses further attempts once
 * MAX_LOGIN_FAILURES have failed within LOGIN_WINDOW_MS. In memory: a restart resets it.
 */
import { LOGIN_WINDOW_MS, MAX_LOGIN_FAILURES } from '@onetext/shared/limits'

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>()

  private key(address: string, email: string): string {
    return `${address}\u0000${email.toLowerCase()}`
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((time) => now - time < LOGIN_WINDOW_MS)
    if (times.length > 0) this.failures.set(key, times)
    else this.failures.delete(key)
    return times
  }

  /** Milliseconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfter(address: string, email: string, now = Date.now()): number {
    const times = this.recent(this.key(address, email), now)
    if (times.length < MAX_LOGIN_FAILURES) return 0
    return LOGIN_WINDOW_MS - (now - (times[0] ?? now))
  }

  /** Records a failed attempt. */
  fail(address: string, email: string, now = Date.now()): void {
    const key = this.key(address, email)
    this.failures.set(key, [...this.recent(key, now), now])
  }

  /** Clears the failures after a successful sign-in. */
  succeed(address: string, email: string): void {
    this.failures.delete(this.key(address, email))
  }
}

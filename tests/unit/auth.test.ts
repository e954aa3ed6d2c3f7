import { LOGIN_WINDOW_MS, MAX_LOGIN_FAILURES } from '@onetext/shared/limits'
import { describe, expect, it } from 'vitest'
import { LoginThrottle, type SharedFailureLog } from '../../server/src/auth/LoginThrottle'
import { hashPassword, verifyPassword } from '../../server/src/auth/passwords'

describe('passwords', () => {
  it('verifies the right password and rejects others, with a fresh salt each time', async () => {
    const hash = await hashPassword('correct horse')
    expect(hash).toMatch(/^scrypt\$/)
    expect(await hashPassword('correct horse')).not.toBe(hash)
    expect(await verifyPassword('correct horse', hash)).toBe(true)
    expect(await verifyPassword('correct hors', hash)).toBe(false)
    expect(await verifyPassword('correct horse', 'garbage')).toBe(false)
    expect(await verifyPassword('correct horse', 'scrypt$1$1$1$AA==$AA==')).toBe(false)
  })
})

describe('LoginThrottle', () => {
  it('blocks after the limit within the window and forgets after it', async () => {
    const throttle = new LoginThrottle()
    const start = 1_000_000
    for (let index = 0; index < MAX_LOGIN_FAILURES; index++) {
      expect(await throttle.retryAfter('1.2.3.4', 'A@x', start)).toBe(0)
      await throttle.fail('1.2.3.4', 'a@x', start)
    }
    expect(await throttle.retryAfter('1.2.3.4', 'a@X', start + 1)).toBeGreaterThan(0)
    expect(await throttle.retryAfter('5.6.7.8', 'a@x', start + 1)).toBe(0)
    expect(await throttle.retryAfter('1.2.3.4', 'a@x', start + 11 * 60 * 1000)).toBe(0)
  })
})

/** A shared failure log in memory that can be made unreachable, counting what it was asked. */
function sharedLog() {
  const failures = new Map<string, number[]>()
  const log = {
    reachable: true,
    calls: 0,
    check() {
      log.calls++
      if (!log.reachable) throw new Error('unreachable')
    },
    async record(key: string, now: number, windowMs: number) {
      log.check()
      const times = [...(failures.get(key) ?? []).filter((time) => now - time < windowMs), now]
      failures.set(key, times)
      return times.length
    },
    async retryAfter(key: string, now: number, windowMs: number, max: number) {
      log.check()
      const times = (failures.get(key) ?? []).filter((time) => now - time < windowMs)
      return times.length < max ? 0 : windowMs - (now - (times[0] ?? now))
    },
    async clear(key: string) {
      log.check()
      failures.delete(key)
    },
  }
  return log satisfies SharedFailureLog
}

describe('LoginThrottle with a shared log', () => {
  it('counts the failures another process recorded, and falls back to its own count when the log is unreachable', async () => {
    const shared = sharedLog()
    const errors: unknown[] = []
    const here = new LoginThrottle(shared, (error) => errors.push(error))
    const elsewhere = new LoginThrottle(shared)
    const start = 1_000_000
    for (let index = 0; index < MAX_LOGIN_FAILURES - 1; index++)
      await elsewhere.fail('1.2.3.4', 'a@x', start)
    await here.fail('1.2.3.4', 'a@x', start)
    // Neither alone saw the limit; the shared log did.
    expect(await here.retryAfter('1.2.3.4', 'a@x', start + 1)).toBe(LOGIN_WINDOW_MS - 1)

    // Unreachable: this process's own count decides (one failure here: allowed), and says so.
    shared.reachable = false
    expect(await here.retryAfter('1.2.3.4', 'a@x', start + 1)).toBe(0)
    expect(errors).toHaveLength(1)
    for (let index = 0; index < MAX_LOGIN_FAILURES; index++)
      await here.fail('5.6.7.8', 'b@x', start)
    expect(await here.retryAfter('5.6.7.8', 'b@x', start + 1)).toBeGreaterThan(0)

    // Reachable again: the longer wait of the two counts; a success clears both.
    shared.reachable = true
    expect(await here.retryAfter('5.6.7.8', 'b@x', start + 1)).toBe(LOGIN_WINDOW_MS - 1)
    await here.succeed('1.2.3.4', 'a@x')
    expect(await elsewhere.retryAfter('1.2.3.4', 'a@x', start + 1)).toBe(0)
  })

  it('keeps addresses and emails out of the shared log', async () => {
    const keys: string[] = []
    const shared: SharedFailureLog = {
      async record(key) {
        keys.push(key)
        return 1
      },
      async retryAfter(key) {
        keys.push(key)
        return 0
      },
      async clear(key) {
        keys.push(key)
      },
    }
    const throttle = new LoginThrottle(shared)
    await throttle.retryAfter('10.0.0.1', 'Someone@Example.org')
    await throttle.fail('10.0.0.1', 'someone@example.org')
    await throttle.succeed('10.0.0.1', 'SOMEONE@example.org')
    expect(new Set(keys).size).toBe(1)
    expect(keys[0]).not.toMatch(/10\.0\.0\.1|someone|example/i)
  })
})

import { MAX_LOGIN_FAILURES } from '@onetext/shared/limits'
import { describe, expect, it } from 'vitest'
import { LoginThrottle } from '../../server/src/auth/LoginThrottle'
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
  it('blocks after the limit within the window and forgets after it', () => {
    const throttle = new LoginThrottle()
    const start = 1_000_000
    for (let index = 0; index < MAX_LOGIN_FAILURES; index++) {
      expect(throttle.retryAfter('1.2.3.4', 'A@x', start)).toBe(0)
      throttle.fail('1.2.3.4', 'a@x', start)
    }
    expect(throttle.retryAfter('1.2.3.4', 'a@X', start + 1)).toBeGreaterThan(0)
    expect(throttle.retryAfter('5.6.7.8', 'a@x', start + 1)).toBe(0)
    expect(throttle.retryAfter('1.2.3.4', 'a@x', start + 11 * 60 * 1000)).toBe(0)
  })
})

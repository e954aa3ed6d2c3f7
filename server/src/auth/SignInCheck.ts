/**
 * The one password check of the server, for signing in and for an existing account accepting an
 * invitation: throttled per address and email (LoginThrottle: 429 with Retry-After), audited
 * (`login` / `login-failed`, with `via`), the same answer and time for an unknown email as for a
 * wrong password, and a hash stored with older parameters replaced at the first success.
 */

import { HttpError } from '../http/HttpError'
import type { AuditLog } from '../storage/AuditLog'
import type { Directory, UserRecord } from '../storage/Directory'
import type { LoginThrottle } from './LoginThrottle'
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './passwords'

/** Where a password is checked. */
export interface SignInAttempt {
  email: string
  password: string
  address: string
  /** `login` (the sign-in form) or `invite` (accepting an invitation). */
  via: 'login' | 'invite'
  /** The negotiation an invitation is for (its audit log then shows the attempt). */
  negotiationId?: string
}

export class SignInCheck {
  constructor(
    private readonly directory: Directory,
    private readonly audit: AuditLog,
    private readonly throttle: LoginThrottle,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The account if `attempt`'s password is its password; 429 when throttled, 401 otherwise. */
  async verify(attempt: SignInAttempt): Promise<UserRecord> {
    const { email, address, via } = attempt
    const record = {
      email,
      address,
      negotiationId: attempt.negotiationId ?? null,
    }
    const wait = await this.throttle.retryAfter(address, email)
    if (wait > 0) {
      this.audit.record({ ...record, action: 'login-failed', detail: { reason: 'throttled', via } })
      throw new HttpError(429, 'too-many-attempts', 'Too many failed sign-ins. Try again later.', {
        'retry-after': String(Math.ceil(wait / 1000)),
      })
    }
    const user = await this.directory.findUserByEmail(email)
    const ok = user
      ? await verifyPassword(attempt.password, user.passwordHash)
      : await verifyAgainstDummy(attempt.password)
    if (!user || !ok) {
      await this.throttle.fail(address, email)
      this.audit.record({
        ...record,
        action: 'login-failed',
        userId: user?.id ?? null,
        detail: { reason: user ? 'wrong-password' : 'unknown-email', via },
      })
      throw new HttpError(
        401,
        'invalid-credentials',
        via === 'login' ? 'Wrong email or password.' : 'Wrong password for this account.',
      )
    }
    await this.throttle.succeed(address, email)
    this.audit.record({
      ...record,
      action: 'login',
      userId: user.id,
      email: user.email,
      detail: { via },
    })
    if (needsRehash(user.passwordHash)) {
      // The stronger hash replaces the old one; a failure here leaves the old one, still valid.
      try {
        await this.directory.setPasswordHash(user.id, await hashPassword(attempt.password))
      } catch (error) {
        this.onError(error)
      }
    }
    return user
  }
}

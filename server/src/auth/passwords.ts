/**
 * Password hashing with scrypt (node:crypto, on libuv's thread pool) at OWASP's current minimum
 * for scrypt: N=2^17, r=8, p=1 (128 MiB and about 0.6-0.9 s of one core per hash on the project's
 * machine, docs/BENCHMARKS.md). Stored form: `scrypt$N$r$p$<salt base64>$<hash base64>`; a hash
 * stored with lower parameters still verifies and {@link needsRehash} says to replace it.
 * At most MAX_CONCURRENT_PASSWORD_HASHES run at once, so that sign-in attempts cannot take every
 * thread of the pool (file reads wait on it too) or more memory than that many hashes need.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { MAX_CONCURRENT_PASSWORD_HASHES } from '@onetext/shared/limits'

/** scrypt's cost parameter for new hashes. */
export const SCRYPT_N = 2 ** 17
/** scrypt's block size for new hashes. */
export const SCRYPT_R = 8
/** scrypt's parallelisation for new hashes. */
export const SCRYPT_P = 1
const KEY_LENGTH = 32
/** Highest cost a stored hash may ask for (refused above: it would take minutes, or fail). */
const MAX_STORED_N = 2 ** 20

let running = 0
const waiting: Array<() => void> = []

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_PASSWORD_HASHES) {
    await new Promise<void>((resolve) => waiting.push(resolve))
  } else running++
  try {
    return await work()
  } finally {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
}

function scryptAsync(
  password: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
): Promise<Buffer> {
  return limited(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(
          password.normalize('NFKC'),
          salt,
          KEY_LENGTH,
          { N: n, r, p, maxmem: 256 * r * n + 1024 * 1024 },
          (error, key) => (error ? reject(error) : resolve(key)),
        )
      }),
  )
}

/** Hashes a password with a fresh random salt at the current parameters. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
  return `scrypt$${SCRYPT_N}$${SCRYPT_R}$${SCRYPT_P}$${salt.toString('base64')}$${key.toString('base64')}`
}

interface StoredHash {
  n: number
  r: number
  p: number
  salt: Buffer
  hash: Buffer
}

function parse(stored: string): StoredHash | null {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  const hash = Buffer.from(parts[5] ?? '', 'base64')
  const valid =
    Number.isInteger(n) &&
    n > 1 &&
    n <= MAX_STORED_N &&
    (n & (n - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= 16 &&
    hash.length === KEY_LENGTH
  return valid ? { n, r, p, salt: Buffer.from(parts[4] ?? '', 'base64'), hash } : null
}

/** True when `password` matches `stored`; compares in constant time. False for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored)
  if (!parsed) return false
  const key = await scryptAsync(password, parsed.salt, parsed.n, parsed.r, parsed.p)
  return timingSafeEqual(key, parsed.hash)
}

/** True when `stored` was made with weaker parameters than new hashes (or cannot be read). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored)
  return !parsed || parsed.n < SCRYPT_N || parsed.r < SCRYPT_R || parsed.p < SCRYPT_P
}

let dummyHash: Promise<string> | null = null

/**
 * Spends the same time as a real verification, for sign-ins with an unknown email, so that
 * response time does not reveal which emails have accounts.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('dummy-password-for-timing')
  await verifyPassword(password, await dummyHash)
  return false
}

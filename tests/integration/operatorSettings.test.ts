/**
 * Operators' settings: TRUST_PROXY (the client address the audit log and sign-in throttling see
 * behind a proxy), PUBLIC_URL (the address in invitation links), SMTP_URL and MAIL_FROM (activity
 * e-mail), and a request id on every answer.
 */
import type { ApiAuditEntry } from '@onetext/shared/apiTypes'
import { describe, expect, it } from 'vitest'
import { configFromEnv } from '../../server/src/config'
import { callApi } from '../helpers/api'
import { login, startTestServer } from '../helpers/testServer'

/** The address the audit log records for a failed sign-in sent with `X-Forwarded-For`. */
async function recordedAddress(env: Record<string, string>): Promise<string | null> {
  const server = await startTestServer({ env })
  try {
    await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: JSON.stringify({ email: 'labor.member@demo.test', password: 'wrong' }),
    })
    const mediator = await login(server.url, 'mediator@demo.test')
    const audit = await callApi<ApiAuditEntry[]>(
      server.url,
      'GET',
      '/api/negotiations/lmp-1997/audit?limit=500',
      mediator,
    )
    return audit.body.find((entry) => entry.action === 'login-failed')?.address ?? null
  } finally {
    await server.close()
  }
}

describe('operators’ settings', () => {
  it('believes X-Forwarded-For only from a proxy TRUST_PROXY names', async () => {
    expect(await recordedAddress({})).toBe('127.0.0.1')
    expect(await recordedAddress({ TRUST_PROXY: '127.0.0.1' })).toBe('203.0.113.9')
    expect(await recordedAddress({ TRUST_PROXY: '10.0.0.0/8' })).toBe('127.0.0.1')
  })

  it('puts PUBLIC_URL in invitation links, and a request id on every answer', async () => {
    const server = await startTestServer({ env: { PUBLIC_URL: 'https://onetext.example.org/' } })
    try {
      const mediator = await login(server.url, 'mediator@demo.test')
      const response = await fetch(`${server.url}/api/negotiations/lmp-1997/invites`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mediator}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'new@example.org', role: 'observer' }),
      })
      expect(response.status).toBe(201)
      const invite = (await response.json()) as { url: string; path: string }
      expect(invite.url).toBe(`https://onetext.example.org${invite.path}`)
      const ids = new Set<string>()
      for (let index = 0; index < 3; index++) {
        ids.add((await fetch(`${server.url}/healthz`)).headers.get('x-request-id') ?? '')
      }
      expect(ids.size).toBe(3)
      expect(ids.has('')).toBe(false)
    } finally {
      await server.close()
    }
  })

  it('takes an smtp:// or smtps:// SMTP_URL, and refuses anything else without echoing it', () => {
    expect(configFromEnv({}).smtpUrl).toBeNull()
    expect(configFromEnv({}).mailFrom).toBe('OneText <onetext@localhost>')
    const config = configFromEnv({
      SMTP_URL: 'smtps://mailer:s3cret@mail.example.org:465',
      MAIL_FROM: 'Table <table@example.org>',
    })
    expect(config.smtpUrl).toBe('smtps://mailer:s3cret@mail.example.org:465')
    expect(config.mailFrom).toBe('Table <table@example.org>')
    for (const bad of ['http://mailer:s3cret@mail.example.org', 'not a url s3cret', 'smtp://'])
      expect(() => configFromEnv({ SMTP_URL: bad })).toThrow(
        expect.objectContaining({
          name: 'RangeError',
          message: expect.not.stringContaining('s3cret'),
        }),
      )
  })

  it('takes a redis:// or rediss:// REDIS_URL and a printable REDIS_PREFIX, refusing anything else', () => {
    expect(configFromEnv({}).redisUrl).toBeNull()
    expect(configFromEnv({}).redisPrefix).toBe('onetext:')
    const config = configFromEnv({
      REDIS_URL: 'rediss://onetext:s3cret@redis.example.org:6380/2',
      REDIS_PREFIX: 'table-12:',
    })
    expect(config.redisUrl).toBe('rediss://onetext:s3cret@redis.example.org:6380/2')
    expect(config.redisPrefix).toBe('table-12:')
    for (const bad of ['http://onetext:s3cret@redis.example.org', 's3cret', 'redis://'])
      expect(() => configFromEnv({ REDIS_URL: bad })).toThrow(
        expect.objectContaining({
          name: 'RangeError',
          message: expect.not.stringContaining('s3cret'),
        }),
      )
    for (const bad of ['with space', 'x'.repeat(101), 'tab\there'])
      expect(() => configFromEnv({ REDIS_PREFIX: bad })).toThrow(RangeError)
  })
})

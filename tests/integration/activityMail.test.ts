/**
 * Being told: each member's "since you last looked" kept per account, and activity e-mail through
 * a real SMTP server (smtp-server, on a port of its own) to the members who chose the event and may
 * read it, and to no one else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '../helpers/smtpSink'
import { login, startTestServer } from '../helpers/testServer'

const N = 'lmp-1997'
const PUBLIC_URL = 'https://onetext.example.org'

interface Reader {
  seenAt: number
  mailKinds: string[]
  mailAvailable: boolean
}

describe('activity e-mail and the reader’s place in the feed', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let smtp: SmtpSink
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    smtp = await startSmtpSink()
    server = await startTestServer({
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Table <table@example.org>',
        PUBLIC_URL,
      },
    })
    for (const key of [
      'mediator',
      'labor.lead',
      'labor.member',
      'mgmt.lead',
      'mgmt.member',
      'observer',
    ])
      tokens[key] = await login(server.url, `${key}@demo.test`)
  })

  afterAll(async () => {
    await server.close()
    await smtp.close()
  })

  const api = <T>(method: string, route: string, who: string, body?: unknown) =>
    callApi<T>(server.url, method, `/api/negotiations/${N}${route}`, tokens[who] ?? null, body)

  async function mailed(): Promise<ReceivedMail[]> {
    await server.mail?.idle()
    return smtp.received.splice(0)
  }

  it('mails each event to the members who chose it and may read it, and to no one else', async () => {
    const fresh = await api<Reader>('GET', '/activity/me', 'labor.member')
    expect(fresh.body).toEqual({ seenAt: 0, mailKinds: [], mailAvailable: true })
    const choose = (who: string, mailKinds: string[]) =>
      api<Reader>('PATCH', '/activity/me', who, { mailKinds })
    expect(
      (await choose('labor.member', ['iteration', 'published', 'iteration'])).body.mailKinds,
    ).toEqual(['iteration', 'published'])
    await choose('mgmt.lead', ['clause-agreed'])
    // A local table is told of publications only, and may choose only those.
    expect((await choose('observer', ['iteration', 'published'])).body.mailKinds).toEqual([
      'published',
    ])
    expect((await choose('mgmt.member', ['nonsense'])).status).toBe(400)
    // Someone may not choose for a negotiation they are not in.
    const outsider = await callApi(
      server.url,
      'PATCH',
      '/api/negotiations/nowhere/activity/me',
      tokens['labor.member'] ?? null,
      { mailKinds: ['iteration'] },
    )
    expect(outsider.status).toBe(404)

    expect((await api('POST', '/iterations', 'mediator', { note: 'first' })).status).toBe(201)
    const afterCirculation = await mailed()
    expect(afterCirculation.map((mail) => mail.to)).toEqual([['labor.member@demo.test']])
    const message = afterCirculation[0]?.data ?? ''
    expect(message).toMatch(/^From: Table <table@example\.org>/m)
    expect(message).toMatch(/^Subject: .*Single Text 1 was circulated/m)
    expect(message).toContain(`${PUBLIC_URL}/negotiations/${N}`)

    expect(
      (await api('POST', '/iterations/1/publish', 'mediator', { published: true })).status,
    ).toBe(200)
    const afterPublication = await mailed()
    expect(afterPublication.map((mail) => mail.to[0]).sort()).toEqual([
      'labor.member@demo.test',
      'observer@demo.test',
    ])
    for (const mail of afterPublication) expect(mail.data).toMatch(/published to the local tables/)
    // Publishing what is published already changes nothing and tells no one again.
    expect(
      (await api('POST', '/iterations/1/publish', 'mediator', { published: true })).status,
    ).toBe(200)
    expect(await mailed()).toEqual([])
  })

  it('tries a message the SMTP server turns away again, and delivers it', async () => {
    smtp.refuseOnce('labor.member@demo.test')
    expect((await api('POST', '/iterations', 'mediator', { note: 'second' })).status).toBe(201)
    const delivered = await mailed()
    expect(delivered.map((mail) => mail.to)).toEqual([['labor.member@demo.test']])
    expect(delivered[0]?.data).toMatch(/Single Text 2 was circulated/)
    expect(smtp.refusalsLeft).toBe(0)
  })

  it('keeps where a member last looked with their account, never moving back or past now', async () => {
    const before = Date.now()
    const marked = await api<Reader>('PATCH', '/activity/me', 'mgmt.member', {
      seenAt: before + 10 * 60_000,
    })
    expect(marked.status).toBe(200)
    expect(marked.body.seenAt).toBeGreaterThanOrEqual(before)
    expect(marked.body.seenAt).toBeLessThanOrEqual(Date.now())
    const back = await api<Reader>('PATCH', '/activity/me', 'mgmt.member', { seenAt: 1 })
    expect(back.body.seenAt).toBe(marked.body.seenAt)
    // Another browser: a second session of the same account reads the same place.
    const other = await login(server.url, 'mgmt.member@demo.test')
    const elsewhere = await callApi<Reader>(
      server.url,
      'GET',
      `/api/negotiations/${N}/activity/me`,
      other,
    )
    expect(elsewhere.body.seenAt).toBe(marked.body.seenAt)
    // A "mark read" and a mail choice sent at once both hold.
    const later = Math.min(Date.now(), marked.body.seenAt + 1)
    await Promise.all([
      api('PATCH', '/activity/me', 'mgmt.member', { seenAt: later }),
      api('PATCH', '/activity/me', 'mgmt.member', { mailKinds: ['vote-opened'] }),
    ])
    const both = await api<Reader>('GET', '/activity/me', 'mgmt.member')
    expect(both.body).toMatchObject({ seenAt: later, mailKinds: ['vote-opened'] })
    // Each account has its own place.
    expect((await api<Reader>('GET', '/activity/me', 'mgmt.lead')).body.seenAt).toBe(0)
  })

  it('refuses what a hostile caller sends to /activity/me, changing nothing', async () => {
    const before = (await api<Reader>('GET', '/activity/me', 'labor.lead')).body
    const path = `/api/negotiations/${N}/activity/me`
    // No session.
    expect((await callApi(server.url, 'GET', path, null)).status).toBe(401)
    expect((await callApi(server.url, 'PATCH', path, null, { seenAt: 1 })).status).toBe(401)
    // Malformed bodies.
    for (const body of [
      { mailKinds: Array.from({ length: 17 }, () => 'iteration') },
      { mailKinds: 'iteration' },
      { seenAt: -1 },
      { seenAt: 1.5 },
      { seenAt: '1' },
      { seenAt: 1, userId: 'someone-else' },
    ])
      expect(
        (await api('PATCH', '/activity/me', 'labor.lead', body)).status,
        JSON.stringify(body),
      ).toBe(400)
    expect((await api<Reader>('GET', '/activity/me', 'labor.lead')).body).toEqual(before)
    // A negotiation the caller is not in: as if it did not exist.
    const mediator = tokens.mediator ?? null
    const other = await callApi<{ id: string }>(server.url, 'POST', '/api/negotiations', mediator, {
      title: 'Another round',
      parties: ['Union', 'Employer'],
      format: 'md',
      content: '# Another round\n\n## Pay\n\nRates rise.\n',
    })
    expect(other.status).toBe(201)
    for (const method of ['GET', 'PATCH'])
      expect(
        (
          await callApi(
            server.url,
            method,
            `/api/negotiations/${other.body.id}/activity/me`,
            tokens['labor.lead'] ?? null,
            method === 'PATCH' ? { mailKinds: ['iteration'] } : undefined,
          )
        ).status,
      ).toBe(404)
    // A local table that asks for what it may not read gets none of it.
    expect(
      (await api<Reader>('PATCH', '/activity/me', 'observer', { mailKinds: ['vote-opened'] })).body
        .mailKinds,
    ).toEqual([])
  })
})

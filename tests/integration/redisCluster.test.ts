/**
 * Two server processes (two servers in this test process) on one PostgreSQL database and one
 * Redis of this file's own (a redis-server child on a free loopback port; each test its own
 * database and key prefix): a sign-out or an access change made through one process closes the
 * user's connections on the other with the named close code (a change to a negotiation is
 * forwarded to its owner, which closes them itself); when Redis is killed and started again both
 * carry on serving, a sign-out made while it was away is caught up from the store, and a change
 * made after the restart still closes the connections on the other process; sign-in failures and
 * requests counted on one process count on the other.
 */
import { AccessChanged, Unauthorized } from '@onetext/shared/closeCodes'
import { MAX_LOGIN_FAILURES, MAX_SIGN_IN_REQUESTS_PER_MINUTE } from '@onetext/shared/limits'
import { afterEach, describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { type SharedStoreServer as Server, useSharedStore } from '../helpers/sharedStore'
import { login, signInDemo } from '../helpers/testServer'
import {
  appendParagraph,
  connectClient,
  plainText,
  type TestClient,
  waitForDoc,
  whenClosed,
  whenSynced,
} from '../helpers/yClient'

const N = 'lmp-1997'
const DRAFT = `${N}.draft`
const CAUCUS = `${N}.caucus.labor`

/** Long enough for the connections to notice Redis went away and to reconnect (backoff ≤ 2 s). */
const RECONNECT_WAIT = { timeout: 20_000, interval: 50 }

describe('two server processes sharing Redis', () => {
  // Each test its own database (its changes of membership stay its own) and key prefix.
  const store = useSharedStore({ redis: true, databasePerTest: true })
  afterEach(async () => {
    if (!store.redis.running) await store.redis.start()
  })
  const startPair = () => store.startPair()
  const connect = (server: Server, docName: string, token: string): TestClient =>
    store.track(connectClient(server.url, docName, token))

  /** What `/healthz` says of `server`'s link to Redis. */
  async function hearsRedis(server: Server): Promise<boolean | undefined> {
    const body = (await (await fetch(`${server.url}/healthz`)).json()) as { redis?: boolean }
    return body.redis
  }

  it('closes the connections on one process of a session signed out, or of access removed, on the other', async () => {
    const { owner, other } = await startPair()
    const drafter = await signInDemo(owner.url, 'drafter')
    const secondSession = await login(owner.url, 'drafter@demo.test')
    const signedOut = connect(owner, DRAFT, drafter.token)
    const stays = connect(owner, DRAFT, secondSession)
    await Promise.all([whenSynced(signedOut), whenSynced(stays)])

    // Signing out through the other process ends that session's connection on the owner with
    // 4401; the drafter's second session (another device) keeps its connection.
    const closedOut = whenClosed(signedOut)
    expect((await callApi(other.url, 'POST', '/api/logout', drafter.token)).status).toBe(200)
    expect((await closedOut).code).toBe(Unauthorized.code)
    expect(owner.connections.size).toBe(1)

    // Removing the drafter from the negotiation through the other process closes the second
    // session's connection on the owner with 4409.
    const mediator = await login(other.url, 'mediator@demo.test')
    const closedRemoved = whenClosed(stays)
    const removed = await callApi(
      other.url,
      'DELETE',
      `/api/negotiations/${N}/members/${drafter.user.id}`,
      mediator,
    )
    expect(removed.status).toBe(200)
    expect((await closedRemoved).code).toBe(AccessChanged.code)
    expect(owner.connections.size).toBe(0)
  })

  it('carries on while Redis restarts, catches up what it missed, and closes connections on a change made after', async () => {
    const { owner, other } = await startPair()
    const mediator = await login(other.url, 'mediator@demo.test')
    const editor = connect(owner, DRAFT, await login(owner.url, 'mediator@demo.test'))
    const drafter = await signInDemo(owner.url, 'drafter')
    const draft = connect(owner, DRAFT, drafter.token)
    const member = await signInDemo(owner.url, 'labor.member')
    const caucus = connect(owner, CAUCUS, member.token)
    await Promise.all([whenSynced(editor), whenSynced(draft), whenSynced(caucus)])

    await store.redis.kill()
    await expect.poll(() => hearsRedis(other), RECONNECT_WAIT).toBe(false)
    await expect.poll(() => hearsRedis(owner), RECONNECT_WAIT).toBe(false)

    // Both processes carry on: edits are relayed and acknowledged, requests answered, and a wrong
    // password is refused as ever (counted on this process alone).
    appendParagraph(editor.doc, 'Typed while Redis was down.')
    await editor.tracker.whenSaved()
    await waitForDoc(draft.doc, (doc) => plainText(doc).includes('Typed while Redis was down.'))
    expect((await callApi(other.url, 'GET', '/api/me', mediator)).status).toBe(200)
    const wrong = await callApi(other.url, 'POST', '/api/login', null, {
      email: 'observer@demo.test',
      password: 'not the password',
    })
    expect(wrong.status).toBe(401)

    // A sign-out through the other process while Redis is away cannot be told to the owner at
    // once: the caucus connection stays open until the owner reaches Redis again and re-checks
    // what it holds against the store. (A change to the negotiation itself would not wait: the
    // other process forwards it to the owner, which closes the connections it affects at once.)
    const closedCaucus = whenClosed(caucus)
    expect((await callApi(other.url, 'POST', '/api/logout', member.token)).status).toBe(200)
    expect(owner.connections.size).toBe(3)

    await store.redis.start()
    expect((await closedCaucus).code).toBe(Unauthorized.code)
    await expect.poll(() => hearsRedis(other), RECONNECT_WAIT).toBe(true)
    await expect.poll(() => hearsRedis(owner), RECONNECT_WAIT).toBe(true)
    await owner.accessChanges.idle()
    expect(owner.connections.size).toBe(2)

    // After the restart, a role change through the other process closes the drafter's connection
    // on the owner at once.
    const closedDraft = whenClosed(draft)
    const changed = await callApi(
      other.url,
      'PATCH',
      `/api/negotiations/${N}/members/${drafter.user.id}`,
      mediator,
      { role: 'party-member', partyId: 'labor' },
    )
    expect(changed.status).toBe(200)
    expect((await closedDraft).code).toBe(AccessChanged.code)
    expect(owner.connections.size).toBe(1)

    // The editor's connection was never affected and still saves.
    appendParagraph(editor.doc, 'Typed after Redis came back.')
    await editor.tracker.whenSaved()
  })

  it('starts and serves while Redis is away, and joins it once it is there', async () => {
    await store.redis.kill()
    const server = await store.start()
    expect(await hearsRedis(server)).toBe(false)

    // Its own connections still close at once: a sign-out ends the session's websocket with 4401.
    const token = await login(server.url, 'labor.member@demo.test')
    const caucus = connect(server, CAUCUS, token)
    await whenSynced(caucus)
    const closed = whenClosed(caucus)
    expect((await callApi(server.url, 'POST', '/api/logout', token)).status).toBe(200)
    expect((await closed).code).toBe(Unauthorized.code)
    const wrong = await callApi(server.url, 'POST', '/api/login', null, {
      email: 'observer@demo.test',
      password: 'not the password',
    })
    expect(wrong.status).toBe(401)

    await store.redis.start()
    await expect.poll(() => hearsRedis(server), RECONNECT_WAIT).toBe(true)
  })

  it('counts sign-in failures on one process toward the lockout on the other', async () => {
    const { owner: a, other: b } = await startPair()
    const attempt = (server: Server) =>
      callApi<{ error: string }>(server.url, 'POST', '/api/login', null, {
        email: 'labor.lead@demo.test',
        password: 'wrong password',
      })
    const onA = Math.floor(MAX_LOGIN_FAILURES / 2)
    const failures = [
      ...(await Promise.all(Array.from({ length: onA }, () => attempt(a)))),
      ...(await Promise.all(Array.from({ length: MAX_LOGIN_FAILURES - onA }, () => attempt(b)))),
    ]
    expect(failures.map((answer) => answer.status)).toEqual(Array(MAX_LOGIN_FAILURES).fill(401))

    // Neither process alone saw MAX_LOGIN_FAILURES failures; both refuse the next attempt.
    for (const server of [b, a]) {
      const refused = await attempt(server)
      expect(refused.status).toBe(429)
      expect(refused.body.error).toBe('too-many-attempts')
    }
  })

  it('counts sign-in requests per address on one process toward the limit on the other', async () => {
    const { owner: a, other: b } = await startPair()
    // A body without a password is refused (400) before any password is checked, and counted.
    const request = (server: Server) =>
      callApi<{ error: string }>(server.url, 'POST', '/api/login', null, { email: 'x@y.z' })
    const half = MAX_SIGN_IN_REQUESTS_PER_MINUTE / 2
    const answers = [
      ...(await Promise.all(Array.from({ length: half }, () => request(a)))),
      ...(await Promise.all(
        Array.from({ length: MAX_SIGN_IN_REQUESTS_PER_MINUTE - half }, () => request(b)),
      )),
    ]
    expect(answers.every((answer) => answer.status === 400)).toBe(true)
    const limited = await request(a)
    expect(limited.status).toBe(429)
    expect(limited.body.error).toBe('too-many-requests')
  })
})

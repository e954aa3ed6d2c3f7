/**
 * The access matrix of docs/DOMAIN.md "Roles", checked for every role of every party against every
 * document kind, over real websocket connections (open, read, write) and over HTTP (the document
 * list). The expected table is written out here independently of the server's implementation.
 */

import type { NegotiationDetail } from '@onetext/shared/apiTypes'
import { AccessChanged, Forbidden } from '@onetext/shared/closeCodes'
import { ErrorCode } from '@onetext/shared/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createThreePartyNegotiation,
  FIXTURE_NEGOTIATION,
  type FixtureUser,
  fixtureDocuments,
} from '../helpers/negotiationFixture'
import { loadStoredDoc, startTestServer } from '../helpers/testServer'
import {
  connectClient,
  markerText,
  type TestClient,
  waitForDoc,
  whenClosed,
  whenSynced,
  writeMarker,
} from '../helpers/yClient'

type Expected = 'none' | 'read' | 'write'

/**
 * What `user` may do with document `name`, straight from the matrix; `openDrafting`: the
 * negotiation's setting (off by default).
 */
function expectedAccess(user: FixtureUser, name: string, openDrafting = false): Expected {
  const [, kind, partyId] = name.split('.')
  const own = user.partyId !== null && partyId === user.partyId
  // The status document is written by the server alone; everyone at the table reads it.
  if (kind === 'status') return user.role === 'observer' ? 'none' : 'read'
  switch (user.role) {
    case 'mediator':
      return kind === 'draft' || kind === 'table' ? 'write' : kind === 'layer' ? 'read' : 'none'
    case 'observer':
      return 'none'
    case 'drafting-team':
      if (kind === 'draft' || kind === 'table') return 'write'
      return own ? 'write' : 'none'
    default:
      // party lead and party member: circulated iterations only, unless the draft is open
      if (kind === 'draft') return openDrafting ? 'read' : 'none'
      if (kind === 'table') return 'write'
      return own ? 'write' : 'none'
  }
}

describe('access matrix', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let users: Map<string, FixtureUser>
  const clients: TestClient[] = []

  beforeAll(async () => {
    server = await startTestServer()
    users = await createThreePartyNegotiation(server)
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  function connect(name: string, user: FixtureUser): TestClient {
    const client = connectClient(server.url, name, user.token)
    clients.push(client)
    return client
  }

  /** A writer of `name` other than `except`, to check what reached the server, if it has one. */
  function someWriter(name: string, except: FixtureUser): FixtureUser | undefined {
    return [...users.values()].find(
      (user) => user !== except && expectedAccess(user, name) === 'write',
    )
  }

  it('lists exactly the documents each role may open, with the right access, over HTTP', async () => {
    for (const user of users.values()) {
      const response = await fetch(`${server.url}/api/negotiations/${FIXTURE_NEGOTIATION}`, {
        headers: { authorization: `Bearer ${user.token}` },
      })
      expect(response.status, user.key).toBe(200)
      const detail = (await response.json()) as NegotiationDetail
      const listed = Object.fromEntries(
        detail.documents.map((document) => [document.name, document.access]),
      )
      const expected = Object.fromEntries(
        fixtureDocuments()
          .map((name) => [name, expectedAccess(user, name)] as const)
          .filter(([, access]) => access !== 'none'),
      )
      expect(listed, user.key).toEqual(expected)
    }
  })

  it('enforces open, read and write for every role and document over websockets', async () => {
    let cases = 0
    for (const user of users.values()) {
      for (const name of fixtureDocuments()) {
        const expected = expectedAccess(user, name)
        const client = connect(name, user)
        const marker = `written by ${user.key} into ${name}`
        if (expected === 'none') {
          const closed = await whenClosed(client)
          expect(closed.code, `${user.key} -> ${name}`).toBe(Forbidden.code)
        } else if (expected === 'read') {
          await whenSynced(client)
          const refused = new Promise<void>((resolve) => {
            client.tracker.subscribe(() => {
              if (client.tracker.snapshot().lastError?.code === ErrorCode.readOnly) resolve()
            })
          })
          writeMarker(client.doc, name, user, marker)
          await refused
          const writerUser = someWriter(name, user)
          if (!writerUser) {
            // Nobody but the server writes this document: the store must not have the edit.
            expect(
              markerText(await loadStoredDoc(server, name)),
              `${user.key} -> ${name}`,
            ).not.toContain(marker)
          } else {
            // A writer's later edit arrives at a fresh reader; the read-only edit never does.
            const writer = connect(name, writerUser)
            await whenSynced(writer)
            const confirmation = `confirmation ${cases}`
            writeMarker(writer.doc, name, writerUser, confirmation)
            await writer.tracker.whenSaved()
            const fresh = connect(name, writerUser)
            await whenSynced(fresh)
            await waitForDoc(fresh.doc, (doc) => markerText(doc).includes(confirmation))
            expect(markerText(fresh.doc), `${user.key} -> ${name}`).not.toContain(marker)
          }
        } else {
          await whenSynced(client)
          writeMarker(client.doc, name, user, marker)
          await client.tracker.whenSaved()
          const fresh = connect(name, user)
          await whenSynced(fresh)
          expect(markerText(fresh.doc), `${user.key} -> ${name}`).toContain(marker)
        }
        cases++
        // Each case stands alone: close its clients (a refused one would keep reconnecting).
        for (const done of clients.splice(0)) done.destroy()
      }
    }
    expect(cases).toBe(users.size * fixtureDocuments().length)
  })

  it('opens the working draft read-only to the table with open drafting, and closes it again', async () => {
    const draft = `${FIXTURE_NEGOTIATION}.draft`
    const mediator = [...users.values()].find((user) => user.role === 'mediator') as FixtureUser
    const table = [...users.values()].filter(
      (user) => user.role === 'party-lead' || user.role === 'party-member',
    )
    expect(table.length).toBeGreaterThan(1)
    const settings = (token: string, openDrafting: boolean) =>
      fetch(`${server.url}/api/negotiations/${FIXTURE_NEGOTIATION}/settings`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ openDrafting }),
      })
    // Only the mediator changes it.
    expect((await settings(table[0]?.token as string, true)).status).toBe(403)
    expect((await settings(mediator.token, true)).status).toBe(200)
    const writer = connect(draft, mediator)
    await whenSynced(writer)
    const readers = table.map((user) => ({ user, client: connect(draft, user) }))
    for (const { user, client } of readers) {
      expect(expectedAccess(user, draft, true)).toBe('read')
      await whenSynced(client)
      const refused = new Promise<void>((resolve) => {
        client.tracker.subscribe(() => {
          if (client.tracker.snapshot().lastError?.code === ErrorCode.readOnly) resolve()
        })
      })
      writeMarker(client.doc, draft, user, `written by ${user.key} with open drafting`)
      await refused
    }
    // They read the mediator's drafting live.
    writeMarker(writer.doc, draft, mediator, 'maybe 90 days?')
    for (const { client } of readers)
      await waitForDoc(client.doc, (doc) => markerText(doc).includes('maybe 90 days?'))
    // Turned off: every reader's connection closes with 4409 and cannot open the draft again.
    const closed = readers.map(({ client }) => whenClosed(client))
    expect((await settings(mediator.token, false)).status).toBe(200)
    for (const close of await Promise.all(closed)) expect(close.code).toBe(AccessChanged.code)
    const again = connect(draft, table[0] as FixtureUser)
    expect((await whenClosed(again)).code).toBe(Forbidden.code)
    expect(markerText(await loadStoredDoc(server, draft))).not.toContain('with open drafting')
    for (const done of clients.splice(0)) done.destroy()
  })
})

/**
 * The access matrix of docs/DOMAIN.md "Roles", checked for every role of every party against every
 * document kind, over real websocket connections (open, read, write) and over HTTP (the document
 * list). The expected table is written out here independently of the server's implementation.
 */

import type { NegotiationDetail } from '@onetext/shared/apiTypes'
import { Forbidden } from '@onetext/shared/closeCodes'
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

/** What `user` may do with document `name`, straight from the matrix. */
function expectedAccess(user: FixtureUser, name: string): Expected {
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
      // party lead and party member
      if (kind === 'draft') return 'read'
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
})

/**
 * Who made each suggested change comes from the server's records, never from the client: two
 * members of one party edit their copy of Single Text 1 over real websockets (one deletes words of
 * the text, the other inserts words and bolds one), and the changes computed from the copy
 * (diffDocument) carry each one's server user id and name (attributeChanges). And a word typed in
 * one party's copy reaches neither the other party nor an observer, over websockets or HTTP.
 */
import { randomBytes } from 'node:crypto'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { attributeChanges } from '@onetext/shared/suggestions/attribution'
import { ATTRIBUTION_ROOT, readJournal, readSeed } from '@onetext/shared/suggestions/copyDoc'
import { diffDocument } from '@onetext/shared/suggestions/diff'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { bodyText, clauseElement } from '../helpers/lockedDraft'
import { type PartyRound, type RoundAccount, startPartyRound } from '../helpers/partyRound'
import { loadStoredDoc, startTestServer } from '../helpers/testServer'
import {
  connectClient,
  type TestClient,
  waitForDoc,
  whenClosed,
  whenSynced,
} from '../helpers/yClient'

describe('attribution of suggested changes', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let round: PartyRound
  let union: string
  let copy: string
  const clients: TestClient[] = []

  beforeAll(async () => {
    server = await startTestServer()
    round = await startPartyRound(server, 'Attribution round', ['Union', 'Management'])
    union = round.parties[0]?.id as string
    copy = `${round.id}.suggest.${union}.1`
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  function connect(name: string, token: string, record?: Uint8Array[]): TestClient {
    const client = connectClient(server.url, name, token, record)
    clients.push(client)
    return client
  }

  const clauseId = (index: number) => round.clauses[index]?.id as string

  /** The changes of every clause of `copyDoc` against Single Text 1, each with its author. */
  async function attributed(copyDoc: Y.Doc) {
    const record = await server.services.docs.iteration(round.id, 1)
    if (!record) throw new Error('no Single Text 1')
    const schema = getDocumentSchema()
    const base = schema.nodeFromJSON(record.doc)
    const current = yXmlFragmentToProseMirrorRootNode(
      copyDoc.getXmlFragment(RICH_TEXT_FIELD),
      schema,
    )
    const found: Array<{ kind: string; text: string; userId?: string; name?: string }> = []
    for (const diff of diffDocument(base, current).values()) {
      const authors = attributeChanges(copyDoc, diff, record.doc)
      expect(authors).toHaveLength(diff.changes.length)
      diff.changes.forEach((change, index) => {
        const author = authors[index]
        found.push({
          kind: change.kind,
          text: change.text.trim(),
          ...(author ? { userId: author.userId, name: author.name } : {}),
        })
        if (author) expect(author.at).toBeGreaterThan(0)
      })
    }
    return found
  }

  it("attributes one member's deletions and another's insertions and formatting to each", async () => {
    const lead = round.leads.get(union) as RoundAccount
    const member = round.members.get(union) as RoundAccount
    const deleter = connect(copy, lead.token)
    const inserter = connect(copy, member.token)
    await Promise.all([whenSynced(deleter), whenSynced(inserter)])
    await waitForDoc(deleter.doc, (doc) => readSeed(doc) !== null)
    // "Base rates rise by three percent ..." loses "three percent " at the lead's hand.
    const wages = bodyText(clauseElement(deleter.doc, clauseId(0)))
    const at = wages.toString().indexOf('three percent ')
    expect(at).toBeGreaterThan(0)
    wages.delete(at, 'three percent '.length)
    await deleter.tracker.whenSaved()
    // The member adds words to another clause, and bolds a word of the text.
    await waitForDoc(
      inserter.doc,
      (doc) =>
        !bodyText(clauseElement(doc, clauseId(0)))
          .toString()
          .includes('three'),
    )
    const scheduling = bodyText(clauseElement(inserter.doc, clauseId(1)))
    scheduling.insert(0, 'Final ')
    const rosters = scheduling.toString().indexOf('Rosters')
    scheduling.format(rosters, 'Rosters'.length, { bold: {} })
    await inserter.tracker.whenSaved()

    const stored = await loadStoredDoc(server, copy)
    expect(readJournal(stored).some((entry) => entry.k === 'd' && entry.u === lead.id)).toBe(true)
    // The member wrote, so owns a client; the lead only deleted, which the journal records.
    expect(Object.values(stored.getMap(ATTRIBUTION_ROOT).toJSON())).toEqual([
      { userId: member.id, name: member.name },
    ])
    const changes = await attributed(stored)
    expect(changes).toEqual(
      expect.arrayContaining([
        { kind: 'delete', text: 'three percent', userId: lead.id, name: lead.name },
        { kind: 'insert', text: 'Final', userId: member.id, name: member.name },
        { kind: 'format', text: 'Rosters', userId: member.id, name: member.name },
      ]),
    )
    // Every reader computes the same from its own copy (the browser does this).
    await waitForDoc(deleter.doc, (doc) => readJournal(doc).length >= readJournal(stored).length)
    await waitForDoc(deleter.doc, (doc) =>
      bodyText(clauseElement(doc, clauseId(1)))
        .toString()
        .startsWith('Final'),
    )
    expect(await attributed(deleter.doc)).toEqual(changes)
  })

  it("keeps a word typed in one party's copy from the other party and observers", async () => {
    const canary = `CANARY${randomBytes(6).toString('hex')}`
    const management = round.parties[1]?.id as string
    const outsiders = [
      round.leads.get(management) as RoundAccount,
      round.members.get(management) as RoundAccount,
      round.observer,
    ]
    const names = [
      copy,
      `${round.id}.suggest.${management}.1`,
      `${round.id}.layer.${union}`,
      `${round.id}.layer.${management}`,
      `${round.id}.table`,
      `${round.id}.status`,
      `${round.id}.draft`,
    ]
    const received: Uint8Array[] = []
    for (const outsider of outsiders) {
      for (const name of names) {
        const client = connect(name, outsider.token, received)
        await Promise.race([whenSynced(client), whenClosed(client)])
      }
    }
    const writer = connect(copy, (round.members.get(union) as RoundAccount).token)
    await whenSynced(writer)
    bodyText(clauseElement(writer.doc, clauseId(2))).insert(0, `${canary} `)
    await writer.tracker.whenSaved()
    // The mediator reads the copy, so the word has reached readers by now.
    const mediator = connect(copy, round.mediatorToken)
    await whenSynced(mediator)
    await waitForDoc(mediator.doc, (doc) =>
      bodyText(clauseElement(doc, clauseId(2)))
        .toString()
        .includes(canary),
    )
    // A late joiner of everything an outsider may open.
    for (const outsider of outsiders) {
      for (const name of names) {
        const client = connect(name, outsider.token, received)
        await Promise.race([whenSynced(client), whenClosed(client)])
      }
    }
    let http = ''
    for (const outsider of outsiders) {
      for (const path of ['', '/iterations', '/iterations/1', '/clauses', '/activity']) {
        http += JSON.stringify((await round.api('GET', path, undefined, outsider.token)).body)
      }
    }
    const frames = received.map((frame) => Buffer.from(frame).toString('latin1')).join('\n')
    expect(frames).not.toContain(canary)
    expect(http).not.toContain(canary)
  })
})

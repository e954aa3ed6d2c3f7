/**
 * What the gate refuses in a party's suggestion copy, from real websocket clients of the party's
 * members: the server's own roots (`attribution`, `journal`, `seed`: serverOnly), a changed or
 * reused clause id (schema), writing under another member's client ID (foreignClient), a change to
 * a tentatively agreed clause (locked), and any change once a newer iteration is circulated
 * (outdatedCopy). Each refused change is stored nowhere.
 */
import { CLAUSE_ID_ATTRIBUTE } from '@onetext/shared/clauses'
import { RefusalReason, type RefusalReasonValue } from '@onetext/shared/protocol'
import {
  ATTRIBUTION_ROOT,
  JOURNAL_ROOT,
  RATIONALES_ROOT,
  SEED_ROOT,
} from '@onetext/shared/suggestions/copyDoc'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { changeFrom } from '../helpers/gateHarness'
import { bodyText, clauseElement } from '../helpers/lockedDraft'
import { type PartyRound, type RoundAccount, startPartyRound } from '../helpers/partyRound'
import {
  isRefused,
  openRawSocket,
  type RawSocket,
  readRefusal,
  updateFrame,
} from '../helpers/rawSocket'
import { loadStoredDoc, startTestServer } from '../helpers/testServer'
import { connectClient, plainText, type TestClient, whenSynced } from '../helpers/yClient'

describe('suggestion copy refusals', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let round: PartyRound
  let lead: RoundAccount
  let member: RoundAccount
  let copy: string
  const clients: TestClient[] = []
  const sockets: RawSocket[] = []

  beforeAll(async () => {
    server = await startTestServer()
    round = await startPartyRound(server, 'Hostile copy round', ['Union', 'Management'])
    const union = round.parties[0]?.id as string
    lead = round.leads.get(union) as RoundAccount
    member = round.members.get(union) as RoundAccount
    copy = `${round.id}.suggest.${union}.1`
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    for (const socket of sockets) socket.ws.close()
    await server.close()
  })

  async function open(account: RoundAccount, name = copy): Promise<TestClient> {
    const client = connectClient(server.url, name, account.token)
    clients.push(client)
    await whenSynced(client)
    return client
  }

  /** Makes `change` in `client`'s copy; resolves with the reason the server refused it. */
  function refusalOf(
    client: TestClient,
    change: (doc: Y.Doc) => void,
  ): Promise<RefusalReasonValue> {
    return new Promise((resolve) => {
      const stop = client.tracker.onRefused((refusal) => {
        stop()
        resolve(refusal.reason as RefusalReasonValue)
      })
      change(client.doc)
    })
  }

  const clauseId = (index: number) => round.clauses[index]?.id as string

  it('lets members edit the copy and its rationales', async () => {
    const client = await open(member)
    client.doc.transact(() => {
      bodyText(clauseElement(client.doc, clauseId(0))).insert(0, 'Honestly, ')
      client.doc.getMap(RATIONALES_ROOT).set(clauseId(0), new Y.Text('Pay keeps pace'))
    })
    await client.tracker.whenSaved()
    const stored = await loadStoredDoc(server, copy)
    expect(plainText(stored)).toContain('Honestly, Base rates')
    expect(String(stored.getMap(RATIONALES_ROOT).get(clauseId(0)))).toBe('Pay keeps pace')
  })

  it("refuses writes to the server's roots as serverOnly", async () => {
    for (const write of [
      (doc: Y.Doc) => doc.getMap(ATTRIBUTION_ROOT).set('1', { userId: lead.id, name: lead.name }),
      (doc: Y.Doc) => doc.getArray(JOURNAL_ROOT).push([{ k: 'd', c: 1, s: 0, l: 1, u: 'x', t: 0 }]),
      (doc: Y.Doc) => doc.getMap(SEED_ROOT).set('client', 1),
    ]) {
      const client = await open(member)
      expect(await refusalOf(client, write)).toBe(RefusalReason.serverOnly)
      client.destroy()
    }
  })

  it('refuses a rationale that is not text, or not under a clause id', async () => {
    for (const write of [
      (doc: Y.Doc) => doc.getMap(RATIONALES_ROOT).set(clauseId(1), 'plain string'),
      (doc: Y.Doc) => doc.getMap(RATIONALES_ROOT).set('not a clause id!', new Y.Text('x')),
    ]) {
      const client = await open(member)
      expect(await refusalOf(client, write)).toBe(RefusalReason.notYours)
      client.destroy()
    }
  })

  it('refuses changing a clause id, and a new clause with the id of another', async () => {
    const relabel = await open(member)
    expect(
      await refusalOf(relabel, (doc) =>
        clauseElement(doc, clauseId(0)).setAttribute(CLAUSE_ID_ATTRIBUTE, 'steered'),
      ),
    ).toBe(RefusalReason.schema)
    relabel.destroy()
    const duplicate = await open(member)
    expect(
      await refusalOf(duplicate, (doc) => {
        const clause = new Y.XmlElement('clause')
        clause.setAttribute(CLAUSE_ID_ATTRIBUTE, clauseId(1))
        const heading = new Y.XmlElement('clauseHeading')
        heading.insert(0, [new Y.XmlText('Scheduling again')])
        clause.insert(0, [heading])
        const parent = clauseElement(doc, clauseId(0))
        parent.insert(parent.length, [clause])
      }),
    ).toBe(RefusalReason.schema)
    duplicate.destroy()
    const stored = await loadStoredDoc(server, copy)
    expect(plainText(stored)).not.toContain('Scheduling again')
    expect(clauseElement(stored, clauseId(0)).getAttribute(CLAUSE_ID_ATTRIBUTE)).toBe(clauseId(0))
  })

  it('takes a clause moved, or brought back after its deletion, with its own id', async () => {
    const client = await open(member)
    const clause = (id: string, heading: string) => {
      const element = new Y.XmlElement('clause')
      element.setAttribute(CLAUSE_ID_ATTRIBUTE, id)
      const title = new Y.XmlElement('clauseHeading')
      title.insert(0, [new Y.XmlText(heading)])
      element.insert(0, [title])
      return element
    }
    const parent = clauseElement(client.doc, clauseId(0))
    parent.insert(parent.length, [clause('to-move', 'Leave'), clause('to-drop', 'Training')])
    await client.tracker.whenSaved()
    const indexOf = (id: string) =>
      parent
        .toArray()
        .findIndex(
          (node) => node instanceof Y.XmlElement && node.getAttribute(CLAUSE_ID_ATTRIBUTE) === id,
        )
    // Moved: deleted and recreated with its id in one update, as the editor's move does.
    client.doc.transact(() => {
      parent.delete(indexOf('to-move'), 1)
      parent.insert(indexOf('to-drop') + 1, [clause('to-move', 'Leave, moved')])
    })
    await client.tracker.whenSaved()
    // Deleted, then brought back (an undo) in a later update.
    parent.delete(indexOf('to-drop'), 1)
    await client.tracker.whenSaved()
    parent.insert(parent.length, [clause('to-drop', 'Training, back')])
    await client.tracker.whenSaved()
    expect(client.tracker.snapshot().lastError).toBeFalsy()
    const stored = await loadStoredDoc(server, copy)
    expect(plainText(stored)).toContain('Leave, moved')
    expect(plainText(stored)).toContain('Training, back')
    client.destroy()
  })

  it('takes a new sub-clause with a fresh id, and an id given to a clause that had none', async () => {
    const client = await open(member)
    const subClause = (id: string | null, heading: string) => {
      const clause = new Y.XmlElement('clause')
      if (id !== null) clause.setAttribute(CLAUSE_ID_ATTRIBUTE, id)
      const title = new Y.XmlElement('clauseHeading')
      title.insert(0, [new Y.XmlText(heading)])
      clause.insert(0, [title])
      return clause
    }
    const parent = clauseElement(client.doc, clauseId(0))
    parent.insert(parent.length, [subClause('fresh-sub', 'Overtime'), subClause(null, 'Unnamed')])
    await client.tracker.whenSaved()
    const unnamed = parent.get(parent.length - 1) as Y.XmlElement
    unnamed.setAttribute(CLAUSE_ID_ATTRIBUTE, 'named-later')
    await client.tracker.whenSaved()
    expect(client.tracker.snapshot().lastError).toBeFalsy()
    const stored = await loadStoredDoc(server, copy)
    expect(plainText(stored)).toContain('Overtime')
    expect(clauseElement(stored, 'named-later')).toBeTruthy()
    // Once named, it keeps its name.
    expect(
      await refusalOf(client, () => unnamed.setAttribute(CLAUSE_ID_ATTRIBUTE, 'renamed')),
    ).toBe(RefusalReason.schema)
    client.destroy()
  })

  it("refuses writing under another member's client ID as foreignClient", async () => {
    const owner = await open(lead)
    bodyText(clauseElement(owner.doc, clauseId(1))).insert(0, 'Lead: ')
    await owner.tracker.whenSaved()
    // A forger syncs the copy and writes under the lead's client ID (set after the sync).
    const forged = changeFrom(
      await loadStoredDoc(server, copy),
      (doc) => bodyText(clauseElement(doc, clauseId(1))).insert(0, 'forged '),
      owner.doc.clientID,
    )
    const socket = openRawSocket(server.url, copy, member.token)
    sockets.push(socket)
    await socket.opened
    await socket.askForDocument()
    const refused = socket.nextFrame(isRefused())
    socket.ws.send(updateFrame(forged))
    expect(readRefusal(await refused)?.reason).toBe(RefusalReason.foreignClient)
    expect(plainText(await loadStoredDoc(server, copy))).not.toContain('forged')
  })

  it('refuses a change to a tentatively agreed clause as locked', async () => {
    const locked = clauseId(2)
    for (const party of round.parties) {
      const signed = await round.api(
        'POST',
        `/clauses/${locked}/signoff`,
        { initials: 'OK' },
        round.leads.get(party.id)?.token,
      )
      expect(signed.status).toBe(200)
    }
    const client = await open(member)
    expect(
      await refusalOf(client, (doc) => bodyText(clauseElement(doc, locked)).insert(0, 'Not ')),
    ).toBe(RefusalReason.locked)
    client.destroy()
    const other = await open(member)
    bodyText(clauseElement(other.doc, clauseId(1))).insert(0, 'Still open. ')
    await other.tracker.whenSaved()
    other.destroy()
  })

  it('refuses every change to the copy of Single Text 1 once Single Text 2 is circulated', async () => {
    const client = await open(member)
    const circulated = await round.api('POST', '/iterations', { note: 'Second text' })
    expect(circulated.status).toBe(201)
    expect(
      await refusalOf(client, (doc) =>
        bodyText(clauseElement(doc, clauseId(1))).insert(0, 'Late '),
      ),
    ).toBe(RefusalReason.outdatedCopy)
    expect(plainText(await loadStoredDoc(server, copy))).not.toContain('Late ')
    // The copy of Single Text 2 takes it.
    const next = await open(member, `${round.id}.suggest.${round.parties[0]?.id}.2`)
    bodyText(clauseElement(next.doc, clauseId(1))).insert(0, 'Current ')
    await next.tracker.whenSaved()
  })
})

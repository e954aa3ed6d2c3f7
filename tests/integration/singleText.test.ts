/**
 * The single-text cycle through the real server: iterations, suggestions shared from the parties'
 * private copies, acceptance with provenance, sign-off, server-enforced locks, reopening by consent, agreement
 * reached, and votes.
 */

import { messagePersisted, messageRefused } from '@onetext/shared/protocol'
import { readStatus } from '@onetext/shared/statusDoc'
import { RATIONALES_ROOT, readSeed } from '@onetext/shared/suggestions/copyDoc'
import { CAUCUS_VOTE_ROOTS, readPartyBallots } from '@onetext/shared/votes'
import * as decoding from 'lib0/decoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { findClauseElement } from '../../server/src/negotiation/draftOps'
import { callApi } from '../helpers/api'
import { openRawSocket, sendInOneWrite, syncPayload, updateFrame } from '../helpers/rawSocket'
import { loadStoredDoc, login, startTestServer } from '../helpers/testServer'
import {
  appendToClause,
  connectClient,
  nextRefusal,
  plainText,
  type TestClient,
  waitForDoc,
  whenSynced,
} from '../helpers/yClient'

const N = 'lmp-1997'
const JOINT = 'Joint decisions bind both parties after consultation.'

/** The text of the first paragraph of clause `clauseId`'s body. */
function firstParagraph(doc: Y.Doc, clauseId: string): Y.XmlText {
  const paragraph = findClauseElement(doc, clauseId)
    ?.toArray()
    .find((child) => child instanceof Y.XmlElement && child.nodeName === 'paragraph')
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null
  if (!(text instanceof Y.XmlText)) throw new Error(`clause ${clauseId} has no paragraph`)
  return text
}

interface IterationBody {
  number: number
  note: string
  clauses: Array<{ id: string; number: string; heading: string; text: string }>
  html: string
  markdown: string
}

interface ClauseBody {
  id: string
  number: string
  heading: string
  status: string
  signoffs: Array<{ partyId: string; initials: string }>
}

describe('the single-text cycle', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const clients: TestClient[] = []
  const tokens: Record<string, string> = {}
  let clause3: { id: string; text: string }
  /** The labor party's suggestion on clause 3, shared and accepted. */
  let suggestionId = ''

  beforeAll(async () => {
    server = await startTestServer()
    for (const key of [
      'mediator',
      'labor.lead',
      'labor.member',
      'mgmt.lead',
      'mgmt.member',
      'observer',
      'drafter',
    ]) {
      tokens[key] = await login(server.url, `${key}@demo.test`)
    }
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  const api = <T>(method: string, path: string, who: string, body?: unknown) =>
    callApi<T>(server.url, method, `/api/negotiations/${N}${path}`, tokens[who] ?? null, body)

  async function open(name: string, who: string): Promise<TestClient> {
    const client = connectClient(server.url, name, tokens[who] ?? null)
    clients.push(client)
    await whenSynced(client)
    return client
  }

  it('circulates numbered, immutable iterations that everyone at the table is told about live', async () => {
    const status = await open(`${N}.status`, 'mgmt.member')
    expect((await api('POST', '/iterations', 'labor.lead', { note: 'x' })).status).toBe(403)
    const created = await api<{ number: number; createdAt: number }>(
      'POST',
      '/iterations',
      'mediator',
      {
        note: 'First single text',
        publishedNote: 'The parties’ first common text.',
      },
    )
    expect(created.status).toBe(201)
    expect(created.body.number).toBe(1)
    await waitForDoc(status.doc, (doc) => readStatus(doc).iterations.length === 1)
    expect(readStatus(status.doc).iterations[0]).toMatchObject({
      number: 1,
      note: 'First single text',
      published: false,
    })

    const iteration = await api<IterationBody>('GET', '/iterations/1', 'labor.member')
    expect(iteration.status).toBe(200)
    expect(iteration.body.clauses.map((clause) => clause.number)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ])
    expect(iteration.body.clauses[2]?.heading).toBe('Decision-Making')
    expect(iteration.body.markdown).toContain('## 3. Decision-Making')
    expect(iteration.body.html).toContain('<span class="clause-number">3.</span> Decision-Making')
    const ids = iteration.body.clauses.map((clause) => clause.id)
    expect(new Set(ids).size).toBe(9)
    clause3 = { id: ids[2] ?? '', text: iteration.body.clauses[2]?.text ?? '' }

    const clauses = await api<ClauseBody[]>('GET', '/clauses', 'mgmt.member')
    expect(clauses.body.map((clause) => clause.status)).toEqual(Array(9).fill('open'))
    expect((await api('GET', '/clauses', 'observer')).status).toBe(403)
  })

  it('shows observers only the iterations the mediator publishes', async () => {
    expect((await api<unknown[]>('GET', '/iterations', 'observer')).body).toEqual([])
    expect((await api('GET', '/iterations/1', 'observer')).status).toBe(404)
    expect(
      (await api('POST', '/iterations/1/publish', 'labor.lead', { published: true })).status,
    ).toBe(403)
    expect(
      (await api('POST', '/iterations/1/publish', 'mediator', { published: true })).status,
    ).toBe(200)
    const list = await api<Array<{ number: number; published: boolean }>>(
      'GET',
      '/iterations',
      'observer',
    )
    expect(list.body).toEqual([expect.objectContaining({ number: 1, published: true })])
    const published = await callApi<{ note: string }>(
      server.url,
      'GET',
      `/api/negotiations/${N}/iterations/1`,
      tokens.observer ?? null,
    )
    expect(published.status).toBe(200)
    // Local tables read the note for the published record; the note to the table stays there.
    expect(published.body.note).toBe('The parties’ first common text.')
    expect(JSON.stringify([list.body, published.body])).not.toContain('First single text')
    expect((await api<{ note: string }>('GET', '/iterations/1', 'labor.member')).body.note).toBe(
      'First single text',
    )
  })

  it('keeps suggestions private to the party until its lead shares them; then the mediator accepts them', async () => {
    const copy = await open(`${N}.suggest.labor.1`, 'labor.member')
    await waitForDoc(copy.doc, (doc) => readSeed(doc) !== null)
    const fourth = (await api<IterationBody>('GET', '/iterations/1', 'drafter')).body.clauses[3]
    if (!fourth) throw new Error('Single Text 1 has a fourth clause')
    copy.doc.transact(() => {
      firstParagraph(copy.doc, clause3.id).insert(0, `${JOINT} `)
      firstParagraph(copy.doc, fourth.id).insert(0, 'SECRET FALLBACK WORDING ')
      copy.doc
        .getMap<Y.Text>(RATIONALES_ROOT)
        .set(clause3.id, new Y.Text('Members need certainty.'))
    })
    await copy.tracker.whenSaved()

    const mgmtStatus = await open(`${N}.status`, 'mgmt.member')
    const share = (who: string) =>
      api<Array<{ id: string; partyId: string; clauseId: string }>>(
        'POST',
        '/suggestions/share',
        who,
        { iteration: 1, clauseIds: [clause3.id] },
      )
    expect((await share('labor.member')).status).toBe(403)
    expect((await share('mgmt.lead')).status).toBe(409)
    const shared = await share('labor.lead')
    expect(shared.status).toBe(200)
    expect(shared.body.map((entry) => [entry.partyId, entry.clauseId])).toEqual([
      ['labor', clause3.id],
    ])
    suggestionId = shared.body[0]?.id ?? ''
    await waitForDoc(
      mgmtStatus.doc,
      (doc) => readStatus(doc).suggestions[suggestionId] !== undefined,
    )
    const frozen = readStatus(mgmtStatus.doc).suggestions[suggestionId]
    expect(frozen?.changes.map((change) => change.text).join(' ')).toContain(
      'Joint decisions bind both parties',
    )
    expect(frozen?.rationale).toBe('Members need certainty.')
    expect(JSON.stringify(readStatus(mgmtStatus.doc))).not.toContain('SECRET FALLBACK')
    const seenByMgmt = await api<unknown[]>('GET', '/suggestions', 'mgmt.member')
    expect(JSON.stringify(seenByMgmt.body)).toContain('Joint decisions')
    expect(JSON.stringify(seenByMgmt.body)).not.toContain('SECRET FALLBACK')
    const seenByLabor = await api<unknown[]>('GET', '/suggestions', 'labor.member')
    expect(JSON.stringify(seenByLabor.body)).toContain('SECRET FALLBACK')

    const draftReader = await open(`${N}.draft`, 'drafter')
    const accept = (who: string) =>
      api<{ status: string }>('POST', `/suggestions/${suggestionId}/accept`, who, {})
    expect((await accept('labor.lead')).status).toBe(403)
    const accepted = await accept('mediator')
    expect(accepted.status).toBe(200)
    expect(accepted.body.status).toBe('accepted')
    await waitForDoc(draftReader.doc, (doc) => plainText(doc).includes(JOINT))
    const clauses = await api<Array<ClauseBody & { status: string }>>('GET', '/clauses', 'mediator')
    expect(clauses.body.find((candidate) => candidate.id === clause3.id)?.status).toBe(
      'in-discussion',
    )

    expect(
      (await api('POST', '/iterations', 'mediator', { note: 'Accepted labor language on 3' }))
        .status,
    ).toBe(201)
    const second = await api<IterationBody>('GET', '/iterations/2', 'mgmt.member')
    const clause = second.body.clauses.find((candidate) => candidate.id === clause3.id)
    expect(clause?.number).toBe('3')
    expect(clause?.text).toBe(`${JOINT} ${clause3.text}`)
    const status = readStatus(mgmtStatus.doc)
    expect(status.responses.labor).toBe(1)
  })

  it('lets each lead sign only for their own party, locks the agreed clause, and reopens it only by consent', async () => {
    expect(
      (await api('POST', `/clauses/${clause3.id}/signoff`, 'labor.member', { initials: 'PS' }))
        .status,
    ).toBe(403)
    expect(
      (await api('POST', `/clauses/${clause3.id}/signoff`, 'mediator', { initials: 'DR' })).status,
    ).toBe(403)
    expect(
      (await api('POST', `/clauses/${clause3.id}/signoff`, 'labor.lead', { initials: '' })).status,
    ).toBe(400)
    expect(
      (await api('POST', '/clauses/no-such/signoff', 'labor.lead', { initials: 'LO' })).status,
    ).toBe(404)
    const first = await api<{ status: string }>(
      'POST',
      `/clauses/${clause3.id}/signoff`,
      'labor.lead',
      { initials: 'LO' },
    )
    expect(first.body.status).toBe('in-discussion')
    const second = await api<{ status: string }>(
      'POST',
      `/clauses/${clause3.id}/signoff`,
      'mgmt.lead',
      { initials: 'ME' },
    )
    expect(second.body.status).toBe('tentatively-agreed')
    const clauses = await api<ClauseBody[]>('GET', '/clauses', 'labor.member')
    const agreed = clauses.body.find((candidate) => candidate.id === clause3.id)
    expect(agreed?.status).toBe('tentatively-agreed')
    expect(agreed?.signoffs.map((signoff) => [signoff.partyId, signoff.initials]).sort()).toEqual([
      ['labor', 'LO'],
      ['mgmt', 'ME'],
    ])

    // The server refuses a working-draft edit to the agreed clause, even from the mediator.
    const editor = await open(`${N}.draft`, 'mediator')
    const before = plainText(await loadStoredDoc(server, `${N}.draft`))
    const refused = nextRefusal(editor)
    appendToClause(editor.doc, clause3.id, ' SNEAKY CHANGE')
    await refused
    expect(plainText(await loadStoredDoc(server, `${N}.draft`))).toBe(before)
    expect(plainText(server.registry.peek(`${N}.draft`)?.doc ?? new Y.Doc())).not.toContain(
      'SNEAKY',
    )
    expect(editor.tracker.snapshot().state).toBe('refused')

    // The mediator's copy still holds the refused change, so its next edit, even to another
    // clause, builds on it: the server cannot apply it, says so, and keeps nothing of it (it is
    // not acknowledged as saved and then silently lost).
    const fourth =
      (await api<IterationBody>('GET', '/iterations/2', 'drafter')).body.clauses[3]?.id ?? ''
    const builtOn = nextRefusal(editor)
    appendToClause(editor.doc, fourth, ' BUILT ON THE REFUSED CHANGE')
    expect(await builtOn).toMatch(/builds on a change the server does not have/)
    expect(editor.tracker.snapshot().state).toBe('refused')
    const live = server.registry.peek(`${N}.draft`)?.doc
    expect(live?.store.pendingStructs).toBeNull()
    expect(plainText(live ?? new Y.Doc())).not.toContain('BUILT ON')
    expect(plainText(await loadStoredDoc(server, `${N}.draft`))).toBe(before)

    // Other clauses stay editable.
    const other = await open(`${N}.draft`, 'drafter')
    appendToClause(other.doc, fourth, ' Allowed change.')
    await other.tracker.whenSaved()
    expect(plainText(await loadStoredDoc(server, `${N}.draft`))).toContain('Allowed change.')

    // In a run of updates the server reads in one go, only the one touching the agreed clause is
    // refused; the others, before and after it, are applied.
    const raw = openRawSocket(server.url, `${N}.draft`, tokens.drafter ?? null)
    await raw.opened
    const state = syncPayload(await raw.askForDocument())
    const oneClient = new Y.Doc()
    const anotherClient = new Y.Doc()
    Y.applyUpdate(oneClient, state)
    Y.applyUpdate(anotherClient, state)
    const run: Uint8Array[] = []
    oneClient.on('update', (update: Uint8Array) => run.push(update))
    anotherClient.on('update', (update: Uint8Array) => run.push(update))
    appendToClause(oneClient, fourth, ' Run edit one.')
    appendToClause(oneClient, clause3.id, ' RUN SNEAK')
    appendToClause(anotherClient, fourth, ' Run edit two.')
    const refusedInRun = raw.nextFrame((frame) => frame[0] === messageRefused)
    // Acknowledged once every frame of the run is applied or refused (the later ones may wait for
    // the next turn of the server's loop: docs/PROTOCOL.md, the turn budget).
    const allSettled = raw.nextFrame(
      (frame) =>
        frame[0] === messagePersisted &&
        decoding.readVarUint(decoding.createDecoder(frame.subarray(1))) >= run.length,
    )
    sendInOneWrite(raw.ws, run.map(updateFrame))
    await refusedInRun
    await allSettled
    const afterRun = plainText(await loadStoredDoc(server, `${N}.draft`))
    expect(afterRun).toContain('Run edit one.')
    expect(afterRun).toContain('Run edit two.')
    expect(afterRun).not.toContain('RUN SNEAK')
    raw.ws.close()

    // Reopening needs every lead.
    expect((await api('POST', `/clauses/${clause3.id}/reopen/consent`, 'mgmt.lead')).status).toBe(
      409,
    )
    const asked = await api<{ status: string; reopen: unknown }>(
      'POST',
      `/clauses/${clause3.id}/reopen`,
      'labor.lead',
      {
        reason: 'New information on consultation',
      },
    )
    expect(asked.body.status).toBe('tentatively-agreed')
    expect(asked.body.reopen).not.toBeNull()
    const consented = await api<{ status: string; signoffs: object }>(
      'POST',
      `/clauses/${clause3.id}/reopen/consent`,
      'mgmt.lead',
    )
    expect(consented.body.status).toBe('in-discussion')
    expect(consented.body.signoffs).toEqual({})
    const reopenedEditor = await open(`${N}.draft`, 'drafter')
    appendToClause(reopenedEditor.doc, clause3.id, ' Now allowed.')
    await reopenedEditor.tracker.whenSaved()
    expect(plainText(await loadStoredDoc(server, `${N}.draft`))).toContain('Now allowed.')
  })

  it('votes as a bargaining table votes: ballots within a party, the table sees positions only', async () => {
    expect(
      (await api('POST', '/votes', 'labor.lead', { clauseId: clause3.id, question: 'x' })).status,
    ).toBe(403)
    const status = await open(`${N}.status`, 'mgmt.member')
    const laborCaucus = await open(`${N}.caucus.labor`, 'labor.member')
    const opened = await api<{ id: string; rule: string }>('POST', '/votes', 'mediator', {
      clauseId: clause3.id,
      suggestionId,
      question: 'Accept the labor language on 3?',
    })
    expect(opened.status).toBe(201)
    expect(opened.body.rule).toBe('consensus')
    const voteId = opened.body.id
    expect(
      (await api('POST', `/votes/${voteId}/ballot`, 'mediator', { choice: 'yes' })).status,
    ).toBe(403)
    expect(
      (await api('POST', `/votes/${voteId}/ballot`, 'labor.lead', { choice: 'maybe' })).status,
    ).toBe(400)
    for (const [who, choice] of [
      ['labor.lead', 'yes'],
      ['labor.member', 'yes'],
      ['mgmt.lead', 'no'],
      ['mgmt.member', 'abstain'],
    ] as const) {
      expect((await api('POST', `/votes/${voteId}/ballot`, who, { choice })).status).toBe(200)
    }
    // The party sees its own ballots, in its caucus document.
    await waitForDoc(laborCaucus.doc, (doc) => readPartyBallots(doc, voteId).length === 2)
    // A member cannot write ballots into the caucus themselves (only the server writes them).
    const forged = nextRefusal(laborCaucus)
    laborCaucus.doc
      .getMap<Record<string, unknown>>(CAUCUS_VOTE_ROOTS.ballots)
      .set(voteId, { ghost: { userId: 'ghost', name: 'Ghost', choice: 'no', at: 1 } })
    expect(await forged).toMatch(/only the server writes/)
    expect(
      (await api('POST', `/votes/${voteId}/stance`, 'mgmt.member', { showTally: true })).status,
    ).toBe(403)
    expect(
      (
        await api('POST', `/votes/${voteId}/stance`, 'mgmt.lead', {
          showTally: true,
          dissent: 'Consultation must come first.',
        })
      ).status,
    ).toBe(200)
    const closed = await api<{ result: unknown }>('POST', `/votes/${voteId}/close`, 'mediator')
    expect(closed.status).toBe(200)
    expect(closed.body.result).toEqual({
      parties: [
        { partyId: 'labor', position: 'yes' },
        {
          partyId: 'mgmt',
          position: 'no',
          tally: { yes: 0, no: 1, abstain: 1 },
          dissent: 'Consultation must come first.',
        },
      ],
      outcome: 'failed',
    })
    expect(
      (await api('POST', `/votes/${voteId}/ballot`, 'labor.lead', { choice: 'no' })).status,
    ).toBe(409)

    // Canary: a labor member who does nothing but vote; no byte a management member receives
    // (the status document, the clause's history) carries their name, id or ballot.
    const invite = await callApi<{ token: string }>(
      server.url,
      'POST',
      `/api/negotiations/${N}/invites`,
      tokens.mediator ?? null,
      { email: 'canary.voter@demo.test', role: 'party-member', partyId: 'labor' },
    )
    const joined = await callApi<{ token: string; user: { id: string } }>(
      server.url,
      'POST',
      `/api/invites/${invite.body.token}/accept`,
      null,
      { name: 'Quincy Canaryvoter', password: 'a long password' },
    )
    tokens.canary = joined.body.token
    const canaryVote = await api<{ id: string }>('POST', '/votes', 'mediator', {
      clauseId: clause3.id,
      question: 'Is the canary heard?',
    })
    expect(
      (await api('POST', `/votes/${canaryVote.body.id}/ballot`, 'canary', { choice: 'no' })).status,
    ).toBe(200)
    await waitForDoc(
      laborCaucus.doc,
      (doc) => readPartyBallots(doc, canaryVote.body.id)[0]?.name === 'Quincy Canaryvoter',
    )
    const canaryClosed = await api('POST', `/votes/${canaryVote.body.id}/close`, 'mediator')
    await waitForDoc(
      status.doc,
      (doc) => readStatus(doc).votes[canaryVote.body.id]?.closedAt !== null,
    )
    const history = await api('GET', `/clauses/${clause3.id}/history`, 'mgmt.member')
    const received = [
      Buffer.from(Y.encodeStateAsUpdate(status.doc)).toString('latin1'),
      new TextDecoder().decode(Y.encodeStateAsUpdate(status.doc)),
      JSON.stringify(history.body),
      JSON.stringify(canaryClosed.body),
    ].join('\n')
    expect(received).toContain('Is the canary heard?')
    for (const secret of ['Quincy', 'Canaryvoter', joined.body.user.id])
      expect(received).not.toContain(secret)

    // Under a majority rule, one party of two saying yes is not enough; both are.
    const majority = await api<{ id: string }>('POST', '/votes', 'mediator', {
      clauseId: clause3.id,
      question: 'Accept clause 3 as it stands?',
      rule: 'majority',
    })
    for (const who of ['labor.lead', 'mgmt.lead'] as const)
      await api('POST', `/votes/${majority.body.id}/ballot`, who, { choice: 'yes' })
    const carried = await api<{ result: { outcome: string } }>(
      'POST',
      `/votes/${majority.body.id}/close`,
      'mediator',
    )
    expect(carried.body.result.outcome).toBe('carried')
  })

  it('compares two iterations clause by clause over HTTP, for observers only when both are published', async () => {
    const diff = await api<{
      from: number
      to: number
      clauses: Array<{ id: string; change: string; ops: Array<[string, string]> }>
    }>('GET', '/diff?from=1&to=2', 'labor.member')
    expect(diff.status).toBe(200)
    expect(diff.body.from).toBe(1)
    expect(diff.body.clauses).toHaveLength(9)
    const third = diff.body.clauses.find((clause) => clause.id === clause3.id)
    expect(third?.change).toBe('changed')
    // Applying the operations gives the newer words; undoing them the older.
    const ops = third?.ops ?? []
    const newer = ops
      .filter(([kind]) => kind !== '-')
      .map(([, text]) => text)
      .join('')
    const older = ops
      .filter(([kind]) => kind !== '+')
      .map(([, text]) => text)
      .join('')
    expect(newer).toBe(`Decision-Making\n${JOINT} ${clause3.text}`)
    expect(older).toBe(`Decision-Making\n${clause3.text}`)
    expect(
      diff.body.clauses
        .filter((clause) => clause.id !== clause3.id)
        .every((clause) => clause.change === 'same'),
    ).toBe(true)
    expect((await api('GET', '/diff?from=1&to=2', 'observer')).status).toBe(404)
    expect((await api('GET', '/diff?from=1&to=99', 'labor.member')).status).toBe(404)
  })

  it('answers “how did clause 3 get its words?” in one history, limited to published texts for observers', async () => {
    interface History {
      versions: Array<{ iteration: number; text: string | null }>
      suggestions?: Array<{ id: string }>
      provenance?: Array<{ suggestionId: string; partyId: string; edited: boolean }>
    }
    const full = await api<History>('GET', `/clauses/${clause3.id}/history`, 'mgmt.member')
    expect(full.status).toBe(200)
    expect(full.body.versions.map((version) => version.iteration)).toEqual([1, 2])
    expect(full.body.versions[1]?.text).toBe(`${JOINT} ${clause3.text}`)
    expect(full.body.suggestions?.map((suggestion) => suggestion.id)).toEqual([suggestionId])
    expect(full.body.provenance?.length).toBeGreaterThan(0)
    for (const entry of full.body.provenance ?? [])
      expect(entry).toMatchObject({ suggestionId, partyId: 'labor', edited: false })
    const observer = await api<History>('GET', `/clauses/${clause3.id}/history`, 'observer')
    expect(observer.body.versions.map((version) => version.iteration)).toEqual([1])
    expect(observer.body.suggestions).toBeUndefined()
    expect(JSON.stringify(observer.body)).not.toContain(JOINT)
    expect((await api('GET', '/clauses/no-such-clause/history', 'mgmt.member')).status).toBe(404)
  })

  it('clears a party’s initials when the clause’s words change in the next iteration', async () => {
    const clauses = (await api<IterationBody>('GET', '/iterations/2', 'drafter')).body.clauses
    const fifth = clauses[4]?.id ?? ''
    const sixth = clauses[5]?.id ?? ''
    await api('POST', `/clauses/${fifth}/signoff`, 'labor.lead', { initials: 'LO' })
    await api('POST', `/clauses/${sixth}/signoff`, 'labor.lead', { initials: 'LO' })
    const editor = await open(`${N}.draft`, 'drafter')
    appendToClause(editor.doc, fifth, ' Amended after initials.')
    await editor.tracker.whenSaved()
    expect((await api('POST', '/iterations', 'mediator', { note: 'Amended 5' })).status).toBe(201)
    const after = (await api<ClauseBody[]>('GET', '/clauses', 'labor.lead')).body
    expect(after.find((clause) => clause.id === fifth)?.signoffs).toEqual([])
    expect(
      after.find((clause) => clause.id === sixth)?.signoffs.map((signoff) => signoff.initials),
    ).toEqual(['LO'])
  })

  it('reaches agreement when every clause is tentatively agreed', async () => {
    expect((await api('POST', '/iterations', 'mediator', { note: 'Third' })).status).toBe(201)
    const clauses = (await api<ClauseBody[]>('GET', '/clauses', 'labor.lead')).body
    // The clause-3 initials were cleared by the reopening; sign everything now.
    for (const clause of clauses) {
      await api('POST', `/clauses/${clause.id}/signoff`, 'labor.lead', { initials: 'LO' })
    }
    const status = await open(`${N}.status`, 'labor.member')
    const last = clauses[clauses.length - 1]
    for (const clause of clauses.slice(0, -1)) {
      await api('POST', `/clauses/${clause.id}/signoff`, 'mgmt.lead', { initials: 'ME' })
    }
    expect(readStatus(status.doc).agreementReachedAt).toBeNull()
    await api('POST', `/clauses/${last?.id}/signoff`, 'mgmt.lead', { initials: 'ME' })
    await waitForDoc(status.doc, (doc) => readStatus(doc).agreementReachedAt !== null)
    expect(
      (await api<ClauseBody[]>('GET', '/clauses', 'mgmt.member')).body.every(
        (clause) => clause.status === 'tentatively-agreed',
      ),
    ).toBe(true)
  })

  it('lets a lead decline a request to reopen, with a reason; the clause stays agreed', async () => {
    const clauses = (await api<ClauseBody[]>('GET', '/clauses', 'labor.lead')).body
    const first = clauses[0]?.id ?? ''
    expect(
      (await api('POST', `/clauses/${first}/reopen/decline`, 'mgmt.lead', { reason: 'No.' }))
        .status,
    ).toBe(409)
    expect(
      (await api('POST', `/clauses/${first}/reopen`, 'labor.lead', { reason: 'Dates' })).status,
    ).toBe(200)
    expect(
      (await api('POST', `/clauses/${first}/reopen/decline`, 'mgmt.member', { reason: 'No.' }))
        .status,
    ).toBe(403)
    expect(
      (await api('POST', `/clauses/${first}/reopen/decline`, 'mgmt.lead', { reason: '' })).status,
    ).toBe(400)
    // The party that asked has consented by asking; it cannot also decline.
    expect(
      (await api('POST', `/clauses/${first}/reopen/decline`, 'labor.lead', { reason: 'x' })).status,
    ).toBe(409)
    const declined = await api<ClauseBody & { reopen: unknown; reopenDeclined: unknown }>(
      'POST',
      `/clauses/${first}/reopen/decline`,
      'mgmt.lead',
      { reason: 'The dates were settled in March.' },
    )
    expect(declined.status).toBe(200)
    expect(declined.body.status).toBe('tentatively-agreed')
    expect(declined.body.reopen).toBeNull()
    expect(declined.body.reopenDeclined).toMatchObject({
      partyId: 'mgmt',
      reason: 'The dates were settled in March.',
      requestedByName: 'Luis Ortega',
    })
  })

  it('tells the table what happened, and the local tables of publications only', async () => {
    const table = await api<Array<{ at: number; kind: string; text: string }>>(
      'GET',
      '/activity',
      'mgmt.member',
    )
    expect(table.status).toBe(200)
    const kinds = new Set(table.body.map((entry) => entry.kind))
    for (const kind of [
      'iteration',
      'published',
      'suggestions-shared',
      'vote-opened',
      'vote-closed',
      'reopen-requested',
      'clause-agreed',
    ])
      expect(kinds, kind).toContain(kind)
    expect(table.body.map((entry) => entry.at)).toEqual(
      [...table.body.map((entry) => entry.at)].sort((a, b) => a - b),
    )
    const observer = await api<Array<{ kind: string }>>('GET', '/activity', 'observer')
    expect(observer.status).toBe(200)
    expect(observer.body.length).toBeGreaterThan(0)
    expect(new Set(observer.body.map((entry) => entry.kind))).toEqual(new Set(['published']))
    const middle = table.body[Math.floor(table.body.length / 2)]?.at ?? 0
    const since = await api<Array<{ at: number }>>('GET', `/activity?since=${middle}`, 'labor.lead')
    expect(since.body.length).toBeGreaterThan(0)
    expect(since.body.every((entry) => entry.at > middle)).toBe(true)
    expect((await api('GET', '/activity?since=-1', 'labor.lead')).status).toBe(400)
  })
})

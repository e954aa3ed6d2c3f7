/**
 * Suggestions over the API on a real server: each party's drafts are computed from its copy of the
 * iteration and read by its members and the mediator only; the lead alone shares them; the
 * mediator accepts a change into the working draft with its formatting and provenance (on disk),
 * is refused for a change whose words changed and for an agreed clause, and a rejection leaves
 * the draft alone.
 */
import { CLAUSE_NODE } from '@onetext/shared/clauses'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import type { Transform } from '@tiptap/pm/transform'
import { yXmlFragmentToProseMirrorRootNode, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { clauseAt, edit, textPosition } from '../helpers/suggestionEdits'
import { loadStoredDoc, type SignedIn, signInDemo, startTestServer } from '../helpers/testServer'
import { connectClient, type TestClient, waitForDoc, whenSynced } from '../helpers/yClient'

const N = 'lmp-1997'
const PEOPLE = [
  'mediator',
  'labor.lead',
  'labor.member',
  'mgmt.lead',
  'mgmt.member',
  'observer',
] as const
type Person = (typeof PEOPLE)[number]

interface ChangeBody {
  id: string
  kind: string
  text: string
  authorId: string
  status: string
}
interface SuggestionBody {
  id: string
  clauseId: string
  partyId: string
  status: string
  iteration: number
  rationale: string
  changes: ChangeBody[]
}

const schema = getDocumentSchema()

/** The `skip`th word of at least four letters in the paragraphs of a clause's own body. */
function someWord(doc: PMNode, clauseId: string, skip = 0): string {
  const { node } = clauseAt(doc, clauseId)
  const words: string[] = []
  node.descendants((child, _pos, parent) => {
    if (child.type.name === CLAUSE_NODE) return false
    if (child.isText && parent?.type.name === 'paragraph')
      words.push(...((child.text ?? '').match(/[A-Za-z]{4,}/g) ?? []))
    return true
  })
  const word = words[skip]
  if (!word) throw new Error(`clause ${clauseId} has too few words`)
  return word
}

/** Every text node of a ProseMirror JSON document with its marks. */
function textRuns(json: JSONContent): Array<{ text: string; marks: string[] }> {
  const runs: Array<{ text: string; marks: string[] }> = []
  const walk = (node: JSONContent) => {
    if (node.type === 'text')
      runs.push({ text: node.text ?? '', marks: (node.marks ?? []).map((mark) => mark.type) })
    for (const child of node.content ?? []) walk(child)
  }
  walk(json)
  return runs
}

describe('suggestions', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const clients: TestClient[] = []
  const people = {} as Record<Person, SignedIn>
  let clauseIds: string[] = []
  let iterationDoc: PMNode

  function api<T>(method: string, path: string, who: Person, body?: unknown) {
    return callApi<T>(server.url, method, `/api/negotiations/${N}${path}`, people[who].token, body)
  }

  async function open(name: string, who: Person): Promise<TestClient> {
    const client = connectClient(server.url, name, people[who].token)
    clients.push(client)
    await whenSynced(client)
    return client
  }

  async function list(who: Person, query = ''): Promise<SuggestionBody[]> {
    const answer = await api<SuggestionBody[]>('GET', `/suggestions${query}`, who)
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    return answer.body
  }

  async function storedDraft(): Promise<JSONContent> {
    const doc = await loadStoredDoc(server, `${N}.draft`)
    return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(RICH_TEXT_FIELD)) as JSONContent
  }

  /** Labor's member edits the copy, the lead shares the clause; answers the shared suggestion. */
  async function sharedByLabor(clauseId: string, change: (tr: Transform) => void) {
    const copy = await open(`${N}.suggest.labor.1`, 'labor.member')
    await waitForDoc(copy.doc, (doc) => doc.getXmlFragment(RICH_TEXT_FIELD).length > 0)
    edit(copy, change)
    await copy.tracker.whenSaved()
    const shared = await api<SuggestionBody[]>('POST', '/suggestions/share', 'labor.lead', {
      iteration: 1,
      clauseIds: [clauseId],
    })
    expect(shared.status, JSON.stringify(shared.body)).toBe(200)
    const suggestion = shared.body[0]
    if (!suggestion) throw new Error('nothing shared')
    return suggestion
  }

  beforeAll(async () => {
    server = await startTestServer()
    for (const key of PEOPLE) people[key] = await signInDemo(server.url, key)
    expect((await api('POST', '/iterations', 'mediator', { note: 'One' })).status).toBe(201)
    const iteration = await api<{ clauses: Array<{ id: string; text: string }> }>(
      'GET',
      '/iterations/1',
      'mediator',
    )
    clauseIds = iteration.body.clauses
      .filter((clause) => (clause.text.match(/[A-Za-z]{4,}/g) ?? []).length >= 3)
      .map((clause) => clause.id)
    expect(clauseIds.length).toBeGreaterThanOrEqual(6)
    const draft = await open(`${N}.draft`, 'mediator')
    iterationDoc = yXmlFragmentToProseMirrorRootNode(draft.fragment, schema)
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  it('shows a party its own drafts and everyone’s shared suggestions, the mediator all, an observer none', async () => {
    const clauseId = clauseIds[0] as string
    const copy = await open(`${N}.suggest.labor.1`, 'labor.member')
    await waitForDoc(copy.doc, (doc) => doc.getXmlFragment(RICH_TEXT_FIELD).length > 0)
    const word = someWord(iterationDoc, clauseId)
    edit(copy, (tr) => {
      const at = textPosition(tr.doc, clauseId, word)
      const bold = schema.marks.bold?.create()
      tr.insert(at, [schema.text('firmly', bold ? [bold] : []), schema.text(' ')])
    })
    await copy.tracker.whenSaved()

    const drafts = (await list('labor.member')).filter((s) => s.status === 'draft')
    expect(drafts).toHaveLength(1)
    const draft = drafts[0] as SuggestionBody
    expect(draft).toMatchObject({ clauseId, partyId: 'labor', iteration: 1 })
    expect(draft.changes).toEqual([
      expect.objectContaining({
        kind: 'insert',
        status: 'draft',
        authorId: people['labor.member'].user.id,
      }),
    ])
    expect(draft.changes[0]?.text).toMatch(/firmly/)
    expect((await list('labor.lead')).map((s) => s.id)).toContain(draft.id)
    expect((await list('mediator')).map((s) => s.id)).toContain(draft.id)
    expect(await list('mgmt.member')).toEqual([])
    expect(await list('mgmt.lead')).toEqual([])
    expect(await list('observer')).toEqual([])
    expect(JSON.stringify(await list('mgmt.member'))).not.toContain('firmly')

    // Sharing: the lead only.
    const refused = await api('POST', '/suggestions/share', 'labor.member', { iteration: 1 })
    expect(refused.status).toBe(403)
    expect((await api('POST', '/suggestions/share', 'mgmt.lead', { iteration: 1 })).status).toBe(
      409,
    )
    const shared = await api<SuggestionBody[]>('POST', '/suggestions/share', 'labor.lead', {
      iteration: 1,
      clauseIds: [clauseId],
    })
    expect(shared.status, JSON.stringify(shared.body)).toBe(200)
    expect(shared.body).toEqual([
      expect.objectContaining({ clauseId, partyId: 'labor', status: 'shared' }),
    ])
    const sid = shared.body[0]?.id
    for (const who of ['mgmt.member', 'labor.member', 'mediator'] as const) {
      const seen = await list(who, `?clause=${clauseId}`)
      expect(seen.map((s) => [s.id, s.status])).toEqual([[sid, 'shared']])
    }
    expect(await list('observer')).toEqual([])
    // Shared again with nothing new: the same suggestion.
    const twice = await api<SuggestionBody[]>('POST', '/suggestions/share', 'labor.lead', {
      iteration: 1,
      clauseIds: [clauseId],
    })
    expect(twice.status).toBe(200)
    expect(twice.body.map((s) => s.id)).toEqual([sid])

    // Accepted: the bold word lands bold in the draft, on disk, with its provenance.
    const changeId = shared.body[0]?.changes[0]?.id
    const accepted = await api<SuggestionBody>(
      'POST',
      `/suggestions/${sid}/changes/${changeId}/accept`,
      'mediator',
      {},
    )
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    expect(accepted.body.status).toBe('accepted')
    expect(accepted.body.changes[0]?.status).toBe('accepted')
    const runs = textRuns(await storedDraft())
    expect(runs).toContainEqual({ text: expect.stringMatching(/firmly/), marks: ['bold'] })
    const history = await api<{ provenance: Array<Record<string, unknown>> }>(
      'GET',
      `/clauses/${clauseId}/history`,
      'mgmt.member',
    )
    expect(history.body.provenance).toEqual([
      expect.objectContaining({
        suggestionId: sid,
        changeId,
        partyId: 'labor',
        authorId: people['labor.member'].user.id,
        kind: 'insert',
        adoptedBy: people.mediator.user.id,
      }),
    ])
    // Accepting it again changes nothing; rejecting it now is refused.
    const again = await api('POST', `/suggestions/${sid}/changes/${changeId}/accept`, 'mediator')
    expect(again.status).toBe(200)
    const late = await api('POST', `/suggestions/${sid}/changes/${changeId}/reject`, 'mediator')
    expect(late.status).toBe(409)
    expect(textRuns(await storedDraft()).filter((run) => /firmly/.test(run.text))).toHaveLength(1)
    expect(
      (await api('POST', `/suggestions/${sid}/changes/${changeId}/accept`, 'labor.lead')).status,
    ).toBe(403)
  })

  it('accepts a replacement (a delete and its insert) whole, and again without a second write', async () => {
    const clauseId = clauseIds[4] as string
    const first = someWord(iterationDoc, clauseId)
    const suggestion = await sharedByLabor(clauseId, (tr) => {
      const at = textPosition(tr.doc, clauseId, first)
      tr.replaceWith(at, at + first.length, schema.text('Replaced words'))
    })
    expect(suggestion.changes.map((change) => change.kind).sort()).toEqual(['delete', 'insert'])
    const accepted = await api<SuggestionBody>(
      'POST',
      `/suggestions/${suggestion.id}/accept`,
      'mediator',
      {},
    )
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    expect(accepted.body.status).toBe('accepted')
    const text = (json: JSONContent) =>
      textRuns(json)
        .map((run) => run.text)
        .join('')
    const after = text(await storedDraft())
    expect(after).toContain('Replaced words')
    expect(after.split('Replaced words')).toHaveLength(2)

    // The draft already shows a change whose decision was lost: recorded, not written twice.
    const second = someWord(iterationDoc, clauseId, 2)
    const pending = await sharedByLabor(clauseId, (tr) => {
      const at = textPosition(tr.doc, clauseId, second)
      tr.insert(at, schema.text('Lately '))
    })
    const opened = pending.changes.filter((change) => change.status === 'open')
    expect(opened.map((change) => change.kind)).toEqual(['insert'])
    const draft = await open(`${N}.draft`, 'mediator')
    edit(draft, (tr) => {
      const at = textPosition(tr.doc, clauseId, second)
      tr.insert(at, schema.text('Lately '))
    })
    await draft.tracker.whenSaved()
    const before = await storedDraft()
    const recorded = await api<SuggestionBody>(
      'POST',
      `/suggestions/${pending.id}/changes/${opened[0]?.id}/accept`,
      'mediator',
      {},
    )
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200)
    expect(recorded.body.changes.find((change) => change.id === opened[0]?.id)?.status).toBe(
      'accepted',
    )
    expect(await storedDraft()).toEqual(before)
  })

  it('accepts the halves of a replacement one after the other', async () => {
    const clauseId = clauseIds[5] as string
    const word = someWord(iterationDoc, clauseId, 1)
    const suggestion = await sharedByLabor(clauseId, (tr) => {
      const at = textPosition(tr.doc, clauseId, word)
      tr.replaceWith(at, at + word.length, schema.text('Otherwise'))
    })
    const insert = suggestion.changes.find((change) => change.kind === 'insert')
    const remove = suggestion.changes.find((change) => change.kind === 'delete')
    if (!insert || !remove) throw new Error('not a replacement')
    for (const change of [insert, remove]) {
      const answer = await api(
        'POST',
        `/suggestions/${suggestion.id}/changes/${change.id}/accept`,
        'mediator',
        {},
      )
      expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    }
    const body = textRuns(await storedDraft())
      .map((run) => run.text)
      .join('')
    expect(body).toContain('Otherwise')
    const original = textRuns(iterationDoc.toJSON() as JSONContent)
      .map((run) => run.text)
      .join('')
    expect(body.split(word).length).toBe(original.split(word).length - 1)
  })

  it('refuses a change whose words changed in the draft, with text-changed', async () => {
    const clauseId = clauseIds[1] as string
    const word = someWord(iterationDoc, clauseId, 1)
    const suggestion = await sharedByLabor(clauseId, (tr) => {
      const at = textPosition(tr.doc, clauseId, word)
      tr.delete(at, at + word.length)
    })
    expect(suggestion.changes.map((change) => change.kind)).toContain('delete')
    const draft = await open(`${N}.draft`, 'mediator')
    edit(draft, (tr) => {
      const at = textPosition(tr.doc, clauseId, word)
      tr.replaceWith(at, at + word.length, schema.text('Changed'))
    })
    await draft.tracker.whenSaved()
    const answer = await api<{ error: string }>(
      'POST',
      `/suggestions/${suggestion.id}/accept`,
      'mediator',
      {},
    )
    expect(answer.status).toBe(409)
    expect(answer.body.error).toBe('text-changed')
    expect(JSON.stringify(await storedDraft())).toContain('Changed')
    const after = await list('mediator', `?clause=${clauseId}`)
    expect(after.find((s) => s.id === suggestion.id)?.status).toBe('shared')
  })

  it('leaves the draft alone when a change is rejected', async () => {
    const clauseId = clauseIds[2] as string
    const word = someWord(iterationDoc, clauseId)
    const suggestion = await sharedByLabor(clauseId, (tr) => {
      const at = textPosition(tr.doc, clauseId, word)
      tr.delete(at, at + word.length)
    })
    const before = await storedDraft()
    const answer = await api<SuggestionBody>(
      'POST',
      `/suggestions/${suggestion.id}/reject`,
      'mediator',
      {},
    )
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    expect(answer.body.status).toBe('rejected')
    expect(answer.body.changes.every((change) => change.status === 'rejected')).toBe(true)
    expect(await storedDraft()).toEqual(before)
    const state = await api<{ provenance: unknown[] }>(
      'GET',
      `/clauses/${clauseId}/history`,
      'mediator',
    )
    expect(state.body.provenance ?? []).toEqual([])
  })

  it('refuses to accept into a tentatively agreed clause', async () => {
    const clauseId = clauseIds[3] as string
    const word = someWord(iterationDoc, clauseId)
    const suggestion = await sharedByLabor(clauseId, (tr) => {
      const at = textPosition(tr.doc, clauseId, word)
      tr.delete(at, at + word.length)
    })
    for (const [lead, initials] of [
      ['labor.lead', 'LL'],
      ['mgmt.lead', 'ML'],
    ] as const) {
      const signed = await api('POST', `/clauses/${clauseId}/signoff`, lead, { initials })
      expect(signed.status, JSON.stringify(signed.body)).toBe(200)
    }
    const before = await storedDraft()
    const answer = await api<{ error: string }>(
      'POST',
      `/suggestions/${suggestion.id}/accept`,
      'mediator',
      {},
    )
    expect(answer.status).toBe(409)
    expect(answer.body.error).toBe('clause-locked')
    expect(await storedDraft()).toEqual(before)
  })
})

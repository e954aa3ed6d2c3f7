/**
 * Suggestions carried forward, on a real server: before circulating, the mediator reads the
 * draft's changes since Single Text 1 with the provenance of an accepted suggestion and their own
 * edits as such; at circulation a shared change on words the mediator did not touch is carried
 * onto Single Text 2 with a new span, one whose words the mediator changed is outdated and listed
 * against Single Text 1; a party's unshared changes are replayed into its copy of Single Text 2
 * attributed to their original authors, and one that no longer fits is listed as outdated.
 */
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { readStatus, type SharedSuggestion } from '@onetext/shared/statusDoc'
import { clauseTokens } from '@onetext/shared/suggestions/tokens'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { clauseAt, edit, textPosition, uniqueWords } from '../helpers/suggestionEdits'
import { loadStoredDoc, type SignedIn, signInDemo, startTestServer } from '../helpers/testServer'
import { connectClient, type TestClient, waitForDoc, whenSynced } from '../helpers/yClient'

const N = 'lmp-1997'
const PEOPLE = ['mediator', 'labor.lead', 'labor.member', 'mgmt.lead'] as const
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
  changes: ChangeBody[]
}
interface DraftChangesBody {
  since: number
  clauses: Array<{
    clauseId: string
    changes: Array<{
      kind: string
      text: string
      provenance: null | Record<string, unknown>
    }>
  }>
}

const schema = getDocumentSchema()

describe('suggestions carried forward', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const clients: TestClient[] = []
  const people = {} as Record<Person, SignedIn>
  /** Clauses with at least four words found once, and those words. */
  const words = new Map<string, string[]>()
  let ids: string[] = []

  function api<T>(method: string, path: string, who: Person, body?: unknown) {
    return callApi<T>(server.url, method, `/api/negotiations/${N}${path}`, people[who].token, body)
  }

  async function open(name: string, who: Person): Promise<TestClient> {
    const client = connectClient(server.url, name, people[who].token)
    clients.push(client)
    await whenSynced(client)
    await waitForDoc(client.doc, (doc) => doc.getXmlFragment(RICH_TEXT_FIELD).length > 0)
    return client
  }

  async function list(who: Person, query = ''): Promise<SuggestionBody[]> {
    const answer = await api<SuggestionBody[]>('GET', `/suggestions${query}`, who)
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    return answer.body
  }

  async function storedSuggestions(): Promise<SharedSuggestion[]> {
    return Object.values(readStatus(await loadStoredDoc(server, `${N}.status`)).suggestions)
  }

  function word(clauseId: string, index: number): string {
    const found = words.get(clauseId)?.[index]
    if (!found) throw new Error(`no word ${index} in ${clauseId}`)
    return found
  }

  beforeAll(async () => {
    server = await startTestServer()
    for (const key of PEOPLE) people[key] = await signInDemo(server.url, key)
    expect((await api('POST', '/iterations', 'mediator', { note: 'One' })).status).toBe(201)
    const draft = await open(`${N}.draft`, 'mediator')
    const doc = yXmlFragmentToProseMirrorRootNode(draft.fragment, schema)
    doc.descendants((node) => {
      if (node.type.name !== CLAUSE_NODE) return true
      const id = String(node.attrs[CLAUSE_ID_ATTRIBUTE])
      const found = uniqueWords(doc, id)
      if (found.length >= 4) words.set(id, found)
      return true
    })
    ids = [...words.keys()]
    expect(ids.length).toBeGreaterThanOrEqual(6)
  })

  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.close()
  })

  it('labels the draft’s changes with their provenance, then carries suggestions onto Single Text 2', async () => {
    const [carried, outdated, drafted, accepted, mediated, stale] = ids as [
      string,
      string,
      string,
      string,
      string,
      string,
    ]
    const member = await open(`${N}.suggest.labor.1`, 'labor.member')
    const lead = await open(`${N}.suggest.labor.1`, 'labor.lead')
    edit(member, (tr) => {
      tr.insert(textPosition(tr.doc, carried, word(carried, 3)), schema.text('firmly '))
      const at = textPosition(tr.doc, outdated, word(outdated, 1))
      tr.delete(at, at + word(outdated, 1).length)
      tr.insert(textPosition(tr.doc, drafted, word(drafted, 0)), schema.text('notably '))
      tr.insert(textPosition(tr.doc, accepted, word(accepted, 1)), schema.text('promptly '))
      const gone = textPosition(tr.doc, stale, word(stale, 1))
      tr.delete(gone, gone + word(stale, 1).length)
    })
    await member.tracker.whenSaved()
    await waitForDoc(lead.doc, (doc) =>
      JSON.stringify(doc.getXmlFragment(RICH_TEXT_FIELD).toJSON()).includes('promptly'),
    )
    edit(lead, (tr) => {
      const at = textPosition(tr.doc, drafted, word(drafted, 2))
      tr.delete(at, at + word(drafted, 2).length)
    })
    await lead.tracker.whenSaved()

    const shared = await api<SuggestionBody[]>('POST', '/suggestions/share', 'labor.lead', {
      iteration: 1,
      clauseIds: [carried, outdated, accepted],
    })
    expect(shared.status, JSON.stringify(shared.body)).toBe(200)
    const byClause = new Map(shared.body.map((s) => [s.clauseId, s]))
    const toAccept = byClause.get(accepted) as SuggestionBody
    const taken = await api<SuggestionBody>(
      'POST',
      `/suggestions/${toAccept.id}/accept`,
      'mediator',
      {},
    )
    expect(taken.status, JSON.stringify(taken.body)).toBe(200)
    const beforeSpan = (await storedSuggestions()).find((s) => s.clauseId === carried)?.changes[0]
      ?.base
    expect(beforeSpan).toBeDefined()

    // The mediator's own edits: before the carried change's words, over the outdated change's
    // words and the stale draft's, and elsewhere.
    const draft = await open(`${N}.draft`, 'mediator')
    edit(draft, (tr) => {
      tr.insert(textPosition(tr.doc, carried, word(carried, 0)), schema.text('Indeed '))
      const at = textPosition(tr.doc, outdated, word(outdated, 1))
      tr.replaceWith(at, at + word(outdated, 1).length, schema.text('Altered'))
      const gone = textPosition(tr.doc, stale, word(stale, 1))
      tr.replaceWith(gone, gone + word(stale, 1).length, schema.text('Revised'))
      const own = textPosition(tr.doc, mediated, word(mediated, 1))
      tr.replaceWith(own, own + word(mediated, 1).length, schema.text('Mediated'))
    })
    await draft.tracker.whenSaved()

    // Changes since Single Text 1: the accepted change with its provenance, the rest the
    // mediator's.
    const changes = await api<DraftChangesBody>('GET', '/draft/changes?since=1', 'mediator')
    expect(changes.status, JSON.stringify(changes.body)).toBe(200)
    const clauseChanges = (id: string) =>
      changes.body.clauses.find((clause) => clause.clauseId === id)?.changes ?? []
    expect(clauseChanges(accepted)).toEqual([
      expect.objectContaining({
        kind: 'insert',
        text: expect.stringMatching(/promptly/),
        provenance: expect.objectContaining({
          partyId: 'labor',
          authorId: people['labor.member'].user.id,
          suggestionId: toAccept.id,
          iteration: 1,
          acceptedBy: people.mediator.user.id,
          edited: false,
        }),
      }),
    ])
    const own = clauseChanges(mediated)
    expect(own.map((change) => change.text).join(' ')).toMatch(/Mediated/)
    expect(own.every((change) => change.provenance === null)).toBe(true)
    expect((await api('GET', '/draft/changes?since=1', 'labor.lead')).status).toBe(403)

    expect((await api('POST', '/iterations', 'mediator', { note: 'Two' })).status).toBe(201)

    // Shared: carried onto Single Text 2 with its new span, or outdated against Single Text 1.
    const after = await storedSuggestions()
    const moved = after.find((s) => s.clauseId === carried && s.partyId === 'labor')
    expect(moved).toMatchObject({ iteration: 2, carriedFrom: [1] })
    expect(moved?.changes.map((change) => change.status)).toEqual(['open'])
    const span = moved?.changes[0]?.base
    expect(span?.from).toBe((beforeSpan?.from ?? 0) + 2)
    // The draft as circulated is Single Text 2.
    const two = yXmlFragmentToProseMirrorRootNode(draft.fragment, schema)
    const tokens = clauseTokens(clauseAt(two, carried).node)
    expect(tokens[span?.from ?? 0]?.text).toBe(word(carried, 3))
    const onTwo = await list('labor.member', '?iteration=2')
    expect(onTwo.filter((s) => s.clauseId === carried).map((s) => s.status)).toEqual(['shared'])
    const onOne = await list('mgmt.lead', '?iteration=1')
    expect(onOne.find((s) => s.clauseId === outdated)).toMatchObject({
      status: 'outdated',
      iteration: 1,
      changes: [expect.objectContaining({ kind: 'delete', status: 'outdated' })],
    })

    // Drafts: replayed into the copy of Single Text 2, each by its author.
    const copy = await open(`${N}.suggest.labor.2`, 'labor.member')
    expect(JSON.stringify(copy.fragment.toJSON())).toContain('notably')
    const mine = await list('labor.member')
    const carriedDraft = mine.find((s) => s.clauseId === drafted && s.status === 'draft')
    expect(carriedDraft?.iteration).toBe(2)
    const kinds = (carriedDraft?.changes ?? []).map((change) => [
      change.kind,
      change.text.trim(),
      change.authorId,
    ])
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['insert', 'notably', people['labor.member'].user.id],
        ['delete', word(drafted, 2), people['labor.lead'].user.id],
      ]),
    )
    // The accepted and the outdated changes are not carried as drafts.
    expect(mine.filter((s) => s.status === 'draft').map((s) => s.clauseId)).not.toContain(accepted)
    expect(mine.filter((s) => s.status === 'draft').map((s) => s.clauseId)).not.toContain(outdated)
    const staleDraft = mine.find((s) => s.clauseId === stale)
    expect(staleDraft).toMatchObject({ status: 'outdated', iteration: 1 })
    expect(await list('mgmt.lead', `?clause=${stale}`)).toEqual([])

    // The replayed copy takes the members' further changes.
    edit(copy, (tr) => {
      tr.insert(textPosition(tr.doc, mediated, word(mediated, 2)), schema.text('moreover '))
    })
    await copy.tracker.whenSaved()
    const further = (await list('labor.member', `?clause=${mediated}`)).find(
      (s) => s.status === 'draft',
    )
    expect(further?.changes.map((change) => [change.text.trim(), change.authorId])).toEqual([
      ['moreover', people['labor.member'].user.id],
    ])
  })
})

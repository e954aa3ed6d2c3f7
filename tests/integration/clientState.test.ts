/**
 * Commands act on what the user saw: a circulation that carries the mediator's copy state waits
 * for the edits still in flight and holds them; one whose edits never arrive is refused with 409
 * `not-synced` and circulates nothing; two circulations at once give one iteration and one 409.
 */
import { toBase64 } from 'lib0/buffer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { callApi } from '../helpers/api'
import { login, startTestServer } from '../helpers/testServer'
import { appendToClause, connectClient, type TestClient, whenSynced } from '../helpers/yClient'

const N = 'lmp-1997'

interface IterationBody {
  number: number
  clauses: Array<{ id: string; text: string }>
}

describe('commands that act on what the user saw', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let token: string
  let draft: TestClient
  let clauseId: string

  const api = <T>(method: string, path: string, body?: unknown) =>
    callApi<T>(server.url, method, `/api/negotiations/${N}${path}`, token, body)

  beforeAll(async () => {
    server = await startTestServer()
    token = await login(server.url, 'mediator@demo.test')
    const first = await api<{ number: number }>('POST', '/iterations', { note: 'first' })
    expect(first.status).toBe(201)
    const iteration = await api<IterationBody>('GET', `/iterations/${first.body.number}`)
    clauseId = iteration.body.clauses[0]?.id as string
    draft = connectClient(server.url, `${N}.draft`, token)
    await whenSynced(draft)
  })

  afterAll(async () => {
    draft.destroy()
    await server.close()
  })

  /**
   * An edit made in a copy of the mediator's draft and not sent yet: its update, and the state of
   * the copy that made it (what the mediator saw when pressing "circulate").
   */
  function editNotSentYet(text: string): { update: Uint8Array; clientState: string } {
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(draft.doc))
    const before = Y.encodeStateVector(copy)
    appendToClause(copy, clauseId, text)
    return {
      update: Y.encodeStateAsUpdate(copy, before),
      clientState: toBase64(Y.encodeStateVector(copy)),
    }
  }

  async function latestText(): Promise<{ number: number; text: string }> {
    const list = await api<Array<{ number: number }>>('GET', '/iterations')
    const number = list.body[list.body.length - 1]?.number as number
    const iteration = await api<IterationBody>('GET', `/iterations/${number}`)
    return { number, text: iteration.body.clauses.map((clause) => clause.text).join('\n') }
  }

  it('waits for an edit sent after the command and circulates it', async () => {
    const edit = editNotSentYet(' maybe 90 days?')
    const circulation = api<{ number: number }>('POST', '/iterations', {
      note: 'with the edit',
      clientState: edit.clientState,
    })
    Y.applyUpdate(draft.doc, edit.update)
    const answer = await circulation
    expect(answer.status).toBe(201)
    const latest = await latestText()
    expect(latest.number).toBe(answer.body.number)
    expect(latest.text).toContain('maybe 90 days?')
  })

  it('answers 409 not-synced when the edits never arrive, and circulates nothing', async () => {
    const before = await latestText()
    const edit = editNotSentYet(' never sent')
    const answer = await api<{ error: string }>('POST', '/iterations', {
      note: 'missing edit',
      clientState: edit.clientState,
    })
    expect(answer.status).toBe(409)
    expect(answer.body.error).toBe('not-synced')
    const after = await latestText()
    expect(after.number).toBe(before.number)
    expect(after.text).not.toContain('never sent')
  })

  it('gives one iteration and one 409 for two circulations at once', async () => {
    const before = await latestText()
    // Both carry a state the server lacks until the edit is sent: the first to arrive waits for it
    // in its place in the negotiation's line of commands, and the second finds it there.
    const edit = editNotSentYet(' once')
    const body = { note: 'pressed twice', clientState: edit.clientState }
    const both = [
      api<{ error?: string }>('POST', '/iterations', body),
      api<{ error?: string }>('POST', '/iterations', body),
    ]
    const refused = await Promise.race(both)
    expect(refused.status).toBe(409)
    expect(refused.body.error).toBe('busy')
    Y.applyUpdate(draft.doc, edit.update)
    const statuses = (await Promise.all(both)).map((answer) => answer.status).sort()
    expect(statuses).toEqual([201, 409])
    const after = await latestText()
    expect(after.number).toBe(before.number + 1)
    expect(after.text).toContain(' once')
  })

  it('refuses a clientState that is not a state vector', async () => {
    for (const clientState of ['not base64!', toBase64(new Uint8Array([5, 1]))]) {
      const answer = await api<{ error: string }>('POST', '/iterations', { clientState })
      expect(answer.status).toBe(400)
    }
  })
})

/**
 * What a stored negotiation says through the API and its documents, read the same way from a data
 * directory written by an earlier release (`tests/fixtures/release-*`) and from a fresh one: every
 * iteration's clauses (ids, numbers, headings, text), the draft's clauses, sign-offs, clause
 * histories, annotations with their quotes and offsets, and local supplements' text. A migration of
 * the stored model must leave every reading as it was.
 */
import { type Annotation, readAnnotations } from '@onetext/shared/annotations'
import { extractClauses } from '@onetext/shared/clauses'
import { draftJson } from '../../server/src/negotiation/draftOps'
import { callApi } from './api'
import { connectClient, plainText, whenSynced } from './yClient'

/** One negotiation's readings (JSON-comparable). */
export interface NegotiationReadings {
  iterations: unknown[]
  clauses: unknown
  histories: Record<string, unknown>
  annotations: Annotation[]
  supplements: Array<{
    title: string
    iteration: number
    text: string
    clauses: unknown[]
    diff: unknown
  }>
  draftText: string
  /** The working draft's clauses: id, number, level, heading and text. */
  draftClauses: unknown[]
}

/** Reads a document's current state as `token` (the annotations and plain text). */
async function readDocument(url: string, name: string, token: string) {
  const client = connectClient(url, name, token)
  try {
    await whenSynced(client)
    return {
      annotations: readAnnotations(client.doc),
      text: plainText(client.doc),
      clauses: extractClauses(draftJson(client.doc)).map(
        ({ id, number, level, heading, text }) => ({
          id,
          number,
          level,
          heading,
          text,
        }),
      ),
    }
  } finally {
    client.destroy()
  }
}

/**
 * The readings of negotiation `id` on the server at `url`: as the mediator (`mediatorToken`) and,
 * for supplements, as the local table (`observerToken`).
 */
export async function readNegotiation(
  url: string,
  id: string,
  mediatorToken: string,
  observerToken: string | null,
): Promise<NegotiationReadings> {
  const api = <T>(path: string, token = mediatorToken) =>
    callApi<T>(url, 'GET', `/api/negotiations/${id}${path}`, token).then((answer) => {
      if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status}`)
      return answer.body
    })
  const list = await api<Array<{ number: number }>>('/iterations')
  const iterations: unknown[] = []
  for (const { number } of list) iterations.push(await api(`/iterations/${number}`))
  const clauses = await api<Array<{ id: string }>>('/clauses')
  const histories: Record<string, unknown> = {}
  for (const clause of clauses) histories[clause.id] = await api(`/clauses/${clause.id}/history`)
  const annotations = (await readDocument(url, `${id}.table`, mediatorToken)).annotations
  const draft = await readDocument(url, `${id}.draft`, mediatorToken)
  const supplements: NegotiationReadings['supplements'] = []
  if (observerToken) {
    const listed = await api<
      Array<{ id: string; title: string; iteration: number; document: string }>
    >('/supplements', observerToken)
    for (const supplement of listed) {
      const document = await readDocument(url, supplement.document, observerToken)
      supplements.push({
        title: supplement.title,
        iteration: supplement.iteration,
        text: document.text,
        clauses: document.clauses,
        diff: await api(`/supplements/${supplement.id}/diff`, observerToken),
      })
    }
  }
  return {
    iterations,
    clauses,
    histories,
    annotations,
    supplements,
    draftText: draft.text,
    draftClauses: draft.clauses,
  }
}

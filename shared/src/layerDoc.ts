/**
 * What a party's layer document holds beside its notes: the party's proposals of alternative
 * language. Each proposal is a Y.Map in the `proposals` root map, keyed by its id:
 *
 * | key | type | meaning |
 * | --- | --- | --- |
 * | id, clauseId | string | the proposal and the clause it proposes words for |
 * | baseIteration | number | the iteration whose text it was written against |
 * | text | Y.Text | the alternative language (plain text, one line per block) |
 * | rationale | Y.Text | the interest it serves |
 * | authorId, authorName | string | who started it |
 * | createdAt | number | when |
 * | status | 'draft' or 'shared' | 'shared' once the lead shared it (set by the server) |
 * | sharedAt | number | when it was shared (set by the server) |
 *
 * Private to the party (and readable by the mediator) until the lead shares it: sharing copies it
 * into the status document under the server's control. The server refuses a client's change that
 * starts a proposal in someone else's name, alters who started it, its status or shared time, or
 * deletes another's proposal (docs/PROTOCOL.md, "Validation of proposals").
 */
import * as Y from 'yjs'

/** Root map of proposals in a layer document. */
export const PROPOSALS_ROOT = 'proposals'

/** A proposal read into plain values. */
export interface LayerProposal {
  id: string
  clauseId: string
  baseIteration: number
  text: string
  rationale: string
  authorId: string
  authorName: string
  createdAt: number
  status: 'draft' | 'shared'
  sharedAt: number | null
}

function textOf(value: unknown): string {
  return value instanceof Y.Text ? value.toString() : typeof value === 'string' ? value : ''
}

/** Reads one proposal map; null when it lacks an id or clause. */
export function readLayerProposal(map: Y.Map<unknown>): LayerProposal | null {
  const id = map.get('id')
  const clauseId = map.get('clauseId')
  if (typeof id !== 'string' || typeof clauseId !== 'string') return null
  const sharedAt = map.get('sharedAt')
  return {
    id,
    clauseId,
    baseIteration: Number(map.get('baseIteration') ?? 0),
    text: textOf(map.get('text')),
    rationale: textOf(map.get('rationale')),
    authorId: String(map.get('authorId') ?? ''),
    authorName: String(map.get('authorName') ?? ''),
    createdAt: Number(map.get('createdAt') ?? 0),
    status: map.get('status') === 'shared' ? 'shared' : 'draft',
    sharedAt: typeof sharedAt === 'number' ? sharedAt : null,
  }
}

/** Every proposal of a layer document, oldest first. */
export function readLayerProposals(doc: Y.Doc): LayerProposal[] {
  const proposals: LayerProposal[] = []
  for (const value of doc.getMap<unknown>(PROPOSALS_ROOT).values()) {
    if (value instanceof Y.Map) {
      const proposal = readLayerProposal(value)
      if (proposal) proposals.push(proposal)
    }
  }
  return proposals.sort((a, b) => a.createdAt - b.createdAt)
}

/** Adds a new draft proposal for `clauseId` to a layer document, starting from `baseText`. */
export function createLayerProposal(
  doc: Y.Doc,
  fields: {
    id: string
    clauseId: string
    baseIteration: number
    baseText: string
    authorId: string
    authorName: string
  },
): void {
  doc.transact(() => {
    const map = new Y.Map<unknown>()
    map.set('id', fields.id)
    map.set('clauseId', fields.clauseId)
    map.set('baseIteration', fields.baseIteration)
    map.set('text', new Y.Text(fields.baseText))
    map.set('rationale', new Y.Text(''))
    map.set('authorId', fields.authorId)
    map.set('authorName', fields.authorName)
    map.set('createdAt', Date.now())
    map.set('status', 'draft')
    doc.getMap<unknown>(PROPOSALS_ROOT).set(fields.id, map)
  })
}

import { addAnnotation, replyToAnnotation } from '@onetext/shared/annotations'
import type { PresenceUser } from '@onetext/shared/apiTypes'
import { createLayerProposal, PROPOSALS_ROOT } from '@onetext/shared/layerDoc'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ANNOTATION_RULES } from '../../server/src/negotiation/annotationRules'
import { EntryGuard } from '../../server/src/negotiation/EntryGuard'
import { PROPOSAL_RULES } from '../../server/src/negotiation/proposalRules'

const priya: PresenceUser = {
  id: 'u-priya',
  name: 'Priya Shah',
  partyId: 'labor',
  role: 'party-member',
  color: '#000',
}
const luis: PresenceUser = {
  id: 'u-luis',
  name: 'Luis Ortega',
  partyId: 'labor',
  role: 'party-lead',
  color: '#000',
}

/** A layer held by the server, and a guard on it. */
function layer() {
  const server = new Y.Doc()
  const guard = new EntryGuard(server, [ANNOTATION_RULES, PROPOSAL_RULES])
  /**
   * Makes `change` in a client that has just synced the server's state (a client whose change was
   * refused has diverged, so each change starts from a fresh one); applies it on the server if
   * `author` may. Returns whether it was accepted.
   */
  const offer = (author: PresenceUser, change: (doc: Y.Doc) => void): boolean => {
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    const before = Y.encodeStateVector(client)
    change(client)
    const update = Y.encodeStateAsUpdate(client, before)
    if (!guard.accept(update, author)) return false
    Y.applyUpdate(server, update)
    return true
  }
  return { server, guard, offer }
}

function start(doc: Y.Doc, id: string, as: PresenceUser): void {
  createLayerProposal(doc, {
    id,
    clauseId: 'c-1',
    baseIteration: 1,
    baseText: 'The parties agree.',
    authorId: as.id,
    authorName: as.name,
  })
}

function proposal(doc: Y.Doc, id: string): Y.Map<unknown> {
  return doc.getMap<unknown>(PROPOSALS_ROOT).get(id) as Y.Map<unknown>
}

describe('EntryGuard with the proposal rules', () => {
  it('accepts a draft in its writer’s name and the party’s edits to its words', () => {
    const { offer, server } = layer()
    expect(offer(priya, (doc) => start(doc, 'p1', priya))).toBe(true)
    expect(
      offer(luis, (doc) => (proposal(doc, 'p1').get('text') as Y.Text).insert(0, 'Both: ')),
    ).toBe(true)
    expect((proposal(server, 'p1').get('text') as Y.Text).toString()).toBe(
      'Both: The parties agree.',
    )
  })

  it('refuses a proposal started in another’s name, already shared, or with fields it should not have', () => {
    const { offer, guard } = layer()
    expect(offer(priya, (doc) => start(doc, 'p1', luis))).toBe(false)
    expect(guard.refusal).toBe(PROPOSAL_RULES.refusal)
    expect(
      offer(priya, (doc) =>
        doc.transact(() => {
          start(doc, 'p2', priya)
          proposal(doc, 'p2').set('sharedAt', 1)
        }),
      ),
    ).toBe(false)
    expect(
      offer(priya, (doc) =>
        doc.transact(() => {
          start(doc, 'p3', priya)
          proposal(doc, 'p3').set('votes', 12)
        }),
      ),
    ).toBe(false)
    expect(offer(priya, (doc) => doc.getMap(PROPOSALS_ROOT).set('p4', 'not a proposal'))).toBe(
      false,
    )
  })

  it('keeps who started it, its status and its texts as texts; only its author deletes it', () => {
    const { offer, server } = layer()
    expect(offer(priya, (doc) => start(doc, 'p1', priya))).toBe(true)
    expect(offer(luis, (doc) => proposal(doc, 'p1').set('authorId', luis.id))).toBe(false)
    expect(offer(priya, (doc) => proposal(doc, 'p1').set('status', 'shared'))).toBe(false)
    expect(offer(priya, (doc) => proposal(doc, 'p1').set('rationale', 'plain'))).toBe(false)
    expect(offer(luis, (doc) => doc.getMap(PROPOSALS_ROOT).delete('p1'))).toBe(false)
    // The server marks it shared (its own change, not a client's): the guard keeps up with it.
    proposal(server, 'p1').set('status', 'shared')
    expect(offer(priya, (doc) => (proposal(doc, 'p1').get('text') as Y.Text).insert(0, 'A '))).toBe(
      true,
    )
    expect(offer(priya, (doc) => doc.getMap(PROPOSALS_ROOT).delete('p1'))).toBe(true)
    expect(server.getMap(PROPOSALS_ROOT).has('p1')).toBe(false)
  })

  it('names the refusal of the root whose rules refused, with several roots guarded', () => {
    const { offer, guard } = layer()
    const annotation = {
      id: 'a1',
      clauseId: 'c-1',
      iteration: 1,
      quote: 'agree',
      offset: 0,
      kind: 'question' as const,
      body: 'Which parties?',
      authorId: luis.id,
      authorName: luis.name,
      partyId: 'labor',
    }
    expect(offer(priya, (doc) => addAnnotation(doc, annotation))).toBe(false)
    expect(guard.refusal).toBe(ANNOTATION_RULES.refusal)
    expect(offer(priya, (doc) => start(doc, 'p1', luis))).toBe(false)
    expect(guard.refusal).toBe(PROPOSAL_RULES.refusal)
  })

  it('needs rules for at least one root', () => {
    expect(() => new EntryGuard(new Y.Doc(), [])).toThrow(RangeError)
  })
})

describe('EntryGuard with the annotation rules', () => {
  it('accepts two replies written at the same time, whichever order Yjs puts them in', () => {
    for (const [first, second] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const server = new Y.Doc()
      const guard = new EntryGuard(server, [ANNOTATION_RULES])
      const author = new Y.Doc()
      addAnnotation(author, {
        id: 'a1',
        clauseId: 'c-1',
        iteration: 1,
        quote: 'agree',
        offset: 0,
        kind: 'question',
        body: 'Which parties?',
        authorId: priya.id,
        authorName: priya.name,
        partyId: 'labor',
      })
      expect(guard.accept(Y.encodeStateAsUpdate(author), priya)).toBe(true)
      Y.applyUpdate(server, Y.encodeStateAsUpdate(author))
      // Two people reply, each without having seen the other's reply yet.
      const replyFrom = (clientID: number, person: PresenceUser) => {
        const doc = new Y.Doc()
        doc.clientID = clientID
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
        const before = Y.encodeStateVector(doc)
        replyToAnnotation(doc, 'a1', {
          authorName: person.name,
          body: `From ${person.name}`,
          at: 1,
        })
        return Y.encodeStateAsUpdate(doc, before)
      }
      const updates = [replyFrom(first * 1000, priya), replyFrom(second * 1000, luis)]
      expect(guard.accept(updates[0] as Uint8Array, priya)).toBe(true)
      Y.applyUpdate(server, updates[0] as Uint8Array)
      expect(guard.accept(updates[1] as Uint8Array, luis)).toBe(true)
      Y.applyUpdate(server, updates[1] as Uint8Array)
      const thread = (server.getMap('annotations').get('a1') as Y.Map<unknown>).get('replies')
      expect(
        (thread as Y.Array<{ body: string }>)
          .toArray()
          .map((reply) => reply.body)
          .sort(),
      ).toEqual([`From ${luis.name}`, `From ${priya.name}`])
    }
  })
})

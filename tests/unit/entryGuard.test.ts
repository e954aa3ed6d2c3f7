import { addAnnotation, MAX_QUOTE_LENGTH, replyToAnnotation } from '@onetext/shared/annotations'
import type { PresenceUser } from '@onetext/shared/apiTypes'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import { RATIONALES_ROOT } from '@onetext/shared/suggestions/copyDoc'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { DocumentProfile } from '../../server/src/gate/UpdateGate'
import { ANNOTATION_RULES } from '../../server/src/negotiation/annotationRules'
import { RATIONALE_RULES } from '../../server/src/negotiation/CopyGuard'
import { entryRule } from '../../server/src/negotiation/EntryGuard'
import { changeFrom, gateOn } from '../helpers/gateHarness'

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

/** A layer held by the server, with the layer's entry rule in its gate (or another `profile`). */
async function layer(
  profile: DocumentProfile = {
    roots: DOCUMENT_ROOTS.layer,
    rules: [entryRule([ANNOTATION_RULES])],
  },
) {
  const server = new Y.Doc()
  const gated = await gateOn(server, profile)
  const guard = { refusal: '' }
  /**
   * Makes `change` in a client that has just synced the server's state; applies it on the server
   * if `author` may. Returns whether it was accepted (`guard.refusal` says why not).
   */
  const offer = (author: PresenceUser, change: (doc: Y.Doc) => void): boolean => {
    const refusal = gated.offer(author, changeFrom(server, change))
    guard.refusal = refusal?.text ?? ''
    return refusal === null
  }
  return { server, guard, offer }
}

describe('EntryGuard', () => {
  it('refuses writes to the layer outside its annotations, such as the proposals of protocol 4', async () => {
    const { offer, guard } = await layer()
    expect(
      offer(priya, (doc) => {
        const proposal = new Y.Map<unknown>()
        proposal.set('id', 'p1')
        proposal.set('text', new Y.Text('The parties agree.'))
        doc.getMap<unknown>('proposals').set('p1', proposal)
      }),
    ).toBe(false)
    expect(guard.refusal).toMatch(/only the server/i)
  })

  it('names the refusal of the root whose rules refused, with several roots guarded', async () => {
    const { offer, guard } = await layer({
      roots: new Map([...DOCUMENT_ROOTS.layer, [RATIONALES_ROOT, 'map' as const]]),
      rules: [entryRule([ANNOTATION_RULES, RATIONALE_RULES])],
    })
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
    expect(
      offer(priya, (doc) => doc.getMap<unknown>(RATIONALES_ROOT).set('not a clause id', 'plain')),
    ).toBe(false)
    expect(guard.refusal).toBe(RATIONALE_RULES.refusal)
  })

  it('needs rules for at least one root', () => {
    expect(() => entryRule([])).toThrow(RangeError)
  })
})

describe('EntryGuard with the annotation rules', () => {
  it('refuses a quote longer than the form allows, or one that is not text', async () => {
    const { offer, guard } = await layer()
    const annotate = (id: string, quote: unknown) => (doc: Y.Doc) =>
      addAnnotation(doc, {
        id,
        clauseId: 'c-1',
        iteration: 1,
        quote: quote as string,
        offset: 0,
        kind: 'question',
        body: 'Which?',
        authorId: priya.id,
        authorName: priya.name,
        partyId: 'labor',
      })
    expect(offer(priya, annotate('a-long', 'x'.repeat(MAX_QUOTE_LENGTH + 1)))).toBe(false)
    expect(guard.refusal).toMatch(/annotations/)
    expect(offer(priya, annotate('a-number', 42))).toBe(false)
    expect(offer(priya, annotate('a-fits', 'x'.repeat(MAX_QUOTE_LENGTH)))).toBe(true)
  })

  it('accepts two replies written at the same time, whichever order Yjs puts them in', async () => {
    for (const [first, second] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const server = new Y.Doc()
      const { gate } = await gateOn(server, {
        roots: DOCUMENT_ROOTS.table,
        rules: [entryRule([ANNOTATION_RULES])],
      })
      const origin = {}
      const guard = {
        accept: (update: Uint8Array, as: PresenceUser) => {
          const verdict = gate.check(update, as, origin)
          if (!verdict.refused) gate.applied(as)
          return !verdict.refused
        },
      }
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

/**
 * Carrying shared suggestions onto the next iteration (carryForward): a change on words the
 * mediator did not touch moves with a new span and the suggestion with it; one whose words
 * changed is outdated and stays written against the old iteration; a replacement's halves go
 * together; a clause gone from the next iteration outdates its changes; a suggestion with decided
 * changes keeps them, under its id, apart from the carried ones. And a party's draft changes are
 * replayed into a fresh copy of the next iteration under client IDs claimed for their authors.
 */
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { SharedChange, SharedSuggestion } from '@onetext/shared/statusDoc'
import { attributeChanges } from '@onetext/shared/suggestions/attribution'
import { readJournal, SEED_ROOT } from '@onetext/shared/suggestions/copyDoc'
import { seedUpdate } from '@onetext/shared/suggestions/copySeed'
import { diffClause, diffDocument } from '@onetext/shared/suggestions/diff'
import { plainText } from '@onetext/shared/suggestions/tokens'
import type { JSONContent } from '@tiptap/core'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { carryForward } from '../../server/src/negotiation/carryForward'
import { replayDrafts } from '../../server/src/negotiation/draftCarry'
import type { DraftGroup } from '../../server/src/negotiation/suggestionRecords'
import { clause, doc, node, p, schema } from '../helpers/clauseNodes'

const P1 = 'The employer may lay off workers when there is no work.'
const P2 = 'Notice is given in writing to the union two weeks before the layoff.'
const text = (first = P1, second = P2, extra?: JSONContent) =>
  doc(clause('c5', 'Layoffs', p(first), p(second)), ...(extra ? [extra] : []))

/** A suggestion of `copy`'s changes to clause c5 of `from`, all open. */
function shared(from: JSONContent, copy: JSONContent, id = 's-1'): SharedSuggestion {
  const diff = diffClause(
    node(from).firstChild as ReturnType<typeof node>,
    node(copy).firstChild as ReturnType<typeof node>,
  )
  const changes: SharedChange[] = diff.changes.map((change, index) => ({
    id: `c${index + 1}`,
    kind: change.kind,
    text: change.text,
    authorId: 'u1',
    authorName: 'Una',
    at: 1,
    base: change.base,
    context: change.context,
    ...(change.content !== undefined ? { content: change.content } : {}),
    ...(change.marks ? { marks: change.marks } : {}),
    ...(change.pairedWith !== undefined ? { pairedWith: `c${change.pairedWith + 1}` } : {}),
    status: 'open',
  }))
  return {
    id,
    partyId: 'labor',
    clauseId: 'c5',
    iteration: 1,
    rationale: 'Why',
    sharedBy: 'u2',
    sharedByName: 'Lead',
    sharedAt: 1,
    carriedFrom: [],
    changes,
  }
}

function run(suggestions: SharedSuggestion[], from: JSONContent, onto: JSONContent) {
  return carryForward(
    suggestions,
    { number: 1, doc: node(from) },
    { number: 2, doc: node(onto) },
    99,
  )
}

describe('carrying shared suggestions forward', () => {
  it('carries an insert whose words the mediator did not touch, with its new span', () => {
    const suggestion = shared(text(), text(P1.replace('off workers', 'off permanent workers')))
    const onto = text(`Indeed, ${P1}`)
    const outcome = run([suggestion], text(), onto)
    expect(outcome).toMatchObject({ carried: 1, outdated: 0 })
    const [moved] = outcome.put
    expect(moved).toMatchObject({ id: 's-1', iteration: 2, carriedFrom: [1] })
    const before = suggestion.changes[0]?.base.from ?? 0
    // "Indeed", ",", " " were inserted before it.
    expect(moved?.changes[0]?.base).toEqual({ from: before + 3, to: before + 3 })
    expect(moved?.changes[0]?.context).toEqual(suggestion.changes[0]?.context)
  })

  it('outdates a delete whose words the mediator changed, and leaves it against iteration 1', () => {
    const suggestion = shared(text(), text(P1.replace(' when there is no work', '')))
    const outcome = run([suggestion], text(), text(P1.replace('no work', 'little work')))
    expect(outcome).toMatchObject({ carried: 0, outdated: 1 })
    expect(outcome.put).toEqual([
      expect.objectContaining({
        id: 's-1',
        iteration: 1,
        carriedFrom: [],
        changes: [expect.objectContaining({ kind: 'delete', status: 'outdated' })],
      }),
    ])
  })

  it('carries or outdates the two halves of a replacement together', () => {
    const copy = text(P1.replace('may', 'can'), P2.replace('two weeks', 'four weeks'))
    const suggestion = shared(text(), copy)
    expect(suggestion.changes.map((change) => change.kind)).toEqual([
      'delete',
      'insert',
      'delete',
      'insert',
    ])
    // The mediator changed the second paragraph's "two" only.
    const outcome = run([suggestion], text(), text(P1, P2.replace('two weeks', 'three weeks')))
    expect(outcome).toMatchObject({ carried: 2, outdated: 2 })
    const kept = outcome.put.find((s) => s.iteration === 1)
    const moved = outcome.put.find((s) => s.iteration === 2)
    expect(kept?.changes.map((c) => [c.text, c.status])).toEqual([
      ['two', 'outdated'],
      ['four', 'outdated'],
    ])
    expect(moved?.changes.map((c) => [c.text, c.status, c.pairedWith])).toEqual([
      ['may', 'open', 'c2'],
      ['can', 'open', 'c1'],
    ])
  })

  it('outdates every change of a clause gone from the next iteration', () => {
    const suggestion = shared(text(), text(P1.replace('off workers', 'off permanent workers')))
    const outcome = run([suggestion], text(), doc(clause('c6', 'Other', p('Something else.'))))
    expect(outcome).toMatchObject({ carried: 0, outdated: 1 })
  })

  it('keeps decided changes under the suggestion’s id and moves the carried ones to a new one', () => {
    const copy = text(
      P1.replace('off workers', 'off permanent workers'),
      P2.replace('in writing ', ''),
    )
    const suggestion = shared(text(), copy)
    expect(suggestion.changes.length).toBe(2)
    const first = suggestion.changes[0] as SharedChange
    suggestion.changes[0] = { ...first, status: 'accepted', decidedBy: 'm', decidedAt: 5 }
    const onto = text(P1.replace('off workers', 'off permanent workers'))
    const outcome = run([suggestion], text(), onto)
    expect(outcome.put).toHaveLength(2)
    const kept = outcome.put.find((s) => s.id === 's-1')
    const moved = outcome.put.find((s) => s.id !== 's-1')
    expect(kept).toMatchObject({
      iteration: 1,
      changes: [expect.objectContaining({ status: 'accepted' })],
    })
    expect(moved).toMatchObject({
      iteration: 2,
      carriedFrom: [1],
      changes: [expect.objectContaining({ kind: 'delete', status: 'open' })],
    })
  })

  it('leaves alone suggestions with no open change or of another iteration', () => {
    const done = shared(text(), text(P1.replace('off workers', 'off many workers')))
    done.changes = done.changes.map((c) => ({ ...c, status: 'rejected' as const }))
    const older = {
      ...shared(text(), text(P1.replace('no work', 'none'))),
      id: 's-2',
      iteration: 3,
    }
    expect(run([done, older], text(), text()).put).toEqual([])
  })
})

/** A copy seeded with `iteration` under client 1000, as the server seeds one. */
function seededCopy(iteration: JSONContent): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, seedUpdate(iteration, 1000))
  copy.transact(() => {
    copy.getMap(SEED_ROOT).set('client', 1000)
    copy.getMap(SEED_ROOT).set('iteration', 2)
  })
  return copy
}

describe('replaying draft changes into the next copy', () => {
  it('replays each carried change under a client of its author, and a deletion in the journal', () => {
    const from = text()
    const edited = text(
      P1.replace('off workers', 'off permanent workers'),
      P2.replace('in writing ', ''),
    )
    const diff = diffDocument(node(from), node(edited)).get('c5')
    if (!diff) throw new Error('no diff')
    const authors = [
      { userId: 'u-ins', name: 'Ina', at: 10 },
      { userId: 'u-del', name: 'Del', at: 20 },
    ]
    const group: DraftGroup = {
      clauseId: 'c5',
      rationale: 'Our reasons',
      changes: diff.changes.map((change, index) => ({
        change,
        author: change.kind === 'insert' ? (authors[0] ?? null) : (authors[1] ?? null),
        index,
      })),
    }
    const onto = text(`Indeed, ${P1}`)
    const target = seededCopy(onto)
    const claims: Array<[number, string | null]> = []
    let next = 5000
    const outcome = replayDrafts(
      target,
      [group],
      from,
      {
        freshClient: () => next++,
        claim: (client, author) => claims.push([client, author?.userId ?? null]),
      },
      'server',
    )
    expect(outcome).toEqual({ carried: 2, outdated: 0 })
    const result = yXmlFragmentToProseMirrorRootNode(target.getXmlFragment(RICH_TEXT_FIELD), schema)
    expect(plainText(result)).toBe(
      plainText(
        node(
          text(
            `Indeed, ${P1}`.replace('off workers', 'off permanent workers'),
            P2.replace('in writing ', ''),
          ),
        ),
      ),
    )
    expect(claims.map(([, user]) => user).sort()).toEqual(['u-del', 'u-ins'])
    expect(readJournal(target)).toContainEqual(
      expect.objectContaining({ k: 'd', c: 1000, u: 'u-del', t: 20 }),
    )
    // Read back as the list reads it: each change by its author.
    const again = diffDocument(node(onto), result).get('c5')
    if (!again) throw new Error('no diff')
    const who = attributeChanges(target, again, onto)
    expect(again.changes.map((change, index) => [change.kind, who[index]?.userId])).toEqual(
      expect.arrayContaining([
        ['insert', 'u-ins'],
        ['delete', 'u-del'],
      ]),
    )
    expect(String(target.getMap('rationales').get('c5'))).toBe('Our reasons')
  })

  it('leaves out a change whose words changed in the next iteration', () => {
    const from = text()
    const edited = text(P1.replace(' when there is no work', ''))
    const diff = diffDocument(node(from), node(edited)).get('c5')
    if (!diff) throw new Error('no diff')
    const group: DraftGroup = {
      clauseId: 'c5',
      rationale: '',
      changes: diff.changes.map((change, index) => ({ change, author: null, index })),
    }
    const onto = text(P1.replace('no work', 'little work'))
    const target = seededCopy(onto)
    const before = Y.encodeStateVector(target)
    let next = 7000
    const outcome = replayDrafts(
      target,
      [group],
      from,
      { freshClient: () => next++, claim: () => {} },
      'server',
    )
    expect(outcome).toEqual({ carried: 0, outdated: 1 })
    expect(Y.encodeStateVector(target)).toEqual(before)
  })
})

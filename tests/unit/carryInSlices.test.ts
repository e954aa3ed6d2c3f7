/**
 * Carrying suggestions forward while the server goes on serving: work written as steps runs to the
 * same answer at once or in slices, and in slices lets the event loop through between them; a
 * carry worked out ahead of the status commit is written as worked out only when the suggestions
 * are the same at the commit, and is worked out again when one changed or appeared meanwhile.
 */
import type { SharedChange, SharedSuggestion } from '@onetext/shared/statusDoc'
import { diffClause } from '@onetext/shared/suggestions/diff'
import type { JSONContent } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import {
  type CarryOutcome,
  carryAtCommit,
  carryForward,
  planCarry,
} from '../../server/src/negotiation/carryForward'
import { runInSlices, runNow, type Steps } from '../../server/src/negotiation/timeSlices'
import { clause, doc, node, p } from '../helpers/clauseNodes'

const P1 = 'The employer may lay off workers when there is no work.'
const P2 = 'Notice is given in writing to the union two weeks before the layoff.'
const text = (first = P1, second = P2) => doc(clause('c5', 'Layoffs', p(first), p(second)))

/** A suggestion of `copy`'s changes to clause c5 of `from`, all open. */
function shared(from: JSONContent, copy: JSONContent, id: string): SharedSuggestion {
  const diff = diffClause(
    node(from).firstChild as ReturnType<typeof node>,
    node(copy).firstChild as ReturnType<typeof node>,
  )
  const changes: SharedChange[] = diff.changes.map((change, index) => ({
    id: `${id}-c${index + 1}`,
    kind: change.kind,
    text: change.text,
    authorId: 'u1',
    authorName: 'Una',
    at: 1,
    base: change.base,
    context: change.context,
    ...(change.content !== undefined ? { content: change.content } : {}),
    ...(change.pairedWith !== undefined ? { pairedWith: `${id}-c${change.pairedWith + 1}` } : {}),
    status: 'open',
  }))
  return {
    id,
    partyId: 'labor',
    clauseId: 'c5',
    iteration: 1,
    rationale: '',
    sharedBy: 'u2',
    sharedByName: 'Lead',
    sharedAt: 1,
    carriedFrom: [],
    changes,
  }
}

const from = { number: 1, doc: node(text()) }
const onto = { number: 2, doc: node(text(`Indeed, ${P1}`)) }

/** An outcome with the ids of split-off suggestions (random) replaced by one placeholder. */
function comparable(outcome: CarryOutcome) {
  return {
    ...outcome,
    put: outcome.put.map((s) => (s.id.startsWith('s-') ? { ...s, id: 'split-off' } : s)),
  }
}

/** Steps that each keep the thread busy for about `ms`, noting whether `flag()` was already set. */
function* busySteps(
  count: number,
  ms: number,
  flag: () => boolean,
  seen: boolean[],
): Steps<number> {
  for (let step = 0; step < count; step++) {
    const until = performance.now() + ms
    while (performance.now() < until) {
      // Busy, as a long computation is.
    }
    seen.push(flag())
    yield
  }
  return count
}

describe('work in slices', () => {
  it('answers the same at once and in slices, and only in slices lets the event loop through', async () => {
    let turned = false
    setImmediate(() => {
      turned = true
    })
    const atOnce: boolean[] = []
    expect(runNow(busySteps(10, 2, () => turned, atOnce))).toBe(10)
    expect(atOnce.every((seen) => !seen)).toBe(true)

    const inSlices: boolean[] = []
    const stats = { busyMs: 0, slices: 0 }
    const answer = await runInSlices(
      busySteps(10, 2, () => turned, inSlices),
      {
        sliceMs: 3,
        stats,
      },
    )
    expect(answer).toBe(10)
    // The immediate ran between two slices, not before the first.
    expect(inSlices[0]).toBe(false)
    expect(inSlices.at(-1)).toBe(true)
    expect(stats.slices).toBeGreaterThan(1)
    expect(stats.busyMs).toBeGreaterThanOrEqual(20)
  })
})

describe('a carry worked out ahead of the status commit', () => {
  const first = shared(text(), text(P1.replace('off workers', 'off permanent workers')), 'a')
  const second = shared(text(), text(P1, P2.replace('two weeks', 'four weeks')), 'b')

  it('is what carryForward answers, and is written as worked out when nothing changed', async () => {
    const plan = await planCarry([first, second], from, onto, 99)
    expect(comparable(plan.outcome)).toEqual(
      comparable(carryForward([first, second], from, onto, 99)),
    )
    expect(plan.outcome).toMatchObject({ carried: 3, outdated: 0 })
    // The commit reads the status again: equal suggestions, other objects.
    const again = structuredClone([first, second])
    const written = carryAtCommit(plan, again, from, onto, 99)
    expect(written.planned).toBe(true)
    expect(written.outcome).toBe(plan.outcome)
  })

  it('is worked out again when a suggestion changed or appeared meanwhile', async () => {
    const plan = await planCarry([first, second], from, onto, 99)
    // The mediator rejected the second suggestion's delete between the plan and the commit.
    const decided: SharedSuggestion = {
      ...second,
      changes: second.changes.map((change, index) =>
        index === 0 ? { ...change, status: 'rejected', decidedAt: 50 } : change,
      ),
    }
    const changed = carryAtCommit(plan, [first, decided], from, onto, 99)
    expect(changed.planned).toBe(false)
    expect(comparable(changed.outcome)).toEqual(
      comparable(carryForward([first, decided], from, onto, 99)),
    )
    expect(changed.outcome).not.toEqual(plan.outcome)

    const third = shared(text(), text(P1.replace('no work', 'no paid work')), 'c')
    const appeared = carryAtCommit(plan, [first, second, third], from, onto, 99)
    expect(appeared.planned).toBe(false)
    expect(appeared.outcome.put.map((s) => s.id)).toContain('c')
    expect(carryAtCommit(null, [first], from, onto, 99).planned).toBe(false)
  })
})

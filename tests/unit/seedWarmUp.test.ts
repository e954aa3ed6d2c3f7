/**
 * The editor of a party's copy builds the copy's seed in idle periods (seedWarmUp.ts): once the
 * copy says which client wrote its seed, whether it said so before or after the editor started,
 * the seed the attribution reads is built to the end; stopped first, nothing is built. (Node has
 * no `requestIdleCallback`: this runs, on fake timers, the timer the browsers without one get.)
 */
import { SEED_ROOT } from '@onetext/shared/suggestions/copyDoc'
import { seedClausesOf } from '@onetext/shared/suggestions/seedClauses'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { warmSeedWhenIdle } from '../../client/src/editor/seedWarmUp'
import { clause, doc, p } from '../helpers/clauseNodes'

const CLIENT = 77

/** An iteration of `count` top-level clauses. */
function iteration(count: number) {
  return doc(
    ...Array.from({ length: count }, (_, index) => clause(`c${index}`, 'Heading', p('Words.'))),
  )
}

/** Writes the copy's seed record, as the server does when it makes the copy. */
function recordSeed(copy: Y.Doc): void {
  const record = copy.getMap<unknown>(SEED_ROOT)
  copy.transact(() => {
    record.set('client', CLIENT)
    record.set('iteration', 1)
  })
}

describe('warmSeedWhenIdle', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('builds the seed of a copy whose record is already there', () => {
    const base = iteration(30)
    const copy = new Y.Doc()
    recordSeed(copy)
    const stop = warmSeedWhenIdle(copy, base)
    expect(seedClausesOf(base, CLIENT)?.done).toBe(false)
    vi.runAllTimers()
    expect(seedClausesOf(base, CLIENT)?.done).toBe(true)
    stop()
  })

  it('waits for the seed record, then builds it', () => {
    const base = iteration(5)
    const copy = new Y.Doc()
    const stop = warmSeedWhenIdle(copy, base)
    vi.runAllTimers()
    expect(seedClausesOf(base, CLIENT)?.done).toBe(false)
    recordSeed(copy)
    vi.runAllTimers()
    expect(seedClausesOf(base, CLIENT)?.done).toBe(true)
    stop()
  })

  it('builds nothing once stopped, before or after the record came', () => {
    const base = iteration(5)
    const early = new Y.Doc()
    warmSeedWhenIdle(early, base)()
    recordSeed(early)
    const late = new Y.Doc()
    recordSeed(late)
    warmSeedWhenIdle(late, base)()
    vi.runAllTimers()
    expect(seedClausesOf(base, CLIENT)?.done).toBe(false)
  })
})

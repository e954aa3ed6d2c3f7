/**
 * Builds the seed of a party's copy (shared/src/suggestions/seedClauses.ts) while the browser is
 * idle, a step at a time (a top-level clause, or a few short ones), so that the first reading of
 * who deleted words does not build it all at once: on the benchmark's 150-page text that took
 * 200 ms of the page's main thread (a CPU profile of a colleague's page, the code not yet warm) in
 * the middle of the typing.
 */
import { readSeed, SEED_ROOT } from '@onetext/shared/suggestions/copyDoc'
import { type SeedClauses, seedClausesOf } from '@onetext/shared/suggestions/seedClauses'
import type { JSONContent } from '@tiptap/core'
import type * as Y from 'yjs'
import { type CancelIdle, whenIdle } from './whenIdle'

/**
 * What an idle period must have left for one more step to be built in it (a step of the
 * benchmark's text, one 5-page article: 0.3 ms in Node once the code is warm, up to 15 ms the
 * first time).
 */
const STEP_BUDGET_MS = 8

/**
 * Builds the seed of copy `doc` against iteration `base` (the very JSON object its attribution
 * reads, whose seed it then finds built) in idle periods, once the copy says which client wrote
 * the seed. Returns a function that stops it.
 */
export function warmSeedWhenIdle(doc: Y.Doc, base: JSONContent): () => void {
  const record = doc.getMap<unknown>(SEED_ROOT)
  let cancel: CancelIdle | null = null
  let stopped = false
  let observing = false
  const unobserve = () => {
    if (observing) record.unobserve(onRecord)
    observing = false
  }
  const build = (seed: SeedClauses) => {
    cancel = whenIdle((timeLeft) => {
      cancel = null
      while (!stopped && timeLeft() > STEP_BUDGET_MS && seed.step()) {}
      if (!stopped && !seed.done) build(seed)
    })
  }
  const start = (): boolean => {
    const seed = readSeed(doc)
    if (!seed) return false
    unobserve()
    const clauses = seedClausesOf(base, seed.client)
    if (clauses && !clauses.done) build(clauses)
    return true
  }
  function onRecord() {
    start()
  }
  if (!start()) {
    record.observe(onRecord)
    observing = true
  }
  return () => {
    stopped = true
    unobserve()
    cancel?.()
  }
}

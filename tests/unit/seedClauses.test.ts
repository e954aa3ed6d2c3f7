/**
 * SeedClauses reads a copy's seed one top-level node at a time: for every clause, at every depth,
 * its items (position runs, client and clock) must be exactly those of the whole seed that
 * `buildSeedDoc` writes, which is what a copy holds and what attribution maps deletions through.
 * Checked on the demo agreement (1997, Markdown as the server reads it) and on seeded random clause
 * trees with marks (with attributes too), hard breaks, lists, empty paragraphs and headings, and
 * sub-clauses. The seed is printed (SEED_CLAUSES_SEED=S replays it).
 */
import { markdownToDoc } from '@onetext/shared/markdown'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import {
  type ClauseItems,
  clauseItems,
  indexClauses,
} from '@onetext/shared/suggestions/clauseItems'
import { buildSeedDoc } from '@onetext/shared/suggestions/copySeed'
import { SeedClauses, seedClausesOf } from '@onetext/shared/suggestions/seedClauses'
import type { JSONContent } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { FuzzRandom } from '../../bench/src/fuzz/random'
import { readDemoAgreement } from '../../server/src/seed/demoSeed'
import { br, clause, doc, marked, p, ul } from '../helpers/clauseNodes'

const CLIENT = 424_242

/** What a run says, without the Yjs items of its formats. */
function plain(items: ClauseItems) {
  return items.map(({ from, length, client, clock }) => ({ from, length, client, clock }))
}

/** Every clause's items in the whole seed, by clause id (the first of two with one id). */
function wholeSeed(iteration: JSONContent, client: number): Map<string, ClauseItems> {
  const seed = buildSeedDoc(iteration, client)
  const elements = new Map<string, Y.XmlElement>()
  indexClauses(seed.getXmlFragment(RICH_TEXT_FIELD), elements)
  const items = new Map<string, ClauseItems>()
  for (const [id, element] of elements) items.set(id, clauseItems(element))
  return items
}

/** `iteration` with a clause id on every clause (`c1`, `c2`, ... in document order). */
function withIds(iteration: JSONContent): { json: JSONContent; ids: string[] } {
  const ids: string[] = []
  const visit = (node: JSONContent): JSONContent => {
    const content = node.content?.map(visit)
    if (node.type !== 'clause') return content ? { ...node, content } : node
    const id = `c${ids.length + 1}`
    ids.push(id)
    return { ...node, attrs: { ...node.attrs, clauseId: id }, ...(content ? { content } : {}) }
  }
  return { json: visit(iteration), ids }
}

/** Checks every clause of `iteration`, asked for in `order`, against the whole seed. */
function expectSameAsWholeSeed(iteration: JSONContent, order: readonly string[], what: string) {
  const expected = wholeSeed(iteration, CLIENT)
  expect(expected.size, what).toBeGreaterThan(0)
  const seed = new SeedClauses(iteration, CLIENT)
  for (const id of order)
    expect(plain(seed.clause(id)), `${what}: clause ${id}`).toEqual(plain(expected.get(id) ?? []))
}

const WORDS = ['wages', 'rise', 'by', 'three', 'percent', 'each', 'year', 'ça', 'naïve', '€', '😀']

/** A random inline run: words with random marks, and now and then a hard break. */
function randomInline(random: FuzzRandom): JSONContent[] {
  const out: JSONContent[] = []
  for (let index = random.int(0, 6); index > 0; index--) {
    if (random.chance(0.1)) {
      out.push(br)
      continue
    }
    const text = `${random.pick(WORDS)}${random.chance(0.7) ? ' ' : ''}`
    const marks: Array<string | { type: string; attrs?: Record<string, unknown> }> = []
    if (random.chance(0.3)) marks.push('bold')
    if (random.chance(0.2)) marks.push('italic')
    if (random.chance(0.1))
      marks.push({ type: 'link', attrs: { href: `https://example.org/${random.int(1, 3)}` } })
    out.push(marks.length > 0 ? marked(text, ...marks) : { type: 'text', text })
  }
  return out
}

/** A random clause tree (at most `depth` more levels of sub-clauses). */
function randomClause(random: FuzzRandom, depth: number): JSONContent {
  const children: JSONContent[] = []
  for (let index = random.int(0, 3); index > 0; index--) {
    if (random.chance(0.2))
      children.push(ul(...Array.from({ length: random.int(1, 3) }, () => random.pick(WORDS))))
    else children.push(p(...randomInline(random)))
  }
  if (depth > 0)
    for (let index = random.int(0, 2); index > 0; index--)
      children.push(randomClause(random, depth - 1))
  const heading = random.chance(0.2) ? '' : random.pick(WORDS)
  return clause('', heading, ...children)
}

describe('SeedClauses', () => {
  it('gives the items of the whole seed for every clause of the demo agreement', () => {
    const { json, ids } = withIds(markdownToDoc(readDemoAgreement()))
    expect(ids.length).toBeGreaterThan(5)
    // From the last clause first (every node before it built at once), then all of them again.
    expectSameAsWholeSeed(json, [...ids].reverse(), 'demo, last first')
    expectSameAsWholeSeed(json, ids, 'demo, in order')
  })

  it('gives the items of the whole seed on random clause trees', () => {
    const seed = Number(process.env.SEED_CLAUSES_SEED ?? Math.floor(Math.random() * 2 ** 31))
    console.log(`seed clauses random test: seed ${seed} (SEED_CLAUSES_SEED=${seed} replays it)`)
    const random = new FuzzRandom(seed)
    for (let round = 0; round < 40; round++) {
      const clauses: JSONContent[] = []
      for (let index = random.int(1, 5); index > 0; index--) clauses.push(randomClause(random, 2))
      const { json, ids } = withIds(doc(...clauses))
      const order = [...ids].sort(() => random.float() - 0.5)
      expectSameAsWholeSeed(json, order, `seed ${seed}, round ${round}`)
    }
  })

  it('builds only the top-level nodes up to the clause asked for, and the rest step by step', () => {
    // With the default step, these few short clauses are one step.
    const whole = new SeedClauses(
      doc(clause('a', 'One', p('first')), clause('b', 'Two', p('second'))),
      CLIENT,
    )
    expect(whole.clause('a').length).toBeGreaterThan(0)
    expect(whole.done).toBe(true)
    const iteration = doc(
      clause('a', 'One', p('first')),
      clause('b', 'Two', p('second'), clause('b1', 'Two, sub', p('sub'))),
      clause('c', 'Three', p('third')),
    )
    const seed = new SeedClauses(iteration, CLIENT, { stepSize: 1 })
    expect(seed.clause('b1').length).toBeGreaterThan(0)
    expect(seed.done).toBe(false)
    expect(seed.step()).toBe(true)
    expect(seed.done).toBe(true)
    expect(seed.step()).toBe(false)
    expect(seed.clause('missing')).toEqual([])
  })

  it('keeps the first of two clauses with one id, as the whole seed does', () => {
    const iteration = doc(clause('x', 'First', p('one two')), clause('x', 'Second', p('three')))
    expectSameAsWholeSeed(iteration, ['x'], 'duplicate ids')
  })

  it('refuses an invalid client or a document the schema does not take', () => {
    const iteration = doc(clause('a', 'One', p('first')))
    expect(() => new SeedClauses(iteration, -1)).toThrow(RangeError)
    expect(() => new SeedClauses(iteration, 2 ** 32)).toThrow(RangeError)
    expect(() => new SeedClauses({ type: 'doc', content: [{ type: 'nothing' }] }, 1)).toThrow(
      RangeError,
    )
    expect(seedClausesOf({ type: 'doc', content: [{ type: 'nothing' }] }, 1)).toBeNull()
  })

  it('is one per iteration object and client', () => {
    const iteration = doc(clause('a', 'One', p('first')))
    expect(seedClausesOf(iteration, 1)).toBe(seedClausesOf(iteration, 1))
    expect(seedClausesOf(iteration, 1)).not.toBe(seedClausesOf(iteration, 2))
  })
})

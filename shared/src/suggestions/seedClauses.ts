/**
 * The items of each clause of a copy's seed (copySeed.ts) without building the whole seed at once.
 *
 * The seed is iteration N written into one Y.Doc under one client: its top-level nodes one after
 * the other, and Yjs numbers a client's items in the order it integrates them, an element's
 * attributes and content right after the element. So the items of each top-level node are those it
 * gets written alone (or with the nodes next to it) into a Y.Doc of its own under the same client,
 * their clocks shifted by the clocks the nodes before them took (tests/unit/seedClauses.test.ts
 * checks this against `buildSeedDoc` clause by clause).
 *
 * The whole seed of the benchmark's 150-page text took 200 ms at once in a page whose code was not
 * yet warm (10 ms in Node, warm); node by node, a reader builds only the nodes up to the clause it
 * asks about, and the browser builds the rest when it is idle ({@link SeedClauses.step}).
 */
import type { JSONContent } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { prosemirrorToYXmlFragment } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { getDocumentSchema, RICH_TEXT_FIELD } from '../schema'
import { type ClauseItems, clauseItems, indexClauses } from './clauseItems'

/**
 * How many ProseMirror positions (about characters) of top-level nodes one step builds at least,
 * unless none are left (one 5-page article of the benchmark holds about 15,000).
 */
export const SEED_STEP_SIZE = 10_000

/** The items of a seed's clauses by clause id, read a step (one or more top-level nodes) at a time. */
export class SeedClauses {
  private readonly top: ProseMirrorNode
  /** The next top-level node to build. */
  private next = 0
  /** The clocks the nodes built so far took. */
  private clock = 0
  private readonly items = new Map<string, ClauseItems>()
  private readonly stepSize: number

  /**
   * The seed of `iteration` (ProseMirror JSON of the document schema) under `client` (an integer
   * 0..2^32-1), as `buildSeedDoc` writes it. Nothing is built yet. Throws RangeError for an invalid
   * client or a document the schema does not take. `stepSize`: the positions one step builds at
   * least (default {@link SEED_STEP_SIZE}).
   */
  constructor(
    iteration: JSONContent,
    private readonly client: number,
    options: { stepSize?: number } = {},
  ) {
    this.stepSize = options.stepSize ?? SEED_STEP_SIZE
    if (!Number.isInteger(client) || client < 0 || client > 0xffff_ffff)
      throw new RangeError(`invalid seed client: ${client}`)
    try {
      this.top = getDocumentSchema().nodeFromJSON(iteration)
      this.top.check()
    } catch (error) {
      throw new RangeError(`the iteration does not read: ${String(error)}`)
    }
  }

  /** True once every top-level node is built. */
  get done(): boolean {
    return this.next >= this.top.childCount
  }

  /**
   * Builds the next top-level nodes: at least one, and more while they hold fewer than
   * the step size's positions together (a Y.Doc for each of thousands of short clauses would
   * cost six times the whole seed). Returns false when there was none left.
   */
  step(): boolean {
    if (this.done) return false
    const nodes: ProseMirrorNode[] = []
    let size = 0
    while (this.next < this.top.childCount && (nodes.length === 0 || size < this.stepSize)) {
      const node = this.top.child(this.next++)
      nodes.push(node)
      size += node.nodeSize
    }
    const doc = new Y.Doc()
    doc.clientID = this.client
    try {
      const fragment = doc.getXmlFragment(RICH_TEXT_FIELD)
      prosemirrorToYXmlFragment(this.top.type.create(this.top.attrs, nodes), fragment)
      const elements = new Map<string, Y.XmlElement>()
      indexClauses(fragment, elements)
      const offset = this.clock
      for (const [id, element] of elements) {
        // Of two clauses with one id, the first in the text (as in the whole seed).
        if (this.items.has(id)) continue
        // A seed's formatting items are never read (a deletion is mapped to clocks only): left
        // out, they keep no item of this Y.Doc alive.
        this.items.set(
          id,
          clauseItems(element).map((run) => ({ ...run, clock: run.clock + offset, formats: [] })),
        )
      }
      this.clock += Y.getState(doc.store, this.client)
    } finally {
      doc.destroy()
    }
    return true
  }

  /** The items of clause `clauseId` (none: no such clause), building the nodes up to it. */
  clause(clauseId: string): ClauseItems {
    for (;;) {
      const found = this.items.get(clauseId)
      if (found) return found
      if (!this.step()) return []
    }
  }
}

/** Seeds per iteration JSON and seed client, each built as far as it was read. */
const seeds = new WeakMap<JSONContent, Map<number, SeedClauses | null>>()

/**
 * The one {@link SeedClauses} of `iteration` under `client` (kept while the JSON object lives), or
 * null when they do not read.
 */
export function seedClausesOf(iteration: JSONContent, client: number): SeedClauses | null {
  let byClient = seeds.get(iteration)
  if (!byClient) {
    byClient = new Map()
    seeds.set(iteration, byClient)
  }
  let seed = byClient.get(client)
  if (seed === undefined) {
    try {
      seed = new SeedClauses(iteration, client)
    } catch {
      seed = null
    }
    byClient.set(client, seed)
  }
  return seed
}

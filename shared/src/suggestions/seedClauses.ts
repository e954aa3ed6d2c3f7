/**
 * The items of each clause of a copy's seed (copySeed.ts) without building the whole seed at once.
 *
 * The seed is iteration N written into one Y.Doc under one client: its top-level nodes one after
 * the other, and Yjs numbers a client's items in the order it integrates them, an element's
 * attributes and content right after the element. So the items of each top-level node are those it
 * gets written alone into a Y.Doc of its own under the same client, their clocks shifted by the
 * clocks the nodes before it took (tests/unit/seedClauses.test.ts checks this against
 * `buildSeedDoc` clause by clause).
 *
 * Building the seed of a 150-page text costs a few hundred milliseconds at once; node by node, a
 * reader builds only the nodes up to the clause it asks about, and the browser builds the rest when
 * it is idle ({@link SeedClauses.step}).
 */
import type { JSONContent } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { prosemirrorToYXmlFragment } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { getDocumentSchema, RICH_TEXT_FIELD } from '../schema'
import { type ClauseItems, clauseItems, indexClauses } from './clauseItems'

/** The items of a seed's clauses by clause id, read one top-level node at a time. */
export class SeedClauses {
  private readonly top: ProseMirrorNode
  /** The next top-level node to build. */
  private next = 0
  /** The clocks the nodes built so far took. */
  private clock = 0
  private readonly items = new Map<string, ClauseItems>()

  /**
   * The seed of `iteration` (ProseMirror JSON of the document schema) under `client` (an integer
   * 0..2^32-1), as `buildSeedDoc` writes it. Nothing is built yet. Throws RangeError for an invalid
   * client or a document the schema does not take.
   */
  constructor(
    iteration: JSONContent,
    private readonly client: number,
  ) {
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

  /** Builds the next top-level node; returns false when there was none left. */
  step(): boolean {
    if (this.done) return false
    const node = this.top.child(this.next++)
    const doc = new Y.Doc()
    doc.clientID = this.client
    try {
      const fragment = doc.getXmlFragment(RICH_TEXT_FIELD)
      prosemirrorToYXmlFragment(this.top.type.create(this.top.attrs, node), fragment)
      const elements = new Map<string, Y.XmlElement>()
      indexClauses(fragment, elements)
      const offset = this.clock
      for (const [id, element] of elements) {
        // Of two clauses with one id, the first in the text (as in the whole seed).
        if (this.items.has(id)) continue
        this.items.set(
          id,
          clauseItems(element).map((run) => ({ ...run, clock: run.clock + offset })),
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

/**
 * A party's draft suggestions: the changes of its copy of an iteration (`<neg>.suggest.<party>.<N>`)
 * against that iteration, clause by clause, with their authors (from the copy's server-only roots)
 * and the party's rationale. Never stored: computed from the copy, and kept only until the copy
 * changes.
 */
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { copyAttributor } from '@onetext/shared/suggestions/attribution'
import { RATIONALES_ROOT, readSeed } from '@onetext/shared/suggestions/copyDoc'
import { diffDocument } from '@onetext/shared/suggestions/diff'
import type { JSONContent } from '@tiptap/core'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import type { NegotiationDocs } from './NegotiationDocs'
import { changeKey, type DraftGroup } from './suggestionRecords'

export class SuggestionDrafts {
  constructor(private readonly docs: NegotiationDocs) {}

  /**
   * The changes of party `partyId`'s copy of iteration `iteration`, by clause, leaving out those
   * whose keys are in `taken`; with `clauseId`, of that clause only. None when the copy is not
   * seeded from that iteration. Computed once per state of the copy.
   */
  async drafts(
    negotiationId: string,
    partyId: string,
    iteration: number,
    taken: ReadonlySet<string>,
    clauseId?: string,
  ): Promise<DraftGroup[]> {
    const name = this.docs.copyName(negotiationId, partyId, iteration)
    const all = await this.docs.registry.withDocument(name, async (document) => {
      const copyDoc = document.doc
      if (readSeed(copyDoc)?.iteration !== iteration) return []
      const cached = this.draftCache.get(name)
      if (cached && cached.state === stateKey(copyDoc)) return cached.groups
      const record = await this.docs.iteration(negotiationId, iteration)
      if (!record) return []
      const state = stateKey(copyDoc)
      const groups = copyChanges(copyDoc, record.doc)
      this.draftCache.delete(name)
      this.draftCache.set(name, { state, groups })
      const oldest = this.draftCache.keys().next()
      if (this.draftCache.size > MAX_CACHED_COPIES && !oldest.done)
        this.draftCache.delete(oldest.value)
      return groups
    })
    const out: DraftGroup[] = []
    for (const group of all) {
      if (clauseId !== undefined && group.clauseId !== clauseId) continue
      const changes = group.changes.filter(
        ({ change }) => !taken.has(changeKey(group.clauseId, change)),
      )
      if (changes.length > 0) out.push({ ...group, changes })
    }
    return out
  }

  /** Each copy's changes as last computed, with the copy's state vector then (oldest first). */
  private readonly draftCache = new Map<string, { state: string; groups: DraftGroup[] }>()
}

/** Copies whose computed changes are kept (see SuggestionDrafts.drafts). */
const MAX_CACHED_COPIES = 64

/** A copy's state, to tell whether its computed changes still hold. */
function stateKey(doc: Y.Doc): string {
  return Buffer.from(Y.encodeStateVector(doc)).toString('base64')
}

/** Every clause's changes in a party copy against the iteration it was seeded from. */
function copyChanges(copyDoc: Y.Doc, iterationDoc: JSONContent): DraftGroup[] {
  const schema = getDocumentSchema()
  const base = schema.nodeFromJSON(iterationDoc)
  const copy = yXmlFragmentToProseMirrorRootNode(copyDoc.getXmlFragment(RICH_TEXT_FIELD), schema)
  const attribute = copyAttributor(copyDoc, iterationDoc)
  const groups: DraftGroup[] = []
  for (const [clauseId, diff] of diffDocument(base, copy)) {
    if (diff.changes.length === 0) continue
    const authors = attribute(diff)
    groups.push({
      clauseId,
      changes: diff.changes.map((change, index) => ({
        change,
        author: authors[index] ?? null,
        index,
      })),
      rationale: readRationale(copyDoc, clauseId),
    })
  }
  return groups
}

/** The party's rationale for a clause, from its copy. */
function readRationale(copy: Y.Doc, clauseId: string): string {
  const text = copy.getMap<unknown>(RATIONALES_ROOT).get(clauseId)
  return text === undefined || text === null ? '' : String(text)
}

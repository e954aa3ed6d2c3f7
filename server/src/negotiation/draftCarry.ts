/**
 * Carrying a party's unshared (draft) changes from its copy of Single Text N into its copy of
 * N+1 when that copy is first seeded. The open changes of copy N (those not decided in the status
 * document: not accepted, rejected or marked outdated) are rebased from N's clause tokens onto
 * N+1's; the ones that carry are replayed into the fresh copy, each under a client ID of its own
 * that the server records for the change's original author (ClientOwners and the copy's
 * `attribution` root), with an insertion-time checkpoint at the change's original time and, for
 * the seed words it deletes, a journal entry naming its author: attribution stays "the owner of
 * the item's client" and "the journal's deleter". Changes that do not carry stay in copy N
 * (read-only once N+1 exists), listed as outdated drafts written against N.
 *
 * Reading copy N's changes and replaying them are also written as steps with pause points between
 * clauses and changes ({@link copyChangeSteps}, {@link replaySteps}), so that the server runs them
 * in slices (timeSlices.ts) while it goes on serving; each clause is aligned with its next version
 * once, however many changes it holds.
 */
import { CLAUSE_ID_ATTRIBUTE } from '@onetext/shared/clauses'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { applyChanges, type PlacedChange } from '@onetext/shared/suggestions/applyChange'
import { copyAttributor } from '@onetext/shared/suggestions/attribution'
import {
  ATTRIBUTION_ROOT,
  JOURNAL_ROOT,
  type JournalEntry,
  RATIONALES_ROOT,
  readSeed,
} from '@onetext/shared/suggestions/copyDoc'
import { diffClause } from '@onetext/shared/suggestions/diff'
import { clauseRebaser } from '@onetext/shared/suggestions/rebase'
import { type ClauseToken, clauseTokens } from '@onetext/shared/suggestions/tokens'
import type { JSONContent } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import {
  updateYFragment,
  yXmlFragmentToProseMirrorFragment,
  yXmlFragmentToProseMirrorRootNode,
} from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { findClauseElement, forEachClauseElement } from './draftOps'
import { clauseNodesById } from './suggestionChanges'
import { type AuthoredChange, changeKey, type DraftGroup } from './suggestionRecords'
import { runNow, type Steps } from './timeSlices'

/** A token span of a clause. */
interface Span {
  from: number
  to: number
}

/**
 * Iterations' ProseMirror documents by their JSON: one document per JSON object, so that reading a
 * copy's changes and replaying them tokenize the iteration's clauses once (tokens.ts keeps each
 * node's tokens).
 */
const iterationNodes = new WeakMap<JSONContent, PMNode>()

function iterationNode(json: JSONContent): PMNode {
  let node = iterationNodes.get(json)
  if (!node) {
    node = getDocumentSchema().nodeFromJSON(json)
    iterationNodes.set(json, node)
  }
  return node
}

/**
 * The changes of `copy` (a party's copy of the iteration whose JSON is `iteration`) by clause,
 * attributed, leaving out those whose keys ({@link changeKey}) are in `skip`; with `clauseId`, of
 * that clause only. Empty when the copy is not seeded.
 */
export function copyChanges(
  copy: Y.Doc,
  iteration: JSONContent,
  skip: ReadonlySet<string>,
  clauseId?: string,
): DraftGroup[] {
  return runNow(copyChangeSteps(copy, iteration, skip, clauseId))
}

/**
 * {@link copyChanges} as steps with a pause point after each clause with changes (timeSlices.ts).
 * The copy must not change until they end (a copy of an iteration that is not the latest does not).
 */
export function* copyChangeSteps(
  copy: Y.Doc,
  iteration: JSONContent,
  skip: ReadonlySet<string>,
  clauseId?: string,
): Steps<DraftGroup[]> {
  if (readSeed(copy) === null) return []
  const schema = getDocumentSchema()
  const base = iterationNode(iteration)
  yield
  const copyNode = yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(RICH_TEXT_FIELD), schema)
  yield
  const baseClauses = clauseNodesById(base)
  const copyClauses = clauseNodesById(copyNode)
  yield
  const rationales = copy.getMap<unknown>(RATIONALES_ROOT)
  const attribute = copyAttributor(copy, iteration)
  const groups: DraftGroup[] = []
  // diffDocument's clauses, in its order, one at a time.
  for (const [id, copyClause] of copyClauses) {
    const baseClause = baseClauses.get(id)
    if (!baseClause || (clauseId !== undefined && id !== clauseId)) continue
    // A clause the party left as it was has no changes (comparing is cheaper than tokenizing).
    if (baseClause.eq(copyClause)) continue
    const diff = diffClause(baseClause, copyClause)
    yield
    if (diff.changes.length === 0) continue
    const authors = attribute(diff)
    const changes = diff.changes
      .map((change, index) => ({ change, author: authors[index] ?? null, index }))
      .filter(({ change }) => !skip.has(changeKey(id, change)))
    if (changes.length === 0) continue
    const rationale = rationales.get(id)
    groups.push({
      clauseId: id,
      changes,
      rationale: rationale === undefined || rationale === null ? '' : String(rationale),
    })
    yield
  }
  return groups
}

/**
 * Where each of `changes` (written against `from`) lands in `onto`, by its index in the diff, or
 * absent when it does not carry; a change and its paired change (both among `changes`) carry
 * together or not at all. The two clauses are aligned once for all the changes.
 */
export function draftSpans(
  changes: readonly AuthoredChange[],
  from: ClauseToken[],
  onto: ClauseToken[] | null,
): Map<number, Span> {
  const spans = new Map<number, Span>()
  if (onto === null) return spans
  const rebase = clauseRebaser(from, onto)
  const byIndex = new Map(changes.map((entry) => [entry.index, entry]))
  for (const { change, index } of changes) {
    const partner = change.pairedWith === undefined ? undefined : byIndex.get(change.pairedWith)
    let span: Span | 'outdated'
    try {
      span = rebase(change, partner ? { paired: partner.change.base } : {})
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      span = 'outdated'
    }
    if (span !== 'outdated') spans.set(index, span)
  }
  for (const { change, index } of changes) {
    const partner = change.pairedWith === undefined ? undefined : byIndex.get(change.pairedWith)
    if (partner && spans.has(partner.index) !== spans.has(index)) {
      spans.delete(index)
      spans.delete(partner.index)
    }
  }
  return spans
}

/** One replayed step: a change, or a replacement (a delete and its insert) by one author. */
interface Unit {
  entries: AuthoredChange[]
  placed: PlacedChange[]
  from: number
  to: number
}

/** The units of the carried `changes` of one clause, from the end of the clause backwards. */
function unitsOf(changes: readonly AuthoredChange[], spans: ReadonlyMap<number, Span>): Unit[] {
  const used = new Set<number>()
  const byIndex = new Map(changes.map((entry) => [entry.index, entry]))
  const units: Unit[] = []
  for (const entry of changes) {
    const span = spans.get(entry.index)
    if (!span || used.has(entry.index)) continue
    used.add(entry.index)
    const members = [entry]
    const partner =
      entry.change.pairedWith === undefined ? undefined : byIndex.get(entry.change.pairedWith)
    if (
      partner &&
      spans.has(partner.index) &&
      !used.has(partner.index) &&
      partner.author?.userId === entry.author?.userId
    ) {
      used.add(partner.index)
      members.push(partner)
    }
    const placed = members.map((member) => ({
      change: member.change,
      span: spans.get(member.index) as Span,
    }))
    units.push({
      entries: members,
      placed,
      from: Math.min(...placed.map((p) => p.span.from)),
      to: Math.max(...placed.map((p) => p.span.to)),
    })
  }
  return units.sort((a, b) => b.from - a.from || b.to - b.from - (a.to - a.from))
}

/** What replaying drafts did. */
export interface DraftCarryOutcome {
  carried: number
  outdated: number
}

/** Who a replayed change is recorded for: its author, or the server when it is unknown. */
export interface ReplayOwner {
  /** Records `client` as the author's (or, for `null`, the server's) in the ownership record. */
  claim(client: number, author: AuthoredChange['author']): void
  /** A client ID nobody owns and the document does not write under. */
  freshClient(doc: Y.Doc): number
}

/**
 * Finds clause elements of `doc` by id from an index built on the first look-up; an element the
 * index does not hold, or one deleted since, is looked for again ({@link findClauseElement}).
 */
function clauseElementFinder(doc: Y.Doc): (clauseId: string) => Y.XmlElement | null {
  let index: Map<string, Y.XmlElement> | null = null
  return (clauseId) => {
    if (!index) {
      const built = new Map<string, Y.XmlElement>()
      forEachClauseElement(doc.getXmlFragment(RICH_TEXT_FIELD), (clause) => {
        const id = clause.getAttribute(CLAUSE_ID_ATTRIBUTE)
        if (typeof id === 'string' && !built.has(id)) built.set(id, clause)
      })
      index = built
    }
    const element = index.get(clauseId)
    if (element && !element._item?.deleted) return element
    return findClauseElement(doc, clauseId)
  }
}

function clauseNodeOf(element: Y.XmlElement): PMNode {
  const schema = getDocumentSchema()
  const type = schema.nodes.clause
  if (!type) throw new Error('the schema has no clause node')
  return type.create(element.getAttributes(), yXmlFragmentToProseMirrorFragment(element, schema))
}

/**
 * Replays `groups` (open changes of the copy of iteration N, whose JSON is `from`) into `target`,
 * a freshly seeded copy of iteration N+1, in one transaction of `origin`: each carried change
 * under a fresh client ID `owner` claims for its author (see the module comment), and the
 * rationales of the clauses with carried changes. Answers how many changes carried.
 */
export function replayDrafts(
  target: Y.Doc,
  groups: readonly DraftGroup[],
  from: JSONContent,
  owner: ReplayOwner,
  origin: unknown,
): DraftCarryOutcome {
  return runNow(replaySteps(target, groups, from, owner, origin))
}

/**
 * {@link replayDrafts} as steps with a pause point after each change replayed (timeSlices.ts).
 * The changes are replayed into a copy of `target`, which gets them all at the end, at once.
 */
export function* replaySteps(
  target: Y.Doc,
  groups: readonly DraftGroup[],
  from: JSONContent,
  owner: ReplayOwner,
  origin: unknown,
): Steps<DraftCarryOutcome> {
  const outcome: DraftCarryOutcome = { carried: 0, outdated: 0 }
  const seed = readSeed(target)
  if (groups.length === 0 || seed === null) return outcome
  const schema = getDocumentSchema()
  const fromClauses = clauseNodesById(iterationNode(from))
  yield
  const work = new Y.Doc({ gc: target.gc })
  Y.applyUpdate(work, Y.encodeStateAsUpdate(target))
  const updates: Uint8Array[] = []
  work.on('update', (update: Uint8Array) => updates.push(update))
  const journal: JournalEntry[] = []
  const attribution: Array<[number, { userId: string; name: string }]> = []
  const rationales = new Map<string, string>()
  const findElement = clauseElementFinder(work)
  yield
  for (const group of groups) {
    const baseClause = fromClauses.get(group.clauseId)
    const element = findElement(group.clauseId)
    if (!baseClause || !element) {
      outcome.outdated += group.changes.length
      continue
    }
    const clause = clauseNodeOf(element)
    const ontoTokens = clauseTokens(clause)
    const spans = draftSpans(group.changes, clauseTokens(baseClause), ontoTokens)
    let current = clause
    let limit = Number.POSITIVE_INFINITY
    let carriedHere = 0
    for (const unit of unitsOf(group.changes, spans)) {
      if (unit.to > limit) continue
      let next: PMNode
      try {
        next = applyChanges(current, ontoTokens, unit.placed, schema)
      } catch (error) {
        if (error instanceof RangeError) continue
        throw error
      }
      limit = unit.from
      const author = unit.entries[0]?.author ?? null
      const at = Math.max(...unit.entries.map((entry) => entry.author?.at ?? 0))
      const client = owner.freshClient(work)
      owner.claim(client, author)
      work.clientID = client
      const deleted = (transaction: Y.Transaction) => {
        if (author === null) return
        const before = transaction.beforeState.get(seed.client) ?? 0
        for (const { clock, len } of transaction.deleteSet.clients.get(seed.client) ?? []) {
          const end = Math.min(clock + len, before)
          if (clock < end)
            journal.push({
              k: 'd',
              c: seed.client,
              s: clock,
              l: end - clock,
              u: author.userId,
              n: author.name,
              t: at,
            })
        }
      }
      work.once('afterTransaction', deleted)
      work.transact(() => {
        updateYFragment(work, element as unknown as Y.XmlFragment, next, {
          mapping: new Map(),
          isOMark: new Map(),
        })
      })
      if (author !== null) {
        attribution.push([client, { userId: author.userId, name: author.name }])
        journal.push({ k: 'i', c: client, s: 0, u: author.userId, t: at })
      }
      current = next
      carriedHere += unit.entries.length
      yield
    }
    outcome.carried += carriedHere
    outcome.outdated += group.changes.length - carriedHere
    if (carriedHere > 0 && group.rationale !== '') rationales.set(group.clauseId, group.rationale)
    yield
  }
  work.destroy()
  if (updates.length === 0) return outcome
  // Two transactions: one that applies an update is not local, and Yjs would take the server's
  // own writes in it for another client's under the same ID.
  Y.applyUpdate(target, Y.mergeUpdates(updates), origin)
  target.transact(() => {
    const map = target.getMap<unknown>(ATTRIBUTION_ROOT)
    for (const [client, entry] of attribution) map.set(String(client), entry)
    if (journal.length > 0) target.getArray<JournalEntry>(JOURNAL_ROOT).push(journal)
    const texts = target.getMap<unknown>(RATIONALES_ROOT)
    for (const [clauseId, text] of rationales)
      if (!texts.has(clauseId)) texts.set(clauseId, new Y.Text(text))
  }, origin)
  return outcome
}

/** The changes of `groups` that do not carry onto `onto` (iteration N+1's JSON), by clause. */
export function uncarriedDrafts(
  groups: readonly DraftGroup[],
  from: JSONContent,
  onto: JSONContent,
): DraftGroup[] {
  const fromClauses = clauseNodesById(iterationNode(from))
  const ontoClauses = clauseNodesById(iterationNode(onto))
  const out: DraftGroup[] = []
  for (const group of groups) {
    const baseClause = fromClauses.get(group.clauseId)
    const ontoClause = ontoClauses.get(group.clauseId)
    const spans =
      baseClause && ontoClause
        ? draftSpans(group.changes, clauseTokens(baseClause), clauseTokens(ontoClause))
        : new Map<number, Span>()
    const left = group.changes.filter((entry) => !spans.has(entry.index))
    if (left.length > 0) out.push({ ...group, changes: left })
  }
  return out
}

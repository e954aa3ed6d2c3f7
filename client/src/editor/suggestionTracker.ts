/**
 * The workings of suggesting mode's plugin (suggestionMarks.ts), apart from ProseMirror's calling
 * conventions: which clauses of the copy an edit changed, their comparison with the same clause of
 * iteration N, and their decorations.
 *
 * Only clauses an edit changed are compared again. Two documents are compared once, from both ends
 * (ProseMirror's `findDiffStart` / `findDiffEnd`, which skip a node the edit left alone without
 * reading it), and the stretch between is what changed: a clause outside it is the clause it was
 * (the same node, or for a remote edit, which Yjs hands over as a whole new document, an equal one
 * at the same place) and keeps its entry, its comparison and its decorations, mapped over the
 * stretch, without being walked. A keystroke compares the clause typed in and its ancestors,
 * whoever typed it; reading authors again walks every clause, comparing none.
 *
 * An edit inside words the copy inserts (typing on in them, or deleting some of them, whoever
 * typed) is compared once the editing pauses rather than at once: its comparison would show the
 * same insertion, longer or shorter, so the decorations are mapped over it (an insertion's
 * decoration takes in what is typed at its end) and its clause and their ancestors are `pending`,
 * compared when the view next reads their authors once the typing pauses, or by the next edit
 * that is not of this kind.
 */
import { CLAUSE_HEADING_NODE, CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import type { ChangeAuthor } from '@onetext/shared/suggestions/attribution'
import type { ClauseDiff } from '@onetext/shared/suggestions/diff'
import type { JSONContent } from '@tiptap/core'
import type { Node as ProseMirrorNode, Schema } from '@tiptap/pm/model'
import type { Transaction } from '@tiptap/pm/state'
import { Mapping, StepMap } from '@tiptap/pm/transform'
import { type Decoration, DecorationSet } from '@tiptap/pm/view'
import { clauseIdOfNode, forEachClauseNode } from './clauseSkeleton'
import { insideInsertion } from './insideInsertion'
import {
  type ChangeLook,
  type ChangeSpec,
  changeTitle,
  clauseChangeDecorations,
  decorationKey,
  newClauseDecorations,
} from './suggestionDecorations'

/** One clause of the copy as last compared. */
export interface ClauseEntry {
  node: ProseMirrorNode
  /** The comparison with iteration N's clause (a clause new in the copy: with an empty clause). */
  diff: ClauseDiff
  authors: Array<ChangeAuthor | null>
  /** True for a clause not in iteration N. */
  added: boolean
}

/** The plugin's state. */
export interface SuggestionState {
  entries: ReadonlyMap<string, ClauseEntry>
  decorations: DecorationSet
  /** The clauses the last transaction compared (for tests, and to read their authors again). */
  compared: string[]
  /** True when the last transaction compared clauses whose authors are read a moment later. */
  deferred: boolean
  /** The stretch the last transaction changed (null: none, or a state first shown). */
  range: ChangedRange | null
  /**
   * Clauses edited inside an insertion and not compared since (see the module comment): their
   * entries are as before the edit, their decorations mapped over it.
   */
  pending: ReadonlySet<string>
}

/** What the plugin needs. */
export interface SuggestionOptions {
  /** Iteration N as ProseMirror JSON (the shared schema). */
  base: JSONContent
  look: ChangeLook
  /** Compares one clause of the iteration with the same clause of the copy. */
  diff: (base: ProseMirrorNode, copy: ProseMirrorNode) => ClauseDiff
  /** The author of each change of a diff; default none known. */
  authors?: (diff: ClauseDiff) => Array<ChangeAuthor | null>
}

/** Which clauses' authors to read again: all, or those with these ids. */
export type AuthorsRefresh = 'all' | ReadonlySet<string>

/**
 * The stretch of a document an edit changed: `from` to `toBefore` in the document before it,
 * `from` to `toAfter` after it; all before `from` and all after the two ends is the same.
 */
export interface ChangedRange {
  from: number
  toBefore: number
  toAfter: number
}

/**
 * What changed between `before` and `after` (null: nothing). Nodes the two share are skipped
 * unread, so an edit inside one paragraph costs the depth of the tree; two documents that share
 * none (a remote edit) are read once.
 */
export function changedRange(before: ProseMirrorNode, after: ProseMirrorNode): ChangedRange | null {
  if (before === after) return null
  const from = before.content.findDiffStart(after.content)
  if (from === null) return null
  const end = before.content.findDiffEnd(after.content)
  let toBefore = end?.a ?? before.content.size
  let toAfter = end?.b ?? after.content.size
  // Repeated content ("a" typed after "a") lets the two ends cross: the stretch then starts at `from`.
  const overlap = from - Math.min(toBefore, toAfter)
  if (overlap > 0) {
    toBefore += overlap
    toAfter += overlap
  }
  return { from, toBefore, toAfter }
}

/** The mapping of positions over an edit that changed `range`. */
function rangeMapping(range: ChangedRange): Mapping {
  return new Mapping([
    new StepMap([range.from, range.toBefore - range.from, range.toAfter - range.from]),
  ])
}

/** The clause nodes of `doc` by clause id (the first holder of an id). */
export function clausesById(doc: ProseMirrorNode): Map<string, ProseMirrorNode> {
  const found = new Map<string, ProseMirrorNode>()
  forEachClauseNode(doc, ({ node }) => {
    const id = clauseIdOfNode(node)
    if (id !== null && !found.has(id)) found.set(id, node)
    return undefined
  })
  return found
}

/**
 * Calls `visit` for every clause node of `doc` that overlaps `from` to `to` (ends included), a
 * parent before its children, with the clause id of its parent clause; the others are skipped
 * unread, so a walk costs the clauses on the way.
 */
function forEachClauseIn(
  doc: ProseMirrorNode,
  from: number,
  to: number,
  visit: (node: ProseMirrorNode, pos: number, parentId: string | null) => void,
): void {
  const walk = (parent: ProseMirrorNode, start: number, parentId: string | null) => {
    parent.forEach((child, offset) => {
      if (child.type.name !== CLAUSE_NODE) return
      const pos = start + offset
      if (pos + child.nodeSize < from || pos > to) return
      visit(child, pos, parentId)
      walk(child, pos + 1, clauseIdOfNode(child))
    })
  }
  walk(doc, 0, null)
}

/**
 * The authors a clause compared again after an edit shows until they are read: those it
 * had when it has as many changes (typing inside a change), none otherwise.
 */
function keptAuthors(old: ClauseEntry | undefined, diff: ClauseDiff): Array<ChangeAuthor | null> {
  if (old && old.authors.length === diff.changes.length) return old.authors
  return diff.changes.map(() => null)
}

const NONE: ReadonlySet<string> = new Set()

/** An empty clause with `clauseId`: what a clause new in the copy is compared with. */
function emptyClause(schema: Schema, clauseId: string): ProseMirrorNode {
  const clause = schema.nodes[CLAUSE_NODE]
  const heading = schema.nodes[CLAUSE_HEADING_NODE]
  if (!clause || !heading) throw new RangeError('the schema has no clauses')
  return clause.create({ [CLAUSE_ID_ATTRIBUTE]: clauseId }, heading.create())
}

/** Tracks the copy's clauses against iteration N (see the module comment); unit-tested. */
export class SuggestionTracker {
  private readonly base: Map<string, ProseMirrorNode>

  constructor(
    private readonly options: SuggestionOptions,
    schema: Schema,
  ) {
    this.base = clausesById(schema.nodeFromJSON(options.base))
  }

  /** The state for a document first shown. */
  init(doc: ProseMirrorNode): SuggestionState {
    return this.update(
      {
        entries: new Map(),
        decorations: DecorationSet.empty,
        compared: [],
        deferred: false,
        range: null,
        pending: NONE,
      },
      doc,
      null,
      null,
    )
  }

  /**
   * The state after `tr` (null: none, `doc` is new). Clauses the transaction left alone keep their
   * comparison and decorations (mapped); `authors`: the clauses whose authors to read again.
   */
  update(
    previous: SuggestionState,
    doc: ProseMirrorNode,
    tr: Transaction | null,
    authors: AuthorsRefresh | null,
  ): SuggestionState {
    const before = tr ? tr.before : null
    const range = before ? changedRange(before, doc) : null
    if (tr !== null && authors === null && range !== null) {
      const held = insideInsertion(previous.decorations, tr.before, doc, range)
      if (held) {
        const pending = new Set(previous.pending)
        for (const id of held) pending.add(id)
        const decorations = previous.decorations.map(rangeMapping(range), doc)
        return { ...previous, decorations, compared: [], deferred: true, range, pending }
      }
    }
    // Every clause outside the stretch the transaction changed is the clause it was: its entry is
    // kept as it is (for a remote edit, with the equal node of the document before).
    const entries = new Map<string, ClauseEntry>(tr ? previous.entries : [])
    const seen = new Set<string>()
    const stale = new Set<string>()
    // Where the decorations of the clauses in `stale` are (in `doc`), to find them quickly.
    let staleFrom = Number.POSITIVE_INFINITY
    let staleTo = Number.NEGATIVE_INFINITY
    let added: Decoration[] = []
    const compared: string[] = []
    const stillPending = new Set<string>()
    const reread = (id: string) => authors === 'all' || authors?.has(id) === true
    // An edit: its authors are read a moment later (the view's timer), once per burst of typing
    // rather than on every keystroke (a local edit's Yjs items are written after it, too); until
    // then the clause keeps what it knew.
    const deferred = tr !== null && authors === null
    const visit = (node: ProseMirrorNode, pos: number, parentId: string | null) => {
      const id = clauseIdOfNode(node)
      if (id === null || seen.has(id)) return
      seen.add(id)
      const old = previous.entries.get(id)
      const end = pos + node.nodeSize
      // Its decorations are drawn again when it touches the stretch; it is compared again when
      // the stretch is inside it (one that only ends where the stretch starts, or starts where
      // it ends, is the clause it was).
      const held = previous.pending.has(id)
      // Authors read while the typing goes on leave such a clause pending until the pause.
      if (held && authors !== null && !reread(id)) {
        stillPending.add(id)
        return
      }
      const touched =
        tr === null || held || (range !== null && end >= range.from && pos <= range.toAfter)
      const changed =
        tr === null ||
        held ||
        (range !== null && end > range.from && pos < range.toAfter && old?.node !== node)
      let entry: ClauseEntry
      if (old && !touched && !reread(id)) return
      if (old && !changed) {
        // Unchanged, but its decorations are drawn again: asked for its authors, or at an end of
        // the stretch the edit changed.
        entry = { ...old, node, authors: reread(id) ? this.authorsOf(old.diff) : old.authors }
      } else {
        const baseNode = this.base.get(id)
        const diff = this.options.diff(baseNode ?? emptyClause(doc.type.schema, id), node)
        compared.push(id)
        entry = {
          node,
          diff,
          authors: deferred ? keptAuthors(old, diff) : this.authorsOf(diff),
          added: baseNode === undefined,
        }
      }
      stale.add(id)
      staleFrom = Math.min(staleFrom, pos)
      staleTo = Math.max(staleTo, end)
      entries.set(id, entry)
      added.push(...this.decorate(entry, pos, parentId === null))
    }
    let gone = false
    if (tr !== null && authors === null) {
      // An edit: only the clauses in the stretch are walked; those that were there before and are
      // not any more are gone (wherever else they were, the text is as it was).
      if (range !== null) {
        forEachClauseIn(doc, range.from, range.toAfter, visit)
        forEachClauseIn(tr.before, range.from, range.toBefore, (node) => {
          const id = clauseIdOfNode(node)
          if (id === null || seen.has(id) || !entries.delete(id)) return
          stale.add(id)
          gone = true
        })
      }
      // Clauses edited inside an insertion before, outside this stretch: compared now.
      if (previous.pending.size > 0)
        forEachClauseNode(doc, ({ node, pos, parentId }) => {
          const id = clauseIdOfNode(node)
          if (id !== null && previous.pending.has(id)) visit(node, pos, parentId)
          return undefined
        })
    } else {
      forEachClauseNode(doc, ({ node, pos, parentId }) => {
        visit(node, pos, parentId)
        return undefined
      })
      for (const id of previous.entries.keys())
        if (!seen.has(id) && entries.delete(id)) {
          stale.add(id)
          gone = true
        }
    }
    let decorations = previous.decorations
    if (range) decorations = decorations.map(rangeMapping(range), doc)
    if (stale.size > 0) {
      // A stale clause's decorations are within it, or, where it moved from, at the ends of the
      // stretch the edit changed; a clause gone from the copy may have left them anywhere.
      if (range) {
        staleFrom = Math.min(staleFrom, range.from)
        staleTo = Math.max(staleTo, range.toAfter)
      }
      const all = gone || staleFrom > staleTo
      const old = decorations.find(all ? undefined : staleFrom, all ? undefined : staleTo, (spec) =>
        stale.has((spec as Partial<ChangeSpec>).clauseId ?? ''),
      )
      // Only those that differ are replaced: ProseMirror finds the others unchanged (the same
      // decorations in the same sets) and draws nothing of them again.
      const unmatched = new Map<string, Decoration[]>()
      for (const decoration of old) {
        const key = decorationKey(decoration)
        const list = unmatched.get(key)
        if (list) list.push(decoration)
        else unmatched.set(key, [decoration])
      }
      added = added.filter(
        (decoration) => unmatched.get(decorationKey(decoration))?.pop() === undefined,
      )
      const dropped = [...unmatched.values()].flat()
      if (dropped.length > 0) decorations = decorations.remove(dropped)
    }
    if (added.length > 0) decorations = decorations.add(doc, added)
    const pending = stillPending.size > 0 ? stillPending : NONE
    return { entries, decorations, compared, deferred, range, pending }
  }

  private authorsOf(diff: ClauseDiff): Array<ChangeAuthor | null> {
    if (diff.changes.length === 0 || !this.options.authors) return diff.changes.map(() => null)
    return this.options.authors(diff)
  }

  /** The decorations of one clause at `pos`; a new top-level clause also gets its bar here. */
  private decorate(entry: ClauseEntry, pos: number, topLevel: boolean): Decoration[] {
    const { look } = this.options
    const found = clauseChangeDecorations(pos, entry.diff, entry.authors, look)
    if (entry.added && topLevel) {
      const author = entry.authors.find((candidate) => candidate !== null) ?? null
      found.push(
        ...newClauseDecorations(
          pos,
          pos + entry.node.nodeSize,
          {
            style: `--sugg-color: ${look.color}`,
            title: changeTitle('insert', author, look, 'Clause added'),
            'data-change': 'insert',
            'data-party': look.partyId,
          },
          {
            clauseId: entry.diff.clauseId,
            change: -1,
            kind: 'clause',
            title: changeTitle('insert', author, look, 'Clause added'),
          },
        ),
      )
    }
    return found
  }
}

/**
 * Suggesting mode's tracked changes: a ProseMirror plugin for the editor of a party's copy of
 * iteration N that compares each clause of the live copy with the same clause (by clause id) of
 * iteration N (`diffClause`, a word diff of the clause's own content, child clauses one token
 * each) and shows the changes in place (see suggestionDecorations.ts).
 *
 * Only clauses whose node changed are compared again: ProseMirror keeps every node an edit leaves
 * alone, so the cache is keyed by node identity, and a clause whose node is the cached one is
 * skipped with everything under it. A keystroke compares the clause typed in and its ancestors.
 * Authors come from the copy's server-written roots (`attributeChanges`); they are read again when
 * those roots change, and shortly after an edit (a local edit's Yjs items exist only once the editor
 * has written them).
 */
import { CLAUSE_HEADING_NODE, CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import { attributeChanges, type ChangeAuthor } from '@onetext/shared/suggestions/attribution'
import { ATTRIBUTION_ROOT, JOURNAL_ROOT } from '@onetext/shared/suggestions/copyDoc'
import { type ClauseDiff, diffClause } from '@onetext/shared/suggestions/diff'
import { Extension, type JSONContent } from '@tiptap/core'
import type { Node as ProseMirrorNode, Schema } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { type Decoration, DecorationSet } from '@tiptap/pm/view'
import type * as Y from 'yjs'
import { clauseIdOfNode, forEachClauseNode } from './clauseSkeleton'
import {
  type ChangeLook,
  type ChangeSpec,
  changeTitle,
  clauseChangeDecorations,
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
  /** The ids of its child clauses (kept with it while its node is unchanged). */
  children: string[]
}

/** The plugin's state. */
export interface SuggestionState {
  entries: ReadonlyMap<string, ClauseEntry>
  decorations: DecorationSet
  /** The clauses the last transaction compared (for tests, and to read their authors again). */
  compared: string[]
  /** True when the last transaction compared clauses whose authors are read a moment later. */
  deferred: boolean
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

/** The plugin's key: its state, and the meta that asks it to read the authors again. */
export const suggestionMarksKey = new PluginKey<SuggestionState>('suggestionMarks')

/** Which clauses' authors to read again: all, or those with these ids. */
export type AuthorsRefresh = 'all' | ReadonlySet<string>

/** Meta of a transaction that asks for authors again. */
export interface AuthorsMeta {
  authors: AuthorsRefresh
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

function childClauseIds(node: ProseMirrorNode): string[] {
  const ids: string[] = []
  node.forEach((child) => {
    const id = child.type.name === CLAUSE_NODE ? clauseIdOfNode(child) : null
    if (id !== null) ids.push(id)
  })
  return ids
}

/**
 * The authors a clause compared again after an edit shows until they are read: those it
 * had when it has as many changes (typing inside a change), none otherwise.
 */
function keptAuthors(old: ClauseEntry | undefined, diff: ClauseDiff): Array<ChangeAuthor | null> {
  if (old && old.authors.length === diff.changes.length) return old.authors
  return diff.changes.map(() => null)
}

/** An empty clause with `clauseId`: what a clause new in the copy is compared with. */
function emptyClause(schema: Schema, clauseId: string): ProseMirrorNode {
  const clause = schema.nodes[CLAUSE_NODE]
  const heading = schema.nodes[CLAUSE_HEADING_NODE]
  if (!clause || !heading) throw new RangeError('the schema has no clauses')
  return clause.create({ [CLAUSE_ID_ATTRIBUTE]: clauseId }, heading.create())
}

/** The plugin's workings, apart from ProseMirror's calling conventions (unit-tested). */
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
      { entries: new Map(), decorations: DecorationSet.empty, compared: [], deferred: false },
      doc,
      null,
      null,
    )
  }

  /**
   * The state after `tr` (null: none, `doc` is new). Clauses whose node is unchanged keep their
   * comparison and decorations (mapped); `authors`: the clauses whose authors to read again.
   */
  update(
    previous: SuggestionState,
    doc: ProseMirrorNode,
    tr: Transaction | null,
    authors: AuthorsRefresh | null,
  ): SuggestionState {
    const entries = new Map<string, ClauseEntry>()
    const stale = new Set<string>()
    const added: Decoration[] = []
    const compared: string[] = []
    const reread = (id: string) => authors === 'all' || authors?.has(id) === true
    // An edit: its authors are read a moment later (the view's timer), once per burst of typing
    // rather than on every keystroke (a local edit's Yjs items are written after it, too); until
    // then the clause keeps what it knew.
    const deferred = tr !== null && authors === null
    const keep = (id: string) => {
      const entry = previous.entries.get(id)
      if (!entry || entries.has(id)) return
      entries.set(id, entry)
      for (const child of entry.children) keep(child)
    }
    forEachClauseNode(doc, ({ node, pos, parentId }) => {
      const id = clauseIdOfNode(node)
      if (id === null || entries.has(id)) return undefined
      const old = previous.entries.get(id)
      if (old && old.node === node && !reread(id)) {
        // Some clauses' authors are asked for: those may be below this one.
        if (authors !== null) {
          entries.set(id, old)
          return undefined
        }
        keep(id)
        return false
      }
      stale.add(id)
      let entry: ClauseEntry
      if (old && old.node === node) {
        entry = { ...old, authors: this.authorsOf(old.diff) }
      } else {
        const baseNode = this.base.get(id)
        const diff = this.options.diff(baseNode ?? emptyClause(doc.type.schema, id), node)
        compared.push(id)
        entry = {
          node,
          diff,
          authors: deferred ? keptAuthors(old, diff) : this.authorsOf(diff),
          added: baseNode === undefined,
          children: childClauseIds(node),
        }
      }
      entries.set(id, entry)
      added.push(...this.decorate(entry, pos, parentId === null))
      return undefined
    })
    for (const id of previous.entries.keys()) if (!entries.has(id)) stale.add(id)
    let decorations = tr ? previous.decorations.map(tr.mapping, doc) : previous.decorations
    if (stale.size > 0) {
      const old = decorations.find(undefined, undefined, (spec) =>
        stale.has((spec as Partial<ChangeSpec>).clauseId ?? ''),
      )
      decorations = decorations.remove(old)
    }
    if (added.length > 0) decorations = decorations.add(doc, added)
    return { entries, decorations, compared, deferred }
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
          `${entry.diff.clauseId}:new`,
        ),
      )
    }
    return found
  }
}

/** The clauses whose authors `tr` asks to read again, if it does. */
function asksForAuthors(tr: Transaction): AuthorsRefresh | null {
  return (tr.getMeta(suggestionMarksKey) as AuthorsMeta | undefined)?.authors ?? null
}

/** How long after an edit its authors are read (a local edit's Yjs items exist by then). */
const AUTHORS_DELAY_MS = 150

/** What changed of the copy's records of who wrote what. */
export type RecordsChange = 'owners' | 'journal'

/**
 * The plugin. `onRecordsChanged(changed)`: called with a function to call whenever the copy's
 * attribution roots change (`owners`: a client ID was given an owner, every clause's authors are
 * read again; `journal`: those of the clauses compared since the last reading, which the journal's
 * new records are about); it returns a function that stops the calls (called on destroy).
 */
export function suggestionMarksPlugin(
  options: SuggestionOptions,
  schema: Schema,
  onRecordsChanged: (changed: (what: RecordsChange) => void) => () => void = () => () => {},
): Plugin<SuggestionState> {
  const tracker = new SuggestionTracker(options, schema)
  return new Plugin<SuggestionState>({
    key: suggestionMarksKey,
    state: {
      init: (_, state) => tracker.init(state.doc),
      apply: (tr, value, _old, state) => {
        const authors = asksForAuthors(tr)
        if (!tr.docChanged && authors === null) return value
        return tracker.update(value, state.doc, tr, authors)
      },
    },
    props: {
      decorations: (state) => suggestionMarksKey.getState(state)?.decorations,
    },
    view: (view) => {
      let timer: ReturnType<typeof setTimeout> | undefined
      let asked: 'all' | null = null
      // The clauses compared since their authors were last read again.
      let recent = new Set<string>()
      const refresh = () => {
        if (timer !== undefined) clearTimeout(timer)
        timer = undefined
        const authors: AuthorsRefresh = asked ?? recent
        asked = null
        recent = new Set()
        if (view.isDestroyed || (authors !== 'all' && authors.size === 0)) return
        view.dispatch(view.state.tr.setMeta(suggestionMarksKey, { authors }))
      }
      const stop = onRecordsChanged((what) => {
        if (what === 'owners') asked = 'all'
        queueMicrotask(refresh)
      })
      // The text may have been filled before this view was told of transactions (the editor's
      // first render of a synced copy): read every clause's authors once it has settled.
      asked = 'all'
      timer = setTimeout(refresh, AUTHORS_DELAY_MS)
      return {
        update: (_view, previous: EditorState) => {
          const state = suggestionMarksKey.getState(view.state)
          if (!state || state === suggestionMarksKey.getState(previous)) return
          for (const id of state.compared) recent.add(id)
          if (state.deferred && state.compared.length > 0 && timer === undefined)
            timer = setTimeout(refresh, AUTHORS_DELAY_MS)
        },
        destroy: () => {
          if (timer !== undefined) clearTimeout(timer)
          stop()
        },
      }
    },
  })
}

/** The change under position `pos` of `state`, with its spec, if any (for "at the caret" notes). */
export function changeAt(state: EditorState, pos: number): ChangeSpec | null {
  const decorations = suggestionMarksKey.getState(state)?.decorations
  if (!decorations) return null
  const found = decorations.find(Math.max(0, pos - 1), pos + 1)
  for (const decoration of found) {
    const spec = decoration.spec as Partial<ChangeSpec>
    if (spec.clauseId !== undefined && typeof spec.title === 'string') return spec as ChangeSpec
  }
  return null
}

/** Options of {@link SuggestionMarks}. */
export interface SuggestionMarksOptions {
  /** Iteration N as ProseMirror JSON; nothing is shown without it. */
  base: JSONContent | null
  /** The copy's Y.Doc, whose server-written roots say who made each change; null: no authors. */
  doc: Y.Doc | null
  /** Whose copy and who is looking; nothing is shown without it. */
  look: ChangeLook | null
}

/** Calls `changed` whenever the copy's attribution or journal changes; returns a stop function. */
function observeRecords(doc: Y.Doc, changed: (what: RecordsChange) => void): () => void {
  const attribution = doc.getMap<unknown>(ATTRIBUTION_ROOT)
  const journal = doc.getArray<unknown>(JOURNAL_ROOT)
  const owners = () => changed('owners')
  const entries = () => changed('journal')
  attribution.observe(owners)
  journal.observe(entries)
  return () => {
    attribution.unobserve(owners)
    journal.unobserve(entries)
  }
}

/**
 * The editor extension of suggesting mode: the changes of a party's copy against iteration N in
 * place (see {@link suggestionMarksPlugin}), authors read from the copy's `doc`.
 */
export const SuggestionMarks = Extension.create<SuggestionMarksOptions>({
  name: 'suggestionMarks',
  addOptions() {
    return { base: null, doc: null, look: null }
  },
  addProseMirrorPlugins() {
    const { base, doc, look } = this.options
    if (!base || !look) return []
    return [
      suggestionMarksPlugin(
        {
          base,
          look,
          diff: diffClause,
          ...(doc ? { authors: (diff: ClauseDiff) => attributeChanges(doc, diff, base) } : {}),
        },
        this.editor.schema,
        doc ? (changed) => observeRecords(doc, changed) : undefined,
      ),
    ]
  },
})

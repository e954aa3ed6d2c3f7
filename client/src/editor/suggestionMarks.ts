/**
 * Suggesting mode's tracked changes: a ProseMirror plugin for the editor of a party's copy of
 * iteration N that compares each clause of the live copy with the same clause (by clause id) of
 * iteration N (`diffClause`, a word diff of the clause's own content, child clauses one token
 * each) and shows the changes in place (see suggestionDecorations.ts). Only the clauses an edit
 * changed are compared again (suggestionTracker.ts): a keystroke compares the clause typed in and
 * its ancestors, a colleague's keystroke too, unless it only typed on in words already inserted
 * (those are compared once the typing pauses). Authors come from the copy's server-written roots
 * (`attributeChanges`, through {@link authorsReader}); they are read again when those roots change, and shortly after an edit (a
 * local edit's Yjs items exist only once the editor has written them). While a burst of typing
 * lasts, the insertion typed in is shown through a CSS highlight rather than its wrapper
 * (typingRun.ts), which it gets back once the typing pauses.
 */
import { type ChangeAuthor, copyAttributor } from '@onetext/shared/suggestions/attribution'
import { ATTRIBUTION_ROOT, JOURNAL_ROOT } from '@onetext/shared/suggestions/copyDoc'
import { type ClauseDiff, diffClause } from '@onetext/shared/suggestions/diff'
import { Extension, type JSONContent } from '@tiptap/core'
import type { Schema } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import type { DecorationSet } from '@tiptap/pm/view'
import type * as Y from 'yjs'
import { isRemoteTransaction } from './remoteTransaction'
import { warmSeedWhenIdle } from './seedWarmUp'
import type { ChangeLook, ChangeSpec } from './suggestionDecorations'
import {
  type AuthorsRefresh,
  type SuggestionOptions,
  type SuggestionState,
  SuggestionTracker,
} from './suggestionTracker'
import {
  canHighlightTyping,
  insertionAt,
  mapOverRange,
  TypingHighlight,
  type TypingRun,
  withoutWrapper,
} from './typingRun'

/** The plugin's state: the tracker's, and the insertion being typed, shown without its wrapper. */
export interface MarksState extends SuggestionState {
  /** The insertion the caret is typing in while a burst of typing lasts (typingRun.ts). */
  typing: TypingRun | null
  /** What the editor shows: `decorations` without the typing run's wrapper. */
  shown: DecorationSet
}

/** The plugin's key: its state, and the meta that asks it to read the authors again. */
export const suggestionMarksKey = new PluginKey<MarksState>('suggestionMarks')

/** Meta of a transaction that asks for authors again, or says that the typing paused. */
export interface AuthorsMeta {
  authors?: AuthorsRefresh
  /** True when the typing paused: the insertion typed in gets its wrapper back. */
  settle?: boolean
}

function marksMeta(tr: Transaction): AuthorsMeta | undefined {
  return tr.getMeta(suggestionMarksKey) as AuthorsMeta | undefined
}

/**
 * How long the editing must pause before the authors of the clauses edited are read (a local
 * edit's Yjs items exist by then) and the insertion typed in gets its wrapper back: once per burst
 * of typing, not on every keystroke...
 */
const AUTHORS_DELAY_MS = 150
/**
 * ...and at most this long after the first edit of a burst, so that long typing shows the authors
 * too (the insertion typed in stays without its wrapper until the typing pauses).
 */
const AUTHORS_MAX_DELAY_MS = 1_000

/** What changed of the copy's records of who wrote what. */
export type RecordsChange = 'owners' | 'journal'

/**
 * The insertion being typed after `tr`: where a local edit left a collapsed caret inside an
 * inserted run, that run; after other transactions, the one before, mapped; none once the typing
 * paused or when the browser has no CSS highlights to show it with.
 */
function typingAfter(
  tr: Transaction,
  previous: TypingRun | null,
  tracked: SuggestionState,
  state: EditorState,
  highlights: boolean,
): TypingRun | null {
  if (!highlights || marksMeta(tr)?.settle === true) return null
  let at: number | null = null
  if (tr.docChanged && !isRemoteTransaction(tr) && state.selection.empty) {
    at = state.selection.head
  } else if (previous !== null) {
    at = mapOverRange(previous.at, tracked.range)
  }
  if (at === null) return null
  const decoration = insertionAt(tracked.decorations, at)
  return decoration ? { at, decoration } : null
}

/**
 * The plugin. `onRecordsChanged(changed)`: called with a function to call whenever the copy's
 * attribution roots change (`owners`: a client ID was given an owner, every clause's authors are
 * read again; `journal`: those of the clauses compared since the last reading, which the journal's
 * new records are about); it returns a function that stops the calls (called on destroy).
 * `highlights` (default: whether the browser has CSS highlights): whether the insertion being
 * typed is shown through a highlight rather than its wrapper (typingRun.ts).
 */
export function suggestionMarksPlugin(
  options: SuggestionOptions,
  schema: Schema,
  onRecordsChanged: (changed: (what: RecordsChange) => void) => () => void = () => () => {},
  highlights = canHighlightTyping(),
): Plugin<MarksState> {
  const tracker = new SuggestionTracker(options, schema)
  return new Plugin<MarksState>({
    key: suggestionMarksKey,
    state: {
      init: (_, state) => {
        const tracked = tracker.init(state.doc)
        return { ...tracked, typing: null, shown: tracked.decorations }
      },
      apply: (tr, value, _old, state) => {
        const meta = marksMeta(tr)
        const authors = meta?.authors ?? null
        const settle = meta?.settle === true && value.typing !== null
        if (!tr.docChanged && authors === null && !settle) return value
        const tracked =
          tr.docChanged || authors !== null ? tracker.update(value, state.doc, tr, authors) : value
        const typing = typingAfter(tr, value.typing, tracked, state, highlights)
        const shown =
          tracked.decorations === value.decorations &&
          typing?.decoration === value.typing?.decoration
            ? value.shown
            : typing
              ? withoutWrapper(tracked.decorations, typing, state.doc)
              : tracked.decorations
        return { ...tracked, typing, shown }
      },
    },
    props: {
      decorations: (state) => suggestionMarksKey.getState(state)?.shown,
      // The party's colour for the highlight of the words being typed (styles.css).
      attributes: { style: `--sugg-color: ${options.look.color}` },
    },
    view: (view) => {
      const highlight = new TypingHighlight(view)
      let timer: ReturnType<typeof setTimeout> | undefined
      // When the first edit whose authors are not read yet was made, and the last (performance.now()).
      let pendingSince: number | null = null
      let lastEdit = 0
      let asked: 'all' | null = null
      // The clauses compared since their authors were last read again.
      let recent = new Set<string>()
      const refresh = () => {
        if (timer !== undefined) clearTimeout(timer)
        timer = undefined
        pendingSince = null
        let authors: AuthorsRefresh = asked ?? recent
        asked = null
        recent = new Set()
        if (view.isDestroyed) return
        const paused = performance.now() - lastEdit >= AUTHORS_DELAY_MS
        const current = suggestionMarksKey.getState(view.state)
        // Called once the typing paused (not by a long burst of typing, nor by new records): the
        // insertion typed in gets its wrapper back.
        const settle = current?.typing != null && paused
        // Clauses typed on in inserted words (suggestionTracker.ts) are compared once the typing
        // pauses; while it goes on, they wait for that.
        const pending = current?.pending
        if (authors !== 'all' && pending && pending.size > 0) {
          if (paused) authors = new Set([...authors, ...pending])
          else {
            const now = new Set<string>()
            for (const id of authors) (pending.has(id) ? recent : now).add(id)
            authors = now
          }
        }
        const meta: AuthorsMeta = {}
        if (authors === 'all' || authors.size > 0) meta.authors = authors
        if (settle) meta.settle = true
        if (meta.authors !== undefined || settle)
          view.dispatch(view.state.tr.setMeta(suggestionMarksKey, meta))
        // Called early (new records while the typing goes on): the wrapper still comes back once
        // the typing pauses.
        // What the dispatch above left waiting.
        const waiting = suggestionMarksKey.getState(view.state)
        if (
          !paused &&
          (waiting?.typing != null || (waiting?.pending.size ?? 0) > 0) &&
          timer === undefined
        )
          timer = setTimeout(tick, Math.max(0, lastEdit + AUTHORS_DELAY_MS - performance.now()))
      }
      // One timer a burst, not one a keystroke: when it fires before the typing paused (and before
      // the longest wait), it waits again for what is left.
      const tick = () => {
        timer = undefined
        const now = performance.now()
        if (pendingSince !== null) {
          const due = Math.min(lastEdit + AUTHORS_DELAY_MS, pendingSince + AUTHORS_MAX_DELAY_MS)
          if (due > now) {
            timer = setTimeout(tick, due - now)
            return
          }
        }
        refresh()
      }
      const stop = onRecordsChanged((what) => {
        if (what === 'owners') asked = 'all'
        queueMicrotask(refresh)
      })
      // The text may have been filled before this view was told of transactions (the editor's
      // first render of a synced copy): read every clause's authors once it has settled.
      asked = 'all'
      timer = setTimeout(tick, AUTHORS_DELAY_MS)
      return {
        update: (_view, previous: EditorState) => {
          const state = suggestionMarksKey.getState(view.state)
          const before = suggestionMarksKey.getState(previous)
          if (!state || state === before) return
          if (state.typing !== null || before?.typing != null) highlight.paint(state.typing)
          for (const id of state.compared) recent.add(id)
          for (const id of state.pending) recent.add(id)
          if (!state.deferred || (state.compared.length === 0 && state.pending.size === 0)) return
          lastEdit = performance.now()
          pendingSince ??= lastEdit
          timer ??= setTimeout(tick, AUTHORS_DELAY_MS)
        },
        destroy: () => {
          if (timer !== undefined) clearTimeout(timer)
          highlight.clear()
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

/** What the extension keeps: the stop of its seed's warm-up (seedWarmUp.ts). */
interface SuggestionMarksStorage {
  stopWarmUp: (() => void) | null
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

/** Each copy's count of transactions so far: an attributor made at another count may be stale. */
const transactionCounts = new WeakMap<Y.Doc, { value: number }>()

function transactionCount(doc: Y.Doc): { value: number } {
  let count = transactionCounts.get(doc)
  if (!count) {
    const made = { value: 0 }
    doc.on('afterTransaction', () => {
      made.value++
    })
    transactionCounts.set(doc, made)
    count = made
  }
  return count
}

/**
 * `attributeChanges` for the clauses of copy `doc` against iteration `base`, reading the copy's
 * records and clause elements once for every clause asked about until the copy next changes
 * (a reading of authors asks about the clause typed in, its ancestors and a colleague's clause:
 * each would otherwise read every record and walk the whole copy again).
 */
export function authorsReader(
  doc: Y.Doc,
  base: JSONContent,
): (diff: ClauseDiff) => Array<ChangeAuthor | null> {
  const count = transactionCount(doc)
  let cached: { at: number; attribute: (diff: ClauseDiff) => Array<ChangeAuthor | null> } | null =
    null
  return (diff) => {
    if (cached?.at !== count.value)
      cached = { at: count.value, attribute: copyAttributor(doc, base) }
    return cached.attribute(diff)
  }
}

/**
 * The editor extension of suggesting mode: the changes of a party's copy against iteration N in
 * place (see {@link suggestionMarksPlugin}), authors read from the copy's `doc`.
 */
export const SuggestionMarks = Extension.create<SuggestionMarksOptions, SuggestionMarksStorage>({
  name: 'suggestionMarks',
  addOptions() {
    return { base: null, doc: null, look: null }
  },
  addStorage() {
    return { stopWarmUp: null }
  },
  onCreate() {
    const { base, doc, look } = this.options
    // Who deleted words is read through the copy's seed: built in idle time, not at first need.
    if (base && doc && look) this.storage.stopWarmUp = warmSeedWhenIdle(doc, base)
  },
  onDestroy() {
    this.storage.stopWarmUp?.()
    this.storage.stopWarmUp = null
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
          ...(doc ? { authors: authorsReader(doc, base) } : {}),
        },
        this.editor.schema,
        doc ? (changed) => observeRecords(doc, changed) : undefined,
      ),
    ]
  },
})

/**
 * Suggesting mode's tracked changes: a ProseMirror plugin for the editor of a party's copy of
 * iteration N that compares each clause of the live copy with the same clause (by clause id) of
 * iteration N (`diffClause`, a word diff of the clause's own content, child clauses one token
 * each) and shows the changes in place (see suggestionDecorations.ts). Only the clauses an edit
 * changed are compared again (suggestionTracker.ts): a keystroke compares the clause typed in and
 * its ancestors, a colleague's keystroke too. Authors come from the copy's server-written roots
 * (`attributeChanges`); they are read again when those roots change, and shortly after an edit (a
 * local edit's Yjs items exist only once the editor has written them).
 */
import { attributeChanges } from '@onetext/shared/suggestions/attribution'
import { ATTRIBUTION_ROOT, JOURNAL_ROOT } from '@onetext/shared/suggestions/copyDoc'
import { type ClauseDiff, diffClause } from '@onetext/shared/suggestions/diff'
import { Extension, type JSONContent } from '@tiptap/core'
import type { Schema } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import type * as Y from 'yjs'
import type { ChangeLook, ChangeSpec } from './suggestionDecorations'
import {
  type AuthorsRefresh,
  type SuggestionOptions,
  type SuggestionState,
  SuggestionTracker,
} from './suggestionTracker'

/** The plugin's key: its state, and the meta that asks it to read the authors again. */
export const suggestionMarksKey = new PluginKey<SuggestionState>('suggestionMarks')

/** Meta of a transaction that asks for authors again. */
export interface AuthorsMeta {
  authors: AuthorsRefresh
}

/** The clauses whose authors `tr` asks to read again, if it does. */
function asksForAuthors(tr: Transaction): AuthorsRefresh | null {
  return (tr.getMeta(suggestionMarksKey) as AuthorsMeta | undefined)?.authors ?? null
}

/**
 * How long the editing must pause before the authors of the clauses edited are read (a local
 * edit's Yjs items exist by then): once per burst of typing, not on every keystroke...
 */
const AUTHORS_DELAY_MS = 150
/** ...and at most this long after the first edit of a burst, so that long typing shows them too. */
const AUTHORS_MAX_DELAY_MS = 1_000

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
      // When the first edit whose authors are not read yet was made (performance.now()).
      let pendingSince: number | null = null
      let asked: 'all' | null = null
      // The clauses compared since their authors were last read again.
      let recent = new Set<string>()
      const refresh = () => {
        if (timer !== undefined) clearTimeout(timer)
        timer = undefined
        pendingSince = null
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
          if (!state.deferred || state.compared.length === 0) return
          const now = performance.now()
          pendingSince ??= now
          if (timer !== undefined) clearTimeout(timer)
          const latest = pendingSince + AUTHORS_MAX_DELAY_MS - now
          timer = setTimeout(refresh, Math.max(0, Math.min(AUTHORS_DELAY_MS, latest)))
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

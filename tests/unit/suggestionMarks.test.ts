/**
 * Suggesting mode's decorations plugin: it compares with iteration N only the clauses whose node
 * changed (an edit compares the clause typed in and its ancestors, never its siblings), keeps the
 * decorations of the others where their words moved to, and shows an insertion, a deletion and a
 * new clause where they are, with their authors.
 */
import { getDocumentSchema } from '@onetext/shared/schema'
import type { ChangeAuthor } from '@onetext/shared/suggestions/attribution'
import { type ClauseDiff, diffClause } from '@onetext/shared/suggestions/diff'
import type { JSONContent } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state'
import type { Decoration } from '@tiptap/pm/view'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import { clausePosition } from '../../client/src/editor/clauseSkeleton'
import type { ChangeSpec } from '../../client/src/editor/suggestionDecorations'
import {
  type MarksState,
  suggestionMarksKey,
  suggestionMarksPlugin,
} from '../../client/src/editor/suggestionMarks'
import { clause, doc, paragraph, title } from '../helpers/docJson'

const schema = getDocumentSchema()

/** Iteration N: article 1 (a), article 2 (b) with section 2.1 (b1), article 3 (c). */
const BASE: JSONContent = doc(
  title('Agreement'),
  clause('Wages', 'a', paragraph('Base rates rise by three percent each year.')),
  clause(
    'Hours',
    'b',
    paragraph('The week has forty hours.'),
    clause('Overtime', 'b1', paragraph('Overtime is paid at time and a half.')),
  ),
  clause('Training', 'c', paragraph('Each employee receives forty hours of training.')),
)

const ANN: ChangeAuthor = { userId: 'u-ann', name: 'Ann Lee', at: Date.UTC(2026, 11, 3, 11, 42) }

function setup(highlights = false) {
  const compared: string[] = []
  const authorCalls: string[] = []
  const plugin = suggestionMarksPlugin(
    {
      base: BASE,
      look: {
        partyId: 'labor',
        color: '#b42318',
        userId: 'u-me',
        writer: true,
        moment: () => 'then',
      },
      diff: (base: ProseMirrorNode, copy: ProseMirrorNode): ClauseDiff => {
        compared.push(String(copy.attrs.clauseId))
        return diffClause(base, copy)
      },
      authors: (diff: ClauseDiff) => {
        authorCalls.push(diff.clauseId)
        return diff.changes.map(() => ANN)
      },
    },
    schema,
    undefined,
    highlights,
  )
  let state = EditorState.create({ doc: schema.nodeFromJSON(BASE), plugins: [plugin] })
  const apply = (build: (tr: Transaction) => Transaction) => {
    compared.length = 0
    authorCalls.length = 0
    state = state.apply(build(state.tr))
    return state
  }
  return {
    get state() {
      return state
    },
    compared,
    authorCalls,
    apply,
  }
}

/** The position of the first occurrence of `words` in `state`'s text. */
function textPosition(state: EditorState, words: string): number {
  let found = -1
  state.doc.descendants((node, pos) => {
    if (found >= 0) return false
    if (node.isText && node.text?.includes(words)) found = pos + (node.text.indexOf(words) ?? 0)
    return undefined
  })
  if (found < 0) throw new Error(`no "${words}" in the document`)
  return found
}

function pluginState(state: EditorState): MarksState {
  const value = suggestionMarksKey.getState(state)
  if (!value) throw new Error('the plugin has no state')
  return value
}

function decorationsOf(state: EditorState, clauseId: string): Decoration[] {
  return pluginState(state).decorations.find(
    undefined,
    undefined,
    (spec) => (spec as ChangeSpec).clauseId === clauseId,
  )
}

/** The one inserted run of `clauseId`'s decorations. */
function insertedRun(state: EditorState, clauseId: string): Decoration {
  const runs = decorationsOf(state, clauseId).filter(
    (found) => found.from < found.to && (found.spec as ChangeSpec).kind === 'insert',
  )
  if (runs.length !== 1) throw new Error(`${runs.length} inserted runs in ${clauseId}`)
  return runs[0] as Decoration
}

function inlineText(state: EditorState, decoration: Decoration): string {
  return state.doc.textBetween(decoration.from, decoration.to)
}

describe('suggestion marks', () => {
  it('compares every clause once at first, then only the clause typed in and its ancestors', () => {
    const editor = setup()
    expect(pluginState(editor.state).compared).toEqual(['a', 'b', 'b1', 'c'])
    expect(pluginState(editor.state).decorations.find()).toEqual([])

    editor.apply((tr) => tr.insertText(' paid', textPosition(editor.state, ' hours of training')))
    expect(editor.compared).toEqual(['c'])

    editor.apply((tr) => tr.insertText('double ', textPosition(editor.state, 'time and a half')))
    expect(editor.compared).toEqual(['b', 'b1'])
    expect(pluginState(editor.state).compared).toEqual(['b', 'b1'])

    // A transaction that changes nothing compares nothing.
    editor.apply((tr) => tr.setMeta('unrelated', true))
    expect(editor.compared).toEqual([])
  })

  it('compares typing on in inserted words once the typing pauses, and shows them inserted meanwhile', () => {
    const editor = setup()
    editor.apply((tr) => tr.insertText(' always', textPosition(editor.state, ' is paid at time')))
    expect(editor.compared).toEqual(['b', 'b1'])
    const run = () => insertedRun(editor.state, 'b1')
    expect(inlineText(editor.state, run())).toBe('always ')

    // Typed at the end of the inserted words and inside them, and a typing slip deleted: nothing
    // is compared, the insertion's decoration takes the words in.
    editor.apply((tr) => tr.insertText('and ', run().to))
    editor.apply((tr) => tr.insertText('x', run().from + 3))
    editor.apply((tr) => tr.delete(run().from + 3, run().from + 4))
    expect(editor.compared).toEqual([])
    expect(inlineText(editor.state, run())).toBe('always and ')
    expect([...pluginState(editor.state).pending].sort()).toEqual(['b', 'b1'])

    // Typed elsewhere meanwhile: the pending clauses are compared with the one typed in.
    editor.apply((tr) => tr.insertText(' paid', textPosition(editor.state, ' hours of training')))
    expect(editor.compared.sort()).toEqual(['b', 'b1', 'c'])
    expect(pluginState(editor.state).pending.size).toBe(0)
    expect(inlineText(editor.state, run())).toBe('always and ')

    // Typed on in it again: pending until the typing pauses, when the view asks for authors;
    // authors read of other clauses while the typing goes on leave it pending.
    editor.apply((tr) => tr.insertText('ever ', run().to))
    expect(editor.compared).toEqual([])
    editor.apply((tr) => tr.setMeta(suggestionMarksKey, { authors: new Set(['c']) }))
    expect(editor.compared).toEqual([])
    expect(editor.authorCalls).toEqual(['c'])
    expect([...pluginState(editor.state).pending].sort()).toEqual(['b', 'b1'])
    editor.apply((tr) =>
      tr.setMeta(suggestionMarksKey, { authors: pluginState(editor.state).pending, settle: true }),
    )
    expect(editor.compared.sort()).toEqual(['b', 'b1'])
    expect(inlineText(editor.state, run())).toBe('always and ever ')
  })

  it('compares at once what is typed just before inserted words or over all of them', () => {
    const editor = setup()
    editor.apply((tr) => tr.insertText(' always', textPosition(editor.state, ' is paid at time')))
    editor.apply((tr) => tr.insertText('n', insertedRun(editor.state, 'b1').from))
    expect(editor.compared).toEqual(['b', 'b1'])
    expect(inlineText(editor.state, insertedRun(editor.state, 'b1'))).toBe('nalways ')
    const { from, to } = insertedRun(editor.state, 'b1')
    editor.apply((tr) => tr.delete(from, to))
    expect(editor.compared).toEqual(['b', 'b1'])
    expect(pluginState(editor.state).pending.size).toBe(0)
    expect(decorationsOf(editor.state, 'b1')).toEqual([])
  })

  it('shows an insertion and a deletion, and keeps other clauses’ marks where their words moved', () => {
    const editor = setup()
    editor.apply((tr) => tr.insertText(' paid', textPosition(editor.state, ' hours of training')))
    const [paid] = decorationsOf(editor.state, 'c').filter((found) => found.from < found.to)
    expect(paid && inlineText(editor.state, paid).trim()).toBe('paid')

    // Select "three percent" in clause 1 and type over it: clause 3 moves, and is not compared.
    const from = textPosition(editor.state, 'three percent')
    editor.apply((tr) => tr.insertText('four', from, from + 'three percent'.length))
    expect(editor.compared).toEqual(['a'])
    const inClause1 = decorationsOf(editor.state, 'a')
    const specs = inClause1.map((found) => found.spec as ChangeSpec)
    expect(specs.map((spec) => spec.kind)).toContain('insert')
    expect(specs.map((spec) => spec.kind)).toContain('delete')
    const inserted = inClause1.filter((found) => found.from < found.to)
    expect(inserted.map((found) => inlineText(editor.state, found)).join('')).toContain('four')
    // A keystroke of the editor's own reads no authors (its Yjs items come after it); the view
    // asks for them once the typing pauses.
    expect(editor.authorCalls).toEqual([])
    editor.apply((tr) => tr.setMeta(suggestionMarksKey, { authors: new Set(['a']) }))
    expect(editor.authorCalls).toEqual(['a'])
    const read = decorationsOf(editor.state, 'a').map((found) => found.spec as ChangeSpec)
    expect(read.every((spec) => spec.title.includes('Ann Lee'))).toBe(true)
    expect(read.find((spec) => spec.kind === 'delete')?.title).toContain('three')

    const moved = decorationsOf(editor.state, 'c').filter((found) => found.from < found.to)
    expect(moved.map((found) => inlineText(editor.state, found).trim())).toEqual(['paid'])
  })

  it('reads authors again on request without comparing again: all, or the clauses named', () => {
    const editor = setup()
    editor.apply((tr) => tr.insertText(' paid', textPosition(editor.state, ' hours of training')))
    editor.apply((tr) => tr.insertText('double ', textPosition(editor.state, 'time and a half')))
    editor.apply((tr) => tr.setMeta(suggestionMarksKey, { authors: 'all' }))
    expect(editor.compared).toEqual([])
    expect(editor.authorCalls).toEqual(['b1', 'c'])
    editor.apply((tr) => tr.setMeta(suggestionMarksKey, { authors: new Set(['b1']) }))
    expect(editor.compared).toEqual([])
    expect(editor.authorCalls).toEqual(['b1'])
    expect(decorationsOf(editor.state, 'b1').length).toBeGreaterThan(0)
  })

  it('marks a new clause with a bar and its words as inserted', () => {
    const editor = setup()
    const at = clausePosition(editor.state.doc, 'c')
    if (at === null) throw new Error('no clause c')
    const added = schema.nodeFromJSON(clause('Pensions', 'd', paragraph('A pension plan.')))
    editor.apply((tr) => tr.insert(at, added))
    expect(editor.compared).toEqual(['d'])
    const marks = decorationsOf(editor.state, 'd')
    expect(marks.some((found) => (found.spec as ChangeSpec).kind === 'clause')).toBe(true)
    const words = marks
      .filter((found) => found.from < found.to && (found.spec as ChangeSpec).kind === 'insert')
      .map((found) => inlineText(editor.state, found))
      .join('')
    expect(words).toContain('A pension plan.')
  })

  it('shows the insertion typed in without its wrapper until the typing pauses', () => {
    const editor = setup(true)
    const typeAt = (text: string, at: number) =>
      editor.apply((tr) => {
        tr.insertText(text, at)
        return tr.setSelection(TextSelection.create(tr.doc, at + text.length))
      })
    const wrapped = (set: 'decorations' | 'shown', clauseId: string) =>
      pluginState(editor.state)
        [set].find(undefined, undefined, (spec) => (spec as ChangeSpec).clauseId === clauseId)
        .filter((found) => found.from < found.to && (found.spec as ChangeSpec).kind === 'insert')
        .map((found) => inlineText(editor.state, found).trim())
    let at = textPosition(editor.state, ' hours of training')
    typeAt(' pai', at)
    typeAt('d', at + 4)
    // The tracker still knows the insertion; the editor shows it without its wrapper.
    expect(wrapped('decorations', 'c')).toEqual(['paid'])
    expect(wrapped('shown', 'c')).toEqual([])
    expect(pluginState(editor.state).typing?.decoration.from).toBe(at + 1)

    // A colleague's edit elsewhere (a whole new document, as Yjs hands it over) keeps it so.
    const remote = editor.state.tr.insertText(
      'very ',
      textPosition(editor.state, 'time and a half'),
    )
    const doc = schema.nodeFromJSON(remote.doc.toJSON())
    editor.apply((tr) =>
      tr
        .replaceWith(0, tr.doc.content.size, doc.content)
        .setMeta(ySyncPluginKey, { isChangeOrigin: true }),
    )
    at = textPosition(editor.state, ' paid hours')
    expect(pluginState(editor.state).typing?.decoration.from).toBe(at + 1)
    expect(wrapped('shown', 'c')).toEqual([])
    expect(wrapped('shown', 'b1')).toEqual(['very'])

    // Once the typing pauses, the wrapper is back.
    editor.apply((tr) => tr.setMeta(suggestionMarksKey, { settle: true }))
    expect(pluginState(editor.state).typing).toBeNull()
    expect(wrapped('shown', 'c')).toEqual(['paid'])
  })
})

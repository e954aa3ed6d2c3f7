/**
 * The top-level clause holding the caret is marked so that the browser never skips its layout
 * (CaretClauseShown): which clause that is, and that the mark follows the caret and a new clause.
 */
import { getDocumentSchema } from '@onetext/shared/schema'
import { EditorState, TextSelection } from '@tiptap/pm/state'
import type { DecorationSet } from '@tiptap/pm/view'
import { describe, expect, it } from 'vitest'
import {
  CARET_CLAUSE_CLASS,
  caretClause,
  caretClausePlugin,
} from '../../client/src/editor/CaretClauseShown'
import { clauseIdOfNode, clausePosition } from '../../client/src/editor/clauseSkeleton'
import { clause, paragraph, wagesAndHours } from '../helpers/docJson'

const schema = getDocumentSchema()
const plugin = caretClausePlugin()

/** The clause tree of `wagesAndHours` (tests/helpers/docJson.ts), with the plugin. */
function state(): EditorState {
  return EditorState.create({
    schema,
    doc: schema.nodeFromJSON(wagesAndHours()),
    plugins: [plugin],
  })
}

/** `current` with the caret at the start of the heading text of clause `id`. */
function caretIn(current: EditorState, id: string): EditorState {
  const pos = clausePosition(current.doc, id)
  if (pos === null) throw new Error(`no clause ${id}`)
  return current.apply(current.tr.setSelection(TextSelection.create(current.doc, pos + 2)))
}

/** The clause ids of the elements marked, with the class each carries. */
function marked(current: EditorState): Array<{ id: string | null; class: unknown }> {
  const set = plugin.getState(current) as DecorationSet
  return set.find().map((decoration) => ({
    id: clauseIdOfNode(current.doc.nodeAt(decoration.from) as never),
    class: (decoration as unknown as { type: { attrs: { class: unknown } } }).type.attrs.class,
  }))
}

describe('the clause holding the caret', () => {
  it('is the top-level clause around the caret, however deep, and none outside every clause', () => {
    const start = state()
    expect(caretClause(caretIn(start, 'n'))?.node.attrs.clauseId).toBe('w')
    expect(caretClause(caretIn(start, 'o'))?.node.attrs.clauseId).toBe('o')
    const inPreamble = start.apply(start.tr.setSelection(TextSelection.create(start.doc, 13)))
    expect(inPreamble.selection.$head.parent.textContent).toBe('Preamble.')
    expect(caretClause(inPreamble)).toBeNull()
    expect(marked(inPreamble)).toEqual([])
  })

  it('is marked, the mark following the caret and kept while typing in the clause', () => {
    const inWages = caretIn(state(), 'n')
    expect(marked(inWages)).toEqual([{ id: 'w', class: CARET_CLAUSE_CLASS }])
    const moved = inWages.apply(
      inWages.tr.setSelection(TextSelection.create(inWages.doc, inWages.selection.head + 2)),
    )
    expect(plugin.getState(moved)).toBe(plugin.getState(inWages))
    const typed = inWages.apply(inWages.tr.insertText('x'))
    expect(marked(typed)).toEqual([{ id: 'w', class: CARET_CLAUSE_CLASS }])
    expect(marked(caretIn(typed, 'o'))).toEqual([{ id: 'o', class: CARET_CLAUSE_CLASS }])
  })

  it('marks a clause made in the same transaction that puts the caret in it', () => {
    const inHours = caretIn(state(), 'o')
    const end = inHours.doc.content.size
    const made = schema.nodeFromJSON(clause('Notices', 'x', paragraph('By mail.')))
    const transaction = inHours.tr.insert(end, made)
    transaction.setSelection(TextSelection.create(transaction.doc, end + 2))
    expect(marked(inHours.apply(transaction))).toEqual([{ id: 'x', class: CARET_CLAUSE_CLASS }])
  })
})

/**
 * Pasting into the clause tree (flat headings nested, duplicate ids renewed, whole clauses placed
 * after the clause) and the default select-all and range deletes across clauses.
 */
import { Fragment, Slice } from '@tiptap/pm/model'
import { AllSelection, TextSelection } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { freshClauseIds, nestFlatHeadings, pasteClauses } from '../../client/src/editor/clausePaste'
import { caretAt, editorOf, json } from '../helpers/clauseEditor'
import { clause, doc, paragraph, title } from '../helpers/docJson'

describe('select-all and range deletes', () => {
  it('select-all and typing leaves a valid document with the typed text', () => {
    const editor = editorOf(doc(title('T'), clause('A', 'a', paragraph('x')), clause('B', 'b')))
    editor.commands.command(({ tr }) => {
      tr.setSelection(new AllSelection(tr.doc))
      tr.insertText('new')
      return true
    })
    editor.state.doc.check()
    expect(editor.state.doc.textContent).toBe('new')
  })

  it('a delete from one clause body into another keeps both ends and a valid tree', () => {
    const editor = editorOf(
      doc(
        clause('A', 'a', paragraph('alpha beta')),
        clause('B', 'b', paragraph('gamma delta'), clause('B1', 'b1')),
      ),
    )
    const { doc: current } = editor.state
    let from = 0
    let to = 0
    current.descendants((node, pos) => {
      if (node.isText && node.text === 'alpha beta') from = pos + 6
      if (node.isText && node.text === 'gamma delta') to = pos + 6
    })
    editor.commands.command(({ tr }) => {
      tr.setSelection(TextSelection.create(tr.doc, from, to))
      tr.deleteSelection()
      return true
    })
    editor.state.doc.check()
    const text = editor.state.doc.textContent
    expect(text).toContain('alpha ')
    expect(text).toContain('delta')
    expect(text).toContain('B1')
    expect(text).not.toContain('beta')
  })
})

describe('paste', () => {
  it('nests flat headings into clause sections, an h1 like an h2', () => {
    const html =
      '<meta charset="utf-8"><div><h1>Scope</h1><p>Applies.</p><h3>Staff</h3><p>All.</p><h2>Pay</h2><p>Rises.</p></div>'
    expect(nestFlatHeadings(html)).toBe(
      '<meta charset="utf-8"><div><section class="clause"><h2>Scope</h2><p>Applies.</p>' +
        '<section class="clause"><h2>Staff</h2><p>All.</p></section></section>' +
        '<section class="clause"><h2>Pay</h2><p>Rises.</p></section></div>',
    )
  })

  it('closes the clauses before the end of the element the headings were in (Word)', () => {
    const html =
      '<html><body><!--StartFragment--><h1 class=MsoNormal>A</h1><p class=MsoNormal>x<o:p></o:p></p>' +
      '<h2>B</h2><!--EndFragment--></body></html>'
    expect(nestFlatHeadings(html)).toBe(
      '<html><body><!--StartFragment--><section class="clause"><h2 class=MsoNormal>A</h2>' +
        '<p class=MsoNormal>x<o:p></o:p></p></section><section class="clause"><h2>B</h2>' +
        '<!--EndFragment--></section></body></html>',
    )
  })

  it('leaves HTML without headings and HTML from the editor alone', () => {
    expect(nestFlatHeadings('<p>Plain</p>')).toBe('<p>Plain</p>')
    const own = '<section class="clause" data-pm-slice="0 0 []"><h2>A</h2></section>'
    expect(nestFlatHeadings(own)).toBe(own)
  })

  it('gives a pasted clause whose id is in the text a fresh id, keeping new ids', () => {
    const editor = editorOf(doc(clause('A', 'a'), clause('B', 'b')))
    const schema = editor.schema
    const slice = new Slice(
      Fragment.from([
        schema.nodeFromJSON(clause('A', 'a', clause('Inner', 'n'))),
        schema.nodeFromJSON(clause('Z', 'z')),
      ]),
      0,
      0,
    )
    const fresh = freshClauseIds(slice, editor.state.doc)
    const ids = [
      fresh.content.child(0).attrs.clauseId,
      fresh.content.child(0).child(1).attrs.clauseId,
      fresh.content.child(1).attrs.clauseId,
    ]
    expect(ids[0]).not.toBe('a')
    expect(ids[0]).toMatch(/^c-/)
    expect(ids.slice(1)).toEqual(['n', 'z'])
    expect(
      freshClauseIds(
        new Slice(Fragment.from(schema.nodeFromJSON(clause('Z', 'z'))), 0, 0),
        editor.state.doc,
      ).content.child(0).attrs.clauseId,
    ).toBe('z')
  })

  it('puts whole clauses pasted in a body paragraph after the clause, at its depth', () => {
    const editor = editorOf(
      doc(clause('A', 'a', clause('A1', 'a1', paragraph('here'))), clause('B', 'b')),
    )
    caretAt(editor, 'here', 2)
    const slice = new Slice(
      Fragment.from([
        editor.schema.nodeFromJSON(clause('X', 'x', paragraph('x body'), clause('X1', 'x1'))),
        editor.schema.nodeFromJSON(clause('Y', 'y')),
      ]),
      0,
      0,
    )
    const tr = pasteClauses(editor.state, slice, new Set())
    expect(tr).not.toBeNull()
    editor.view.dispatch(tr as never)
    expect(json(editor)).toEqual(
      doc(
        clause(
          'A',
          'a',
          clause('A1', 'a1', paragraph('here')),
          clause('X', 'x', paragraph('x body'), clause('X1', 'x1')),
          clause('Y', 'y'),
        ),
        clause('B', 'b'),
      ),
    )
  })

  it('puts whole clauses pasted in a clause heading after that clause', () => {
    const editor = editorOf(doc(clause('A', 'a', paragraph('a')), clause('B', 'b')))
    caretAt(editor, 'A', 1)
    const slice = new Slice(Fragment.from(editor.schema.nodeFromJSON(clause('X', 'x'))), 0, 0)
    editor.view.dispatch(pasteClauses(editor.state, slice, new Set()) as never)
    expect(json(editor)).toEqual(
      doc(clause('A', 'a', paragraph('a')), clause('X', 'x'), clause('B', 'b')),
    )
  })

  it('pastes the blocks before the first clause at the caret', () => {
    const editor = editorOf(doc(clause('A', 'a', paragraph('here'))))
    caretAt(editor, 'here', 'end')
    const slice = new Slice(
      Fragment.from([
        editor.schema.nodeFromJSON(paragraph(' more')),
        editor.schema.nodeFromJSON(clause('X', 'x')),
      ]),
      1,
      0,
    )
    const tr = pasteClauses(editor.state, slice, new Set())
    editor.view.dispatch(tr as never)
    expect(json(editor)).toEqual(doc(clause('A', 'a', paragraph('here more')), clause('X', 'x')))
  })

  it('refuses to paste clauses into a locked parent', () => {
    const editor = editorOf(doc(clause('A', 'a', clause('A1', 'a1', paragraph('here')))))
    caretAt(editor, 'here')
    const slice = new Slice(Fragment.from(editor.schema.nodeFromJSON(clause('X', 'x'))), 0, 0)
    expect(pasteClauses(editor.state, slice, new Set(['a']))).toBeNull()
  })
})

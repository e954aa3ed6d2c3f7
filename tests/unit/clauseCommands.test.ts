import { createSchemaExtensions } from '@onetext/shared/schema'
import { Editor, type JSONContent } from '@tiptap/core'
import { Fragment, Slice } from '@tiptap/pm/model'
import { AllSelection, TextSelection } from '@tiptap/pm/state'
import { afterEach, describe, expect, it } from 'vitest'
import { ClauseCommands } from '../../client/src/editor/ClauseCommands'
import { freshClauseIds, nestFlatHeadings, pasteClauses } from '../../client/src/editor/clausePaste'
import { clause, doc, paragraph, title } from '../helpers/docJson'

const editors: Editor[] = []
afterEach(() => {
  for (const editor of editors.splice(0)) editor.destroy()
})

/** A headless editor of `content` with the clause commands, `locked` clauses locked. */
function editorOf(content: JSONContent, locked: string[] = [], refusals: string[] = []): Editor {
  const editor = new Editor({
    element: null,
    extensions: [
      ...createSchemaExtensions(),
      ClauseCommands.configure({
        lockedClauses: () => new Set(locked),
        onLockedEdit: () => refusals.push('refused'),
      }),
    ],
    content,
  })
  editors.push(editor)
  return editor
}

/** Puts the caret `offset` characters after the start of the first text `needle` (or at its end). */
function caretAt(editor: Editor, needle: string, offset: number | 'end' = 0): void {
  let found: number | null = null
  editor.state.doc.descendants((node, pos) => {
    if (found !== null) return false
    if (node.isTextblock && node.textContent === needle) found = pos + 1
    return true
  })
  if (found === null) throw new Error(`no textblock "${needle}"`)
  const at = (found as number) + (offset === 'end' ? needle.length : offset)
  editor.commands.setTextSelection(at)
}

/** Puts the caret in the `index`-th empty paragraph. */
function caretInEmpty(editor: Editor, index = 0): void {
  const found: number[] = []
  editor.state.doc.descendants((node, pos) => {
    if (node.type.name === 'paragraph' && node.content.size === 0) found.push(pos + 1)
  })
  editor.commands.setTextSelection(found[index] as number)
}

/** The caret: the type and text of its textblock and its offset there. */
function caret(editor: Editor): { type: string; text: string; offset: number } {
  const { $from } = editor.state.selection
  return {
    type: $from.parent.type.name,
    text: $from.parent.textContent,
    offset: $from.parentOffset,
  }
}

/** The document's JSON, after checking that it is valid. */
function json(editor: Editor): JSONContent {
  editor.state.doc.check()
  return editor.getJSON()
}

const anyId = expect.any(String) as unknown as string
const empty: JSONContent = { type: 'paragraph' }

describe('Enter in clauses', () => {
  it('at the end of a heading opens a new first body paragraph', () => {
    const editor = editorOf(doc(clause('Wages', 'w', paragraph('Wages rise.'))))
    caretAt(editor, 'Wages', 'end')
    expect(editor.commands.enterInClause()).toBe(true)
    expect(json(editor)).toEqual(doc(clause('Wages', 'w', empty, paragraph('Wages rise.'))))
    expect(caret(editor)).toEqual({ type: 'paragraph', text: '', offset: 0 })
  })

  it('in the middle of a heading makes the rest of it the first body paragraph', () => {
    const editor = editorOf(doc(clause('Wages and hours', 'w', paragraph('Body.'))))
    caretAt(editor, 'Wages and hours', 5)
    expect(editor.commands.enterInClause()).toBe(true)
    expect(json(editor)).toEqual(
      doc(clause('Wages', 'w', paragraph(' and hours'), paragraph('Body.'))),
    )
    expect(caret(editor)).toEqual({ type: 'paragraph', text: ' and hours', offset: 0 })
  })

  it('at the start of a heading puts an empty paragraph before the clause', () => {
    const editor = editorOf(doc(clause('A', 'a', paragraph('a')), clause('B', 'b')))
    caretAt(editor, 'B')
    expect(editor.commands.enterInClause()).toBe(true)
    expect(json(editor)).toEqual(doc(clause('A', 'a', paragraph('a'), empty), clause('B', 'b')))
    expect(caret(editor)).toEqual({ type: 'clauseHeading', text: 'B', offset: 0 })
  })

  it('in an empty last body paragraph makes a new next sibling', () => {
    const editor = editorOf(
      doc(clause('A', 'a', clause('A1', 'a1', paragraph('x'), empty)), clause('B', 'b')),
    )
    const before = editor.state.doc
    caretInEmpty(editor)
    expect(caret(editor)).toEqual({ type: 'paragraph', text: '', offset: 0 })
    expect(editor.commands.enterInClause()).toBe(true)
    expect(json(editor)).toEqual(
      doc(
        clause('A', 'a', clause('A1', 'a1', paragraph('x')), clause('', anyId)),
        clause('B', 'b'),
      ),
    )
    expect(caret(editor)).toEqual({ type: 'clauseHeading', text: '', offset: 0 })
    // Clause B is the same node object: only what changed is rewritten.
    expect(editor.state.doc.child(1)).toBe(before.child(1))
  })

  it('in an empty last body paragraph of a clause with children makes its first child', () => {
    const editor = editorOf(doc(clause('A', 'a', paragraph('x'), empty, clause('A1', 'a1'))))
    caretInEmpty(editor)
    expect(caret(editor).type).toBe('paragraph')
    expect(caret(editor).text).toBe('')
    expect(editor.commands.enterInClause()).toBe(true)
    expect(json(editor)).toEqual(
      doc(clause('A', 'a', paragraph('x'), clause('', anyId), clause('A1', 'a1'))),
    )
  })

  it('leaves an empty paragraph with body after it to the default split', () => {
    const editor = editorOf(doc(clause('A', 'a', empty, paragraph('x'))))
    caretInEmpty(editor)
    expect(caret(editor)).toEqual({ type: 'paragraph', text: '', offset: 0 })
    expect(editor.commands.enterInClause()).toBe(false)
  })
})

describe('dissolving a clause (Backspace at the start of its heading, Delete before it)', () => {
  const tree = () =>
    doc(
      clause('A', 'a', paragraph('a body')),
      clause('B', 'b', paragraph('b body'), clause('B1', 'b1'), clause('B2', 'b2')),
      clause('C', 'c'),
    )

  it('joins the heading to the text before, the body after it, the children to the previous sibling', () => {
    const editor = editorOf(tree())
    caretAt(editor, 'B')
    expect(editor.commands.joinClauseBackward()).toBe(true)
    expect(json(editor)).toEqual(
      doc(
        clause(
          'A',
          'a',
          paragraph('a bodyB'),
          paragraph('b body'),
          clause('B1', 'b1'),
          clause('B2', 'b2'),
        ),
        clause('C', 'c'),
      ),
    )
    expect(caret(editor)).toEqual({ type: 'paragraph', text: 'a bodyB', offset: 6 })
  })

  it('does the same with Delete at the end of the text before the heading', () => {
    const editor = editorOf(tree())
    caretAt(editor, 'a body', 'end')
    expect(editor.commands.joinClauseForward()).toBe(true)
    expect(json(editor)).toEqual(
      doc(
        clause(
          'A',
          'a',
          paragraph('a bodyB'),
          paragraph('b body'),
          clause('B1', 'b1'),
          clause('B2', 'b2'),
        ),
        clause('C', 'c'),
      ),
    )
    expect(caret(editor)).toEqual({ type: 'paragraph', text: 'a bodyB', offset: 6 })
  })

  it('joins a first child to its parent, its children rising a level', () => {
    const editor = editorOf(
      doc(
        clause(
          'P',
          'p',
          clause('Q', 'q', paragraph('q body'), clause('Q1', 'q1')),
          clause('R', 'r'),
        ),
      ),
    )
    caretAt(editor, 'Q')
    expect(editor.commands.joinClauseBackward()).toBe(true)
    expect(json(editor)).toEqual(
      doc(clause('PQ', 'p', paragraph('q body'), clause('Q1', 'q1'), clause('R', 'r'))),
    )
    expect(caret(editor)).toEqual({ type: 'clauseHeading', text: 'PQ', offset: 1 })
  })

  it('turns the first clause with nothing before it into preamble, its children rising', () => {
    const editor = editorOf(
      doc(clause('A', 'a', paragraph('a body'), clause('A1', 'a1')), clause('B', 'b')),
    )
    caretAt(editor, 'A')
    expect(editor.commands.joinClauseBackward()).toBe(true)
    expect(json(editor)).toEqual(
      doc(paragraph('A'), paragraph('a body'), clause('A1', 'a1'), clause('B', 'b')),
    )
    expect(caret(editor)).toEqual({ type: 'paragraph', text: 'A', offset: 0 })
  })

  it('joins the first clause to the title', () => {
    const editor = editorOf(doc(title('Agreement'), clause('One', 'a', paragraph('x'))))
    caretAt(editor, 'One')
    expect(editor.commands.joinClauseBackward()).toBe(true)
    expect(json(editor)).toEqual(doc(title('AgreementOne'), paragraph('x')))
  })

  it('makes a paragraph of the heading after a list', () => {
    const list: JSONContent = {
      type: 'bulletList',
      content: [{ type: 'listItem', content: [paragraph('item')] }],
    }
    const editor = editorOf(doc(clause('A', 'a', list), clause('B', 'b', paragraph('b'))))
    caretAt(editor, 'B')
    expect(editor.commands.joinClauseBackward()).toBe(true)
    expect(json(editor)).toEqual(doc(clause('A', 'a', list, paragraph('B'), paragraph('b'))))
  })

  it('is refused when the text before belongs to a locked clause', () => {
    const refusals: string[] = []
    const editor = editorOf(tree(), ['a'], refusals)
    caretAt(editor, 'B')
    expect(editor.commands.joinClauseBackward()).toBe(false)
    expect(json(editor)).toEqual(tree())
    expect(refusals).toEqual(['refused'])
  })
})

describe('making headings', () => {
  const body = () =>
    doc(
      clause('A', 'a', paragraph('one'), paragraph('two'), paragraph('three'), clause('A1', 'a1')),
      clause('B', 'b'),
    )

  it('splits the clause at a body paragraph made a section: it takes the rest of the body', () => {
    const editor = editorOf(body())
    caretAt(editor, 'two', 1)
    expect(editor.commands.setClauseHeading(2)).toBe(true)
    expect(json(editor)).toEqual(
      doc(
        clause(
          'A',
          'a',
          paragraph('one'),
          clause('two', anyId, paragraph('three')),
          clause('A1', 'a1'),
        ),
        clause('B', 'b'),
      ),
    )
    expect(caret(editor)).toEqual({ type: 'clauseHeading', text: 'two', offset: 1 })
  })

  it('splits at a body paragraph made an article: the later children go with it', () => {
    const editor = editorOf(body())
    caretAt(editor, 'two')
    expect(editor.commands.setClauseHeading(1)).toBe(true)
    expect(json(editor)).toEqual(
      doc(
        clause('A', 'a', paragraph('one')),
        clause('two', anyId, paragraph('three'), clause('A1', 'a1')),
        clause('B', 'b'),
      ),
    )
  })

  it('clamps the depth to one deeper than the clause around the paragraph', () => {
    const editor = editorOf(body())
    caretAt(editor, 'two')
    expect(editor.commands.setClauseHeading(3)).toBe(true)
    const a = json(editor).content?.[0]
    expect(a?.content?.[2]).toEqual(clause('two', anyId, paragraph('three')))
  })

  it('makes a preamble paragraph the first article', () => {
    const editor = editorOf(
      doc(title('T'), paragraph('Intro'), paragraph('Terms'), clause('B', 'b')),
    )
    caretAt(editor, 'Terms')
    expect(editor.commands.setClauseHeading(1)).toBe(true)
    expect(json(editor)).toEqual(
      doc(title('T'), paragraph('Intro'), clause('Terms', anyId), clause('B', 'b')),
    )
  })

  it('moves a clause heading to another depth with its subtree, and back', () => {
    const editor = editorOf(doc(clause('A', 'a', clause('B', 'b', clause('B1', 'b1')))))
    caretAt(editor, 'B', 1)
    expect(editor.commands.setClauseHeading(1)).toBe(true)
    expect(json(editor)).toEqual(doc(clause('A', 'a'), clause('B', 'b', clause('B1', 'b1'))))
    expect(caret(editor)).toEqual({ type: 'clauseHeading', text: 'B', offset: 1 })
    expect(editor.commands.setClauseHeading(1)).toBe(false)
    expect(editor.commands.setClauseHeading(2)).toBe(true)
    expect(json(editor)).toEqual(doc(clause('A', 'a', clause('B', 'b', clause('B1', 'b1')))))
  })

  it('makes a clause heading a paragraph', () => {
    const editor = editorOf(doc(clause('A', 'a', paragraph('x')), clause('B', 'b', paragraph('y'))))
    caretAt(editor, 'B', 1)
    expect(editor.commands.unsetClauseHeading()).toBe(true)
    expect(json(editor)).toEqual(
      doc(clause('A', 'a', paragraph('x'), paragraph('B'), paragraph('y'))),
    )
    expect(caret(editor)).toEqual({ type: 'paragraph', text: 'B', offset: 1 })
  })
})

describe('promote and demote', () => {
  it('promotes a clause: its later siblings become its children, after its own', () => {
    const editor = editorOf(
      doc(
        clause(
          'A',
          'a',
          clause('A1', 'a1'),
          clause('A2', 'a2', clause('X', 'x')),
          clause('A3', 'a3'),
        ),
      ),
    )
    caretAt(editor, 'A2')
    expect(editor.commands.promoteClause()).toBe(true)
    expect(json(editor)).toEqual(
      doc(
        clause('A', 'a', clause('A1', 'a1')),
        clause('A2', 'a2', clause('X', 'x'), clause('A3', 'a3')),
      ),
    )
    expect(caret(editor)).toEqual({ type: 'clauseHeading', text: 'A2', offset: 0 })
    expect(editor.commands.promoteClause()).toBe(false)
  })

  it('demotes a clause with its children into its previous sibling, reusing untouched clauses', () => {
    const editor = editorOf(
      doc(
        clause('A', 'a', clause('A1', 'a1')),
        clause('B', 'b', clause('B1', 'b1')),
        clause('C', 'c'),
      ),
    )
    const before = editor.state.doc
    caretAt(editor, 'B')
    expect(editor.commands.demoteClause()).toBe(true)
    expect(json(editor)).toEqual(
      doc(
        clause('A', 'a', clause('A1', 'a1'), clause('B', 'b', clause('B1', 'b1'))),
        clause('C', 'c'),
      ),
    )
    const a = editor.state.doc.child(0)
    expect(a.child(1)).toBe(before.child(0).child(1)) // A1
    expect(a.child(2).child(1)).toBe(before.child(1).child(1)) // B1
    expect(editor.state.doc.child(1)).toBe(before.child(2)) // C
  })

  it('does nothing to a first child', () => {
    const editor = editorOf(doc(clause('A', 'a', clause('A1', 'a1'))))
    caretAt(editor, 'A1')
    expect(editor.commands.demoteClause()).toBe(false)
    caretAt(editor, 'A')
    expect(editor.commands.demoteClause()).toBe(false)
    expect(json(editor)).toEqual(doc(clause('A', 'a', clause('A1', 'a1'))))
  })

  it('refuses to demote into a locked clause', () => {
    const refusals: string[] = []
    const editor = editorOf(doc(clause('A', 'a'), clause('B', 'b')), ['a'], refusals)
    caretAt(editor, 'B')
    expect(editor.commands.demoteClause()).toBe(false)
    expect(json(editor)).toEqual(doc(clause('A', 'a'), clause('B', 'b')))
    expect(refusals).toEqual(['refused'])
  })
})

describe('moving clauses', () => {
  const three = () =>
    doc(
      clause('A', 'a', paragraph('a')),
      clause('B', 'b', paragraph('b'), clause('B1', 'b1')),
      clause('C', 'c'),
    )

  it('moves a clause up with its children, the caret staying in its heading', () => {
    const editor = editorOf(three())
    caretAt(editor, 'B', 1)
    expect(editor.commands.moveClauseUp()).toBe(true)
    expect(json(editor)).toEqual(
      doc(
        clause('B', 'b', paragraph('b'), clause('B1', 'b1')),
        clause('A', 'a', paragraph('a')),
        clause('C', 'c'),
      ),
    )
    expect(caret(editor)).toEqual({ type: 'clauseHeading', text: 'B', offset: 1 })
    expect(editor.commands.moveClauseUp()).toBe(false)
  })

  it('moves a clause down', () => {
    const editor = editorOf(three())
    caretAt(editor, 'B')
    expect(editor.commands.moveClauseDown()).toBe(true)
    expect(json(editor)).toEqual(
      doc(
        clause('A', 'a', paragraph('a')),
        clause('C', 'c'),
        clause('B', 'b', paragraph('b'), clause('B1', 'b1')),
      ),
    )
    expect(caret(editor)).toEqual({ type: 'clauseHeading', text: 'B', offset: 0 })
    expect(editor.commands.moveClauseDown()).toBe(false)
  })

  it('moves among siblings only', () => {
    const editor = editorOf(three())
    caretAt(editor, 'B1')
    expect(editor.commands.moveClauseUp()).toBe(false)
    expect(editor.commands.moveClauseDown()).toBe(false)
  })

  it('refuses when either clause or one inside them is locked', () => {
    for (const locked of ['a', 'b', 'b1']) {
      const refusals: string[] = []
      const editor = editorOf(three(), [locked], refusals)
      caretAt(editor, 'B')
      expect(editor.commands.moveClauseUp()).toBe(false)
      expect(json(editor)).toEqual(three())
      expect(refusals).toEqual(['refused'])
    }
  })
})

describe('locked clauses', () => {
  it('refuse a new clause from Enter in their empty last paragraph', () => {
    const refusals: string[] = []
    const editor = editorOf(
      doc(clause('A', 'a', paragraph('x'), empty), clause('B', 'b')),
      ['a'],
      refusals,
    )
    caretInEmpty(editor)
    expect(caret(editor)).toEqual({ type: 'paragraph', text: '', offset: 0 })
    expect(editor.commands.enterInClause()).toBe(false)
    expect(refusals).toEqual(['refused'])
  })

  it('refuse a heading made inside a clause nested in one', () => {
    const editor = editorOf(
      doc(clause('A', 'a', clause('A1', 'a1', paragraph('x'), paragraph('y')))),
      ['a'],
    )
    caretAt(editor, 'y')
    expect(editor.commands.setClauseHeading(3)).toBe(false)
    caretAt(editor, 'A1')
    expect(editor.commands.promoteClause()).toBe(false)
  })
})

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

describe('blocks after a clause’s children', () => {
  it('stay with their clause when the tree around them is rebuilt', () => {
    const editor = editorOf(
      doc(
        clause('A', 'a', paragraph('a'), clause('A1', 'a1'), paragraph('after A1')),
        clause('B', 'b'),
        paragraph('Signatures'),
      ),
    )
    caretAt(editor, 'B')
    expect(editor.commands.moveClauseUp()).toBe(true)
    expect(json(editor)).toEqual(
      doc(
        clause('B', 'b'),
        clause('A', 'a', paragraph('a'), clause('A1', 'a1'), paragraph('after A1')),
        paragraph('Signatures'),
      ),
    )
    caretAt(editor, 'A')
    expect(editor.commands.demoteClause()).toBe(true)
    expect(json(editor)).toEqual(
      doc(
        clause(
          'B',
          'b',
          clause('A', 'a', paragraph('a'), clause('A1', 'a1'), paragraph('after A1')),
        ),
        paragraph('Signatures'),
      ),
    )
  })
})

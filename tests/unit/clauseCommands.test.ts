/**
 * The clause commands (ClauseCommands) on small clause trees: the resulting JSON with ids, the
 * caret, validity, reuse of untouched clauses and refusals around locked clauses.
 */
import type { JSONContent } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import { anyId, caret, caretAt, caretInEmpty, editorOf, empty, json } from '../helpers/clauseEditor'
import { clause, doc, paragraph, title } from '../helpers/docJson'

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

  it('replaces words selected in a heading by the break', () => {
    const editor = editorOf(doc(clause('Wages and hours', 'w')))
    caretAt(editor, 'Wages and hours', 5)
    const from = editor.state.selection.from
    editor.commands.setTextSelection({ from, to: from + 4 })
    expect(editor.commands.enterInClause()).toBe(true)
    expect(json(editor)).toEqual(doc(clause('Wages', 'w', paragraph(' hours'))))
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

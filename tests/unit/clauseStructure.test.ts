import { getDocumentSchema } from '@onetext/shared/schema'
import { splitBlock } from '@tiptap/pm/commands'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import {
  clauseIdTransaction,
  headingsMayHaveChanged,
  sameLockedClauses,
} from '../../client/src/editor/ClauseStructure'

const schema = getDocumentSchema()

/** Article "Wages" (clause w) followed by two paragraphs. */
function state(): EditorState {
  const doc = schema.nodeFromJSON({
    type: 'doc',
    content: [
      {
        type: 'heading',
        attrs: { level: 2, clauseId: 'w' },
        content: [{ type: 'text', text: 'Wages' }],
      },
      { type: 'paragraph', content: [{ type: 'text', text: 'Wages rise.' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'Twice.' }] },
    ],
  })
  return EditorState.create({ schema, doc })
}

/** Position just inside the start of top-level block `index`. */
function startOf(current: EditorState, index: number): number {
  let pos = 0
  for (let child = 0; child < index; child++) pos += current.doc.child(child).nodeSize
  return pos + 1
}

describe('headingsMayHaveChanged (when clause numbering must walk the document again)', () => {
  it('is false for typing and deleting inside a paragraph', () => {
    const current = state()
    expect(headingsMayHaveChanged(current.tr.insertText('x', startOf(current, 1)))).toBe(false)
    const at = startOf(current, 2)
    expect(headingsMayHaveChanged(current.tr.delete(at, at + 3))).toBe(false)
  })

  it('is false for a transaction that changes nothing', () => {
    const current = state()
    expect(headingsMayHaveChanged(current.tr.setMeta('any', true))).toBe(false)
  })

  it('is true for typing in a heading', () => {
    const current = state()
    expect(headingsMayHaveChanged(current.tr.insertText('x', startOf(current, 0) + 2))).toBe(true)
  })

  it('is true when blocks are split or joined', () => {
    const current = state()
    expect(headingsMayHaveChanged(current.tr.split(startOf(current, 1) + 3))).toBe(true)
    const joined = current.tr.join(startOf(current, 2) - 1)
    expect(headingsMayHaveChanged(joined)).toBe(true)
  })

  it('is true when a paragraph becomes a heading or a heading changes its attributes', () => {
    const current = state()
    const at = startOf(current, 2)
    const toHeading = current.tr.setBlockType(at, at, schema.nodes.heading as never, { level: 3 })
    expect(headingsMayHaveChanged(toHeading)).toBe(true)
    const renamed = current.tr.setNodeAttribute(0, 'clauseId', 'w2')
    expect(headingsMayHaveChanged(renamed)).toBe(true)
  })

  it('is true for a selection-wide deletion that takes a heading with it', () => {
    const current = state()
    const tr = current.tr.setSelection(
      TextSelection.create(current.doc, startOf(current, 0) + 1, startOf(current, 1) + 2),
    )
    expect(headingsMayHaveChanged(tr.deleteSelection())).toBe(true)
  })
})

describe('clauseIdTransaction (clause ids after a local change)', () => {
  /** The numbered headings' [text, clause id] after `tr` and the ids transaction it calls for. */
  function idsAfter(current: EditorState, tr: Transaction): Array<[string, unknown]> {
    const changed = current.apply(tr)
    const fix = clauseIdTransaction([tr], current.doc, changed)
    const doc = fix ? changed.apply(fix).doc : changed.doc
    const ids: Array<[string, unknown]> = []
    doc.forEach((node) => {
      if (node.type.name === 'heading') ids.push([node.textContent, node.attrs.clauseId])
    })
    return ids
  }

  it('gives back the id a heading lost in place (Markdown "### " typed at its start)', () => {
    const current = state()
    // What the input rule does: the heading set to level 3 with its level alone.
    const tr = current.tr.setBlockType(1, 1, schema.nodes.heading as never, { level: 3 })
    expect(tr.doc.firstChild?.attrs.clauseId).toBeNull()
    expect(idsAfter(current, tr)).toEqual([['Wages', 'w']])
  })

  it('gives a fresh id to the second half of a split heading and to a pasted copy', () => {
    const current = state()
    const [first, second] = idsAfter(current, current.tr.split(4))
    expect(first).toEqual(['Wag', 'w'])
    expect(second?.[0]).toBe('es')
    expect(second?.[1]).toMatch(/^c-/)
    const copy = current.doc.firstChild as ProseMirrorNode
    const pasted = idsAfter(current, current.tr.insert(current.doc.content.size, copy))
    expect(pasted[0]).toEqual(['Wages', 'w'])
    expect(pasted[1]?.[1]).not.toBe('w')
    expect(pasted[1]?.[1]).toMatch(/^c-/)
  })
})

describe('sameLockedClauses (what local edits may do to tentatively agreed clauses)', () => {
  /** Clause a (locked), then clause b, each a heading and a paragraph. */
  function twoClauses(): EditorState {
    const doc = schema.nodeFromJSON({
      type: 'doc',
      content: [
        {
          type: 'heading',
          attrs: { level: 2, clauseId: 'a' },
          content: [{ type: 'text', text: 'A' }],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'Agreed words.' }] },
        {
          type: 'heading',
          attrs: { level: 2, clauseId: 'b' },
          content: [{ type: 'text', text: 'B' }],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'Open words.' }] },
      ],
    })
    return EditorState.create({ schema, doc })
  }
  const locked = new Set(['a'])
  const allowed = (current: EditorState, tr: Transaction) =>
    sameLockedClauses(current.doc, tr.doc, locked)

  it('allows edits to other clauses, and a new clause between', () => {
    const current = twoClauses()
    expect(allowed(current, current.tr.insertText('More ', startOf(current, 3)))).toBe(true)
    const newClause = [
      schema.node('heading', { level: 2, clauseId: 'n' }, schema.text('New')),
      schema.node('paragraph', null, schema.text('New words.')),
    ]
    expect(allowed(current, current.tr.insert(startOf(current, 2) - 1, newClause))).toBe(true)
  })

  it('refuses changing a locked clause, or adding a block after its last one', () => {
    const current = twoClauses()
    expect(allowed(current, current.tr.insertText('x', startOf(current, 1)))).toBe(false)
    const paragraph = schema.node('paragraph', null, schema.text('Slipped in.'))
    expect(allowed(current, current.tr.insert(startOf(current, 2) - 1, paragraph))).toBe(false)
    // Enter at the start of the next clause's heading splits an empty block off before it, which
    // would end the locked clause (a step at its very end, so not caught by a position check).
    const atHeading = current.apply(
      current.tr.setSelection(TextSelection.create(current.doc, startOf(current, 2))),
    )
    let split: Transaction | null = null
    splitBlock(atHeading, (tr) => {
      split = tr
    })
    expect(split).not.toBeNull()
    expect(allowed(atHeading, split as unknown as Transaction)).toBe(false)
  })
})

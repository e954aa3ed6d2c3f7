/**
 * The editor's clause structure on the clause tree: numbers and heading levels at every depth,
 * when the numbering must walk the clauses again, fresh ids for new and copied clauses, and the
 * lock rule for tentatively agreed clauses (the same node, under the same parent).
 */
import { getDocumentSchema } from '@onetext/shared/schema'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state'
import type { Decoration } from '@tiptap/pm/view'
import { describe, expect, it } from 'vitest'
import {
  clauseDecorations,
  clauseIdTransaction,
  sameLockedClauses,
  skeletonMayHaveChanged,
} from '../../client/src/editor/ClauseStructure'
import { clausePosition, forEachClauseNode } from '../../client/src/editor/clauseSkeleton'
import { outlineEntries } from '../../client/src/editor/outlineEntries'
import { clause, paragraph, wagesAndHours } from '../helpers/docJson'

const schema = getDocumentSchema()

/** The clause tree of `wagesAndHours` (tests/helpers/docJson.ts). */
function state(): EditorState {
  return EditorState.create({ schema, doc: schema.nodeFromJSON(wagesAndHours()) })
}

/** Position of clause `id` in `current`. */
function at(current: EditorState, id: string): number {
  const pos = clausePosition(current.doc, id)
  if (pos === null) throw new Error(`no clause ${id}`)
  return pos
}

/** Position just inside the text of the first paragraph of clause `id`'s body. */
function bodyStart(current: EditorState, id: string): number {
  const pos = at(current, id)
  const heading = current.doc.nodeAt(pos)?.firstChild as ProseMirrorNode
  return pos + 1 + heading.nodeSize + 1
}

/** A decoration's attributes (node decorations) — not part of ProseMirror's public typings. */
function attrsOf(decoration: Decoration): Record<string, string> {
  return (decoration as unknown as { type: { attrs?: Record<string, string> } }).type.attrs ?? {}
}

describe('clause decorations (numbers, levels, locks)', () => {
  it('numbers clauses 1 to 1.1(a)(i) and gives their headings levels 2 to 5', () => {
    const current = state()
    const found = clauseDecorations(current.doc, new Set()).find()
    const numbers = found
      .map((decoration) => decoration.spec.key as string | undefined)
      .filter((key) => key?.startsWith('n-'))
    expect(numbers).toEqual(['n-1', 'n-1.1', 'n-1.1(a)', 'n-1.1(a)(i)', 'n-2'])
    const levels: Array<[string, string | undefined, string | undefined]> = []
    forEachClauseNode(current.doc, ({ node, pos }) => {
      const heading = found.find(
        (decoration) => decoration.from === pos + 1 && attrsOf(decoration)['aria-level'],
      )
      const attrs = heading ? attrsOf(heading) : {}
      levels.push([node.firstChild?.textContent ?? '', attrs['aria-level'], attrs.class])
      return undefined
    })
    expect(levels).toEqual([
      ['Wages', '2', 'level-2'],
      ['Rates', '3', 'level-3'],
      ['Hourly', '4', 'level-4'],
      ['Night', '5', 'level-5'],
      ['Hours', '2', 'level-2'],
    ])
    // The number sits at the start of the heading's text.
    const first = found.find((decoration) => decoration.spec.key === 'n-1.1')
    expect(first?.from).toBe(at(current, 'r') + 2)
  })

  it('shades a locked clause whole and notes it once, above its heading', () => {
    const current = state()
    const found = clauseDecorations(current.doc, new Set(['r', 'h'])).find()
    const shaded = found.filter((decoration) => attrsOf(decoration).class === 'clause-locked')
    expect(shaded.map((decoration) => decoration.from)).toEqual([at(current, 'r')])
    expect(shaded[0]?.to).toBe(
      at(current, 'r') + (current.doc.nodeAt(at(current, 'r'))?.nodeSize ?? 0),
    )
    const notes = found.filter((decoration) => String(decoration.spec.key).startsWith('lock-'))
    expect(notes.map((decoration) => [decoration.spec.key, decoration.from])).toEqual([
      ['lock-r', at(current, 'r') + 1],
    ])
  })
})

describe('outlineEntries (the outline pane)', () => {
  it('lists every clause with its id, number, depth and heading, in document order', () => {
    expect(outlineEntries(state().doc)).toEqual([
      { id: 'w', number: '1', depth: 1, text: 'Wages' },
      { id: 'r', number: '1.1', depth: 2, text: 'Rates' },
      { id: 'h', number: '1.1(a)', depth: 3, text: 'Hourly' },
      { id: 'n', number: '1.1(a)(i)', depth: 4, text: 'Night' },
      { id: 'o', number: '2', depth: 1, text: 'Hours' },
    ])
  })
})

describe('skeletonMayHaveChanged (when the numbering must walk the clauses again)', () => {
  it('is false for typing in a paragraph or a heading, and for a change of nothing', () => {
    const current = state()
    expect(skeletonMayHaveChanged(current.tr.insertText('x', bodyStart(current, 'h')))).toBe(false)
    expect(skeletonMayHaveChanged(current.tr.insertText('x', at(current, 'r') + 3))).toBe(false)
    const start = bodyStart(current, 'w')
    expect(skeletonMayHaveChanged(current.tr.delete(start, start + 3))).toBe(false)
    expect(skeletonMayHaveChanged(current.tr.setMeta('any', true))).toBe(false)
  })

  it('is true when a clause is added, removed or given another id', () => {
    const current = state()
    const pos = at(current, 'o')
    const node = current.doc.nodeAt(pos) as ProseMirrorNode
    expect(skeletonMayHaveChanged(current.tr.delete(pos, pos + node.nodeSize))).toBe(true)
    expect(skeletonMayHaveChanged(current.tr.insert(pos, node))).toBe(true)
    expect(skeletonMayHaveChanged(current.tr.setNodeAttribute(pos, 'clauseId', 'x'))).toBe(true)
  })

  it('is true for a selection-wide deletion from one clause into the next', () => {
    const current = state()
    const tr = current.tr.setSelection(
      TextSelection.create(current.doc, bodyStart(current, 'n') + 1, bodyStart(current, 'o') + 2),
    )
    expect(skeletonMayHaveChanged(tr.deleteSelection())).toBe(true)
  })
})

describe('clauseIdTransaction (clause ids after a local change)', () => {
  /** Each clause's [heading, clause id] after `tr` and the ids transaction it calls for. */
  function idsAfter(current: EditorState, tr: Transaction): Array<[string, unknown]> {
    const changed = current.apply(tr)
    const fix = clauseIdTransaction(current.doc, changed)
    const result = fix ? changed.apply(fix).doc : changed.doc
    const ids: Array<[string, unknown]> = []
    forEachClauseNode(result, ({ node }) => {
      ids.push([node.firstChild?.textContent ?? '', node.attrs.clauseId])
      return undefined
    })
    return ids
  }

  it('changes nothing when every clause has its own id', () => {
    const current = state()
    expect(clauseIdTransaction(current.doc, current)).toBeNull()
  })

  it('keeps the id of a clause whose heading is typed anew', () => {
    const current = state()
    const pos = at(current, 'o')
    const tr = current.tr.insertText('Working time', pos + 2, pos + 2 + 'Hours'.length)
    expect(idsAfter(current, tr).at(-1)).toEqual(['Working time', 'o'])
  })

  it('gives a pasted copy of a clause a fresh id, wherever it lands, and the original keeps its own', () => {
    const current = state()
    // Pasted content is parsed anew: a copy is another node with the same id.
    const copy = schema.nodeFromJSON(current.doc.nodeAt(at(current, 'o'))?.toJSON())
    // The copy lands before the original: the original, not the first holder, keeps the id.
    const ids = idsAfter(current, current.tr.insert(at(current, 'w'), copy))
    expect(ids.map(([heading]) => heading)).toEqual([
      'Hours',
      'Wages',
      'Rates',
      'Hourly',
      'Night',
      'Hours',
    ])
    expect(ids[5]).toEqual(['Hours', 'o'])
    expect(ids[0]?.[1]).toMatch(/^c-/)
  })

  it('gives a clause without an id one', () => {
    const current = state()
    const fresh = schema.nodeFromJSON(clause('New', null, paragraph('Words.')))
    const ids = idsAfter(current, current.tr.insert(current.doc.content.size, fresh))
    expect(ids.at(-1)?.[0]).toBe('New')
    expect(ids.at(-1)?.[1]).toMatch(/^c-/)
  })
})

describe('sameLockedClauses (what local edits may do to tentatively agreed clauses)', () => {
  const locked = new Set(['r'])
  const allowed = (current: EditorState, tr: Transaction) =>
    sameLockedClauses(current.doc, tr.doc, locked)

  it('refuses typing in a locked clause’s body or heading, or in its child clause', () => {
    const current = state()
    expect(allowed(current, current.tr.insertText('x', bodyStart(current, 'r')))).toBe(false)
    expect(allowed(current, current.tr.insertText('x', at(current, 'r') + 2))).toBe(false)
    expect(allowed(current, current.tr.insertText('x', bodyStart(current, 'n')))).toBe(false)
  })

  it('refuses deleting it, moving it to another parent, or adding a child clause to it', () => {
    const current = state()
    const pos = at(current, 'r')
    const node = current.doc.nodeAt(pos) as ProseMirrorNode
    expect(allowed(current, current.tr.delete(pos, pos + node.nodeSize))).toBe(false)
    const moved = current.tr.insert(current.doc.content.size, node).delete(pos, pos + node.nodeSize)
    expect(allowed(current, moved)).toBe(false)
    const child = schema.nodeFromJSON(clause('Extra', 'x'))
    expect(allowed(current, current.tr.insert(pos + node.nodeSize - 1, child))).toBe(false)
  })

  it('allows typing in its parent’s body, in the next clause, and a new clause after it', () => {
    const current = state()
    expect(allowed(current, current.tr.insertText('x', bodyStart(current, 'w')))).toBe(true)
    expect(allowed(current, current.tr.insertText('x', bodyStart(current, 'o')))).toBe(true)
    const pos = at(current, 'r')
    const after = pos + (current.doc.nodeAt(pos) as ProseMirrorNode).nodeSize
    const sibling = schema.nodeFromJSON(clause('Sibling', 's'))
    expect(allowed(current, current.tr.insert(after, sibling))).toBe(true)
  })
})

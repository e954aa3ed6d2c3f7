import { extractClauses } from '@onetext/shared/clauses'
import { docToHtml, docToMarkdown } from '@onetext/shared/render'
import { getDocumentSchema } from '@onetext/shared/schema'
import {
  flattenSegments,
  SEGMENT_HARD_LIMIT,
  SEGMENT_NODE,
  SEGMENT_SOFT_LIMIT,
  segmentDocument,
} from '@onetext/shared/segments'
import type { JSONContent } from '@tiptap/core'
import { joinBackward, liftEmptyBlock, splitBlock } from '@tiptap/pm/commands'
import { EditorState, TextSelection } from '@tiptap/pm/state'
import {
  prosemirrorJSONToYXmlFragment,
  updateYFragment,
  yXmlFragmentToProseMirrorRootNode,
} from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  joinAcrossSegments,
  segmentBoundariesPlugin,
  unwrapSegments,
} from '../../client/src/editor/SegmentBoundaries'
import { draftJson, replaceClauseBody } from '../../server/src/negotiation/draftOps'
import { heading, paragraph } from '../helpers/docJson'

const schema = getDocumentSchema()

const flat: JSONContent = {
  type: 'doc',
  content: [
    heading(1, 'Agreement'),
    paragraph('Preamble.'),
    heading(2, 'Wages', 'w'),
    paragraph('Wages rise.'),
    heading(3, 'Base rates', 'b'),
    paragraph('Base rates rise.'),
    heading(2, 'Hours', 'h'),
    paragraph('Forty hours.'),
    { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph('Overtime.')] }] },
  ],
}

/** Texts of each top-level child: a segment as the list of its blocks' texts. */
function shape(doc: JSONContent): unknown[] {
  const text = (node: JSONContent): string =>
    node.text ?? (node.content ?? []).map((child) => text(child)).join('')
  return (doc.content ?? []).map((node) =>
    node.type === SEGMENT_NODE ? (node.content ?? []).map(text) : text(node),
  )
}

describe('segmentDocument', () => {
  it('starts a segment at each title and article heading, and reads back flat', () => {
    const segmented = segmentDocument(flat)
    expect(shape(segmented)).toEqual([
      ['Agreement', 'Preamble.'],
      ['Wages', 'Wages rise.', 'Base rates', 'Base rates rise.'],
      ['Hours', 'Forty hours.', 'Overtime.'],
    ])
    expect(flattenSegments(segmented)).toEqual(flat.content)
    expect(schema.nodeFromJSON(segmented).check()).toBeUndefined()
    // Regrouping a segmented document gives the same segments.
    expect(segmentDocument(segmented)).toEqual(segmented)
  })

  it('ends a long segment at the next heading, and a very long one at any block', () => {
    const many = (count: number) => Array.from({ length: count }, (_, i) => paragraph(`p${i}`))
    const long: JSONContent = {
      type: 'doc',
      content: [
        heading(2, 'Long', 'l'),
        ...many(SEGMENT_SOFT_LIMIT),
        heading(3, 'Section', 's'),
        ...many(SEGMENT_HARD_LIMIT + 5),
      ],
    }
    const sizes = (segmentDocument(long).content ?? []).map((segment) => segment.content?.length)
    expect(sizes).toEqual([SEGMENT_SOFT_LIMIT + 1, SEGMENT_HARD_LIMIT, 6])
  })

  it('leaves clauses, numbers and renderings exactly as in the flat document', () => {
    const segmented = segmentDocument(flat)
    expect(extractClauses(segmented)).toEqual(extractClauses(flat))
    expect(extractClauses(segmented).map((clause) => clause.number)).toEqual(['1', '1.1', '2'])
    expect(docToMarkdown(segmented)).toBe(docToMarkdown(flat))
    expect(docToHtml(segmented)).toBe(docToHtml(flat))
  })
})

/** A Yjs draft holding `json`, and an editor state of it with the boundary plugin. */
function draft(json: JSONContent) {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment('default')
  prosemirrorJSONToYXmlFragment(schema, json, fragment)
  const state = EditorState.create({
    schema,
    doc: yXmlFragmentToProseMirrorRootNode(fragment, schema),
    plugins: [segmentBoundariesPlugin()],
  })
  return { doc, fragment, state }
}

/** Position of the first occurrence of `text` in `state`'s document, plus `offset`. */
function positionOf(state: EditorState, text: string, offset = 0): number {
  let found = -1
  state.doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text?.includes(text))
      found = pos + (node.text?.indexOf(text) ?? 0)
  })
  if (found < 0) throw new Error(`no "${text}"`)
  return found + offset
}

/** Writes `state`'s document into the Yjs fragment as the editor binding does. */
function writeBack(doc: Y.Doc, fragment: Y.XmlFragment, state: EditorState): void {
  doc.transact(() => {
    updateYFragment(doc, fragment, state.doc, { mapping: new Map(), isOMark: new Map() } as never)
  })
}

function run(state: EditorState, command: ReturnType<typeof joinAcrossSegments>): EditorState {
  let next = state
  const done = command(state, (tr) => {
    next = state.apply(tr)
  })
  expect(done).toBe(true)
  return next
}

describe('editing across segment boundaries', () => {
  const three = segmentDocument(flat)

  it('Backspace at the start of a segment joins the block into the previous one', () => {
    const { doc, fragment, state } = draft(three)
    const hoursSegment = fragment.get(2) as Y.XmlElement
    const keptBlocks = hoursSegment.toArray().slice(1)
    const at = positionOf(state, 'Hours')
    const next = run(
      state.apply(state.tr.setSelection(TextSelection.create(state.doc, at))),
      joinAcrossSegments(-1),
    )
    expect(shape(next.doc.toJSON())).toEqual([
      ['Agreement', 'Preamble.'],
      ['Wages', 'Wages rise.', 'Base rates', 'Base rates rise.Hours'],
      ['Forty hours.', 'Overtime.'],
    ])
    expect(next.selection.from).toBe(positionOf(next, 'Hours'))
    // In Yjs, the second segment and its other blocks are the same items: nothing was re-created.
    writeBack(doc, fragment, next)
    expect(fragment.get(2)).toBe(hoursSegment)
    expect(hoursSegment.toArray()).toEqual(keptBlocks)
  })

  it('Delete at the end of a segment joins the next block into this one', () => {
    const { state } = draft(three)
    const at = positionOf(state, 'Preamble.', 'Preamble.'.length)
    const next = run(
      state.apply(state.tr.setSelection(TextSelection.create(state.doc, at))),
      joinAcrossSegments(1),
    )
    expect(shape(next.doc.toJSON())).toEqual([
      ['Agreement', 'Preamble.Wages'],
      ['Wages rise.', 'Base rates', 'Base rates rise.'],
      ['Hours', 'Forty hours.', 'Overtime.'],
    ])
  })

  it('is not a boundary in the middle of a segment or inside a list', () => {
    const { state } = draft(three)
    for (const [text, dir] of [
      ['Wages rise.', -1],
      ['Overtime.', -1],
    ] as const) {
      const at = positionOf(state, text)
      const moved = state.apply(state.tr.setSelection(TextSelection.create(state.doc, at)))
      expect(joinAcrossSegments(dir)(moved)).toBe(false)
    }
  })

  it('a deletion across boundaries keeps the segments it did not empty, and their blocks', () => {
    const { doc, fragment, state } = draft(three)
    const hoursSegment = fragment.get(2) as Y.XmlElement
    const overtime = hoursSegment.get(2)
    const from = positionOf(state, 'Preamble.', 3)
    const to = positionOf(state, 'Forty hours.', 5)
    const next = state.apply(state.tr.delete(from, to))
    expect(shape(next.doc.toJSON())).toEqual([['Agreement', 'Pre hours.'], ['Overtime.']])
    writeBack(doc, fragment, next)
    expect(fragment.length).toBe(2)
    expect((fragment.get(1) as Y.XmlElement).get(0)).toBe(overtime)
  })

  it('pastes what was copied across a boundary as plain blocks', () => {
    const { state } = draft(three)
    // Copied from the middle of "Wages rise." to the middle of "Forty hours.".
    const copied = state.doc.slice(positionOf(state, 'rise.'), positionOf(state, 'hours.'))
    expect(copied.content.childCount).toBe(2)
    const pasted = unwrapSegments(copied)
    expect(pasted.content.childCount).toBe(5)
    expect(pasted.openStart).toBe(copied.openStart - 1)
    expect(pasted.openEnd).toBe(copied.openEnd - 1)
    const flatState = EditorState.create({ schema, doc: schema.nodeFromJSON(flat) })
    const at = positionOf(flatState, 'Preamble.', 3)
    const next = flatState.apply(flatState.tr.replace(at, at, pasted))
    expect(next.doc.check()).toBeUndefined()
    let segments = 0
    next.doc.descendants((node) => {
      if (node.type.name === SEGMENT_NODE) segments++
    })
    expect(segments).toBe(0)
    expect(next.doc.textContent).toContain('Prerise.Base rates')
    expect(next.doc.textContent).toContain('HoursForty amble.')
  })

  it("the editor's own commands never take a block out of its segment", () => {
    const { state } = draft(three)
    const caretAt = (at: number) =>
      state.apply(state.tr.setSelection(TextSelection.create(state.doc, at)))
    // Backspace at the very start of the text: nothing to join, and nothing is lifted out.
    expect(joinBackward(caretAt(positionOf(state, 'Agreement')))).toBe(false)
    // ProseMirror's own Backspace does not cross a segment's edge (SegmentBoundaries joins).
    expect(joinBackward(caretAt(positionOf(state, 'Hours')))).toBe(false)
    // Enter in an empty paragraph makes a new paragraph, as it does in a flat draft: it neither
    // splits the segment nor lifts the paragraph out of it.
    for (const text of ['Wages rise.', 'Forty hours.']) {
      const end = positionOf(state, text, text.length)
      const empty = caretAt(end).apply(caretAt(end).tr.split(end))
      expect(liftEmptyBlock(empty)).toBe(false)
      let next = empty
      expect(splitBlock(empty, (tr) => (next = empty.apply(tr)))).toBe(true)
      expect(next.doc.childCount).toBe(3)
      expect(next.doc.check()).toBeUndefined()
    }
  })

  it('typing inside a segment changes no segment', () => {
    const { state } = draft(three)
    const next = state.apply(state.tr.insertText('x', positionOf(state, 'Forty')))
    expect(shape(next.doc.toJSON())).toEqual([
      ['Agreement', 'Preamble.'],
      ['Wages', 'Wages rise.', 'Base rates', 'Base rates rise.'],
      ['Hours', 'xForty hours.', 'Overtime.'],
    ])
  })
})

describe('replacing a clause body in a segmented draft', () => {
  it('replaces body blocks across a segment boundary and removes the segment it empties', () => {
    const json: JSONContent = {
      type: 'doc',
      content: [
        { type: SEGMENT_NODE, content: [heading(2, 'Wages', 'w'), paragraph('Old one.')] },
        { type: SEGMENT_NODE, content: [paragraph('Old two.')] },
        { type: SEGMENT_NODE, content: [paragraph('Old three.'), heading(2, 'Hours', 'h')] },
      ],
    }
    const { doc } = draft(json)
    expect(replaceClauseBody(doc, 'w', 'New words.\n- first\n- second')).toBe(true)
    const after = draftJson(doc)
    expect(shape(after)).toEqual([['Wages', 'New words.', 'firstsecond'], ['Hours']])
    expect(extractClauses(after).map((clause) => clause.text)).toEqual([
      'New words.\n- first\n- second',
      '',
    ])
    expect(schema.nodeFromJSON(after).check()).toBeUndefined()
    expect(replaceClauseBody(doc, 'missing', 'x')).toBe(false)
  })

  it('replaces a body of top-level blocks on both sides of a segment', () => {
    const json: JSONContent = {
      type: 'doc',
      content: [
        heading(2, 'Wages', 'w'),
        paragraph('Old one.'),
        { type: SEGMENT_NODE, content: [paragraph('Old two.')] },
        paragraph('Old three.'),
        heading(2, 'Hours', 'h'),
      ],
    }
    const { doc } = draft(json)
    expect(replaceClauseBody(doc, 'w', 'New words.')).toBe(true)
    const after = draftJson(doc)
    expect(shape(after)).toEqual(['Wages', 'New words.', 'Hours'])
    expect(schema.nodeFromJSON(after).check()).toBeUndefined()
  })
})

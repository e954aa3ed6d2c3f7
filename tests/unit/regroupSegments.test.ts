import { getDocumentSchema } from '@onetext/shared/schema'
import {
  flattenSegments,
  SEGMENT_HARD_LIMIT,
  SEGMENT_NODE,
  segmentDocument,
} from '@onetext/shared/segments'
import type { JSONContent } from '@tiptap/core'
import { Fragment, Slice } from '@tiptap/pm/model'
import { AllSelection, EditorState } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { segmentBoundariesPlugin } from '../../client/src/editor/SegmentBoundaries'
import { heading, paragraph } from '../helpers/docJson'

const schema = getDocumentSchema()

/** An editor state of `json` with the segment plugin. */
function editor(json: JSONContent): EditorState {
  return EditorState.create({
    schema,
    doc: schema.nodeFromJSON(json),
    plugins: [segmentBoundariesPlugin()],
  })
}

/** The top-level children: a segment as its block count, anything else as its type. */
function shape(state: EditorState): Array<number | string> {
  const children: Array<number | string> = []
  state.doc.forEach((child) => {
    children.push(child.type.name === SEGMENT_NODE ? child.childCount : child.type.name)
  })
  return children
}

/** `articles` articles of `paragraphs` paragraphs each, as flat blocks. */
function articles(count: number, paragraphs: number, from = 1): JSONContent[] {
  const blocks: JSONContent[] = []
  for (let a = from; a < from + count; a++) {
    blocks.push(heading(2, `Article ${a}`, `a${a}`))
    for (let p = 0; p < paragraphs; p++) blocks.push(paragraph(`Words ${a}.${p}.`))
  }
  return blocks
}

const segmented = segmentDocument({
  type: 'doc',
  content: [heading(1, 'Agreement'), paragraph('Preamble.'), ...articles(2, 2)],
})

describe('regrouping what a local change leaves ungrouped', () => {
  it('wraps the text left after select-all and typing in a segment', () => {
    const state = editor(segmented)
    expect(shape(state)).toEqual([2, 3, 3])
    const all = state.apply(state.tr.setSelection(new AllSelection(state.doc)))
    const typed = all.apply(all.tr.insertText('x'))
    expect(shape(typed)).toEqual([1])
    expect(typed.doc.textContent).toBe('x')
    expect(typed.doc.check()).toBeUndefined()
  })

  it('splits a segment a long paste grew past the limit, by the server’s rule, text unchanged', () => {
    const state = editor(segmented)
    const pasted = schema.nodeFromJSON({ type: 'doc', content: articles(20, 9, 10) }).content
    // Pasted after "Preamble." in the title's segment (what unwrapSegments leaves of a paste).
    let at = 0
    state.doc.descendants((node, pos) => {
      if (node.isText && node.text === 'Preamble.') at = pos + node.nodeSize + 1
    })
    const next = state.apply(state.tr.replace(at, at, new Slice(Fragment.from(pasted), 0, 0)))
    const sizes = shape(next)
    expect(sizes.every((size) => typeof size === 'number' && size <= SEGMENT_HARD_LIMIT)).toBe(true)
    // Grouped as the server groups a stored draft: one segment from each article heading.
    const expected = segmentDocument({ type: 'doc', content: flattenSegments(next.doc.toJSON()) })
    expect(next.doc.toJSON()).toEqual(expected)
    expect(next.doc.textContent).toBe(
      state.doc.textContent.replace(
        'Preamble.',
        `Preamble.${Fragment.from(pasted).textBetween(0, Fragment.from(pasted).size)}`,
      ),
    )
  })

  it('leaves a draft stored without segments as it is', () => {
    const flat = editor({ type: 'doc', content: [heading(1, 'Agreement'), paragraph('Preamble.')] })
    const all = flat.apply(flat.tr.setSelection(new AllSelection(flat.doc)))
    expect(shape(all.apply(all.tr.insertText('x')))).toEqual(['paragraph'])
    expect(shape(flat.apply(flat.tr.insertText('More. ', 1)))).toEqual(['heading', 'paragraph'])
  })

  it('changes nothing while typing inside a segment', () => {
    const state = editor(segmented)
    const next = state.apply(state.tr.insertText('x', 3))
    expect(shape(next)).toEqual([2, 3, 3])
  })

  it('never splits a segment that grows a block at a time', () => {
    const big = editor({
      type: 'doc',
      content: [{ type: SEGMENT_NODE, content: articles(1, SEGMENT_HARD_LIMIT - 1) }],
    })
    expect(shape(big)).toEqual([SEGMENT_HARD_LIMIT])
    const end = big.doc.content.size - 2
    const next = big.apply(big.tr.split(end))
    expect(shape(next)).toEqual([SEGMENT_HARD_LIMIT + 1])
  })
})

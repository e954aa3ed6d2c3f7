/**
 * The keyboard's model: roving focus moves with its orientation's arrows (wrapping, Home, End,
 * enabled items only); Alt+Down/Up in the editor find the next and previous heading; and the
 * keyboard map the page shows is the one docs/ACCESSIBILITY.md writes out.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createSchemaExtensions } from '@onetext/shared/schema'
import { getSchema } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import { KEYBOARD_MAP } from '../../client/src/components/keyboardMap'
import { rovingTarget } from '../../client/src/components/useRovingFocus'
import { neighbourHeading } from '../../client/src/editor/ClauseNavigation'

describe('rovingTarget', () => {
  const all = [0, 1, 2, 3]
  it('moves with the orientation’s arrows, wraps, and goes to the ends', () => {
    expect(rovingTarget('ArrowDown', all, 1, 'vertical')).toBe(2)
    expect(rovingTarget('ArrowDown', all, 3, 'vertical')).toBe(0)
    expect(rovingTarget('ArrowUp', all, 0, 'vertical')).toBe(3)
    expect(rovingTarget('Home', all, 2, 'vertical')).toBe(0)
    expect(rovingTarget('End', all, 0, 'horizontal')).toBe(3)
    expect(rovingTarget('ArrowRight', all, 1, 'horizontal')).toBe(2)
  })
  it('ignores the other orientation’s arrows and skips disabled items', () => {
    expect(rovingTarget('ArrowRight', all, 1, 'vertical')).toBeUndefined()
    expect(rovingTarget('ArrowDown', all, 1, 'horizontal')).toBeUndefined()
    expect(rovingTarget('ArrowRight', [0, 3], 0, 'horizontal')).toBe(3)
    expect(rovingTarget('ArrowRight', [], 0, 'horizontal')).toBeUndefined()
  })
})

describe('neighbourHeading', () => {
  const schema = getSchema(createSchemaExtensions())
  const heading = (text: string) =>
    schema.nodes.heading?.create({ level: 2 }, schema.text(text)) as never
  const paragraph = (text: string) =>
    schema.nodes.paragraph?.create(null, schema.text(text)) as never
  // <h2>One</h2><p>aaa</p><h2>Two</h2><p>bbb</p>: the headings' text starts at 1 and 13.
  const doc = schema.node('doc', null, [
    heading('One'),
    paragraph('aaa'),
    heading('Two'),
    paragraph('bbb'),
  ])
  const starts: number[] = []
  doc.forEach((node, offset) => {
    if (node.type.name === 'heading') starts.push(offset + 1)
  })

  it('finds the next heading after the caret and the one before it', () => {
    const inFirstParagraph = (starts[0] as number) + 6
    expect(neighbourHeading(doc, inFirstParagraph, true)).toBe(starts[1])
    expect(neighbourHeading(doc, inFirstParagraph, false)).toBe(starts[0])
    // At a heading's start, back is the heading before it.
    expect(neighbourHeading(doc, starts[1] as number, false)).toBe(starts[0])
    expect(neighbourHeading(doc, starts[1] as number, true)).toBeNull()
    expect(neighbourHeading(doc, starts[0] as number, false)).toBeNull()
  })
})

describe('the keyboard map', () => {
  it('is written out in docs/ACCESSIBILITY.md line for line', () => {
    const doc = fs.readFileSync(
      path.resolve(import.meta.dirname, '../../docs/ACCESSIBILITY.md'),
      'utf8',
    )
    for (const entry of KEYBOARD_MAP)
      expect(doc).toContain(`| ${entry.keys} | ${entry.where} | ${entry.does} |`)
  })
})

/**
 * The keyboard's model: roving focus moves with its orientation's arrows (wrapping, Home, End,
 * enabled items only); Alt+Down/Up in the editor find the next and previous clause heading; and the
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
import { clause, doc as docJson, paragraph } from '../helpers/docJson'

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
  // Article One (aaa) holding section One-one (ccc), then article Two (bbb): the headings in
  // document order, at any depth.
  const doc = schema.nodeFromJSON(
    docJson(
      clause('One', 'a', paragraph('aaa'), clause('One-one', 'c', paragraph('ccc'))),
      clause('Two', 'b', paragraph('bbb')),
    ),
  )
  const starts: number[] = []
  doc.descendants((node, pos) => {
    if (node.type.name === 'clauseHeading') starts.push(pos + 1)
  })

  it('finds the next clause heading after the caret and the one before it, at any depth', () => {
    expect(starts).toHaveLength(3)
    const [one, oneOne, two] = starts as [number, number, number]
    const inFirstParagraph = one + 6
    expect(neighbourHeading(doc, inFirstParagraph, true)).toBe(oneOne)
    expect(neighbourHeading(doc, inFirstParagraph, false)).toBe(one)
    expect(neighbourHeading(doc, oneOne, true)).toBe(two)
    // At a heading's start, back is the heading before it.
    expect(neighbourHeading(doc, two, false)).toBe(oneOne)
    expect(neighbourHeading(doc, oneOne + 5, false)).toBe(oneOne)
    expect(neighbourHeading(doc, two, true)).toBeNull()
    expect(neighbourHeading(doc, one, false)).toBeNull()
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

/**
 * Random edits of a clause in a party's copy (typing, deleting within and across paragraphs,
 * bold and italic on and off, paragraph splits, new and removed sub-clauses), diffed against the
 * base; applying every change to the base must give the copy back exactly, text and marks, and
 * every change rebased onto its own base stays where it is. The seed is printed (SUGG_SEED replays it).
 */
import { applyChange, applyChanges } from '@onetext/shared/suggestions/applyChange'
import { diffClause } from '@onetext/shared/suggestions/diff'
import { rebaseSpan } from '@onetext/shared/suggestions/rebase'
import { type ClauseToken, clauseTokens } from '@onetext/shared/suggestions/tokens'
import type { JSONContent } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { describe, expect, it } from 'vitest'
import { FuzzRandom } from '../../bench/src/fuzz/random'
import { bold, clause, node, schema } from '../helpers/clauseNodes'

const WORDS = [
  'the',
  'union',
  'employer',
  'shall',
  'pay',
  'workers',
  'the',
  'of',
  'five',
  "isn't",
  'state-wide',
]
const PUNCT = ['.', ',', ';', ' ', '  ']

function words(random: FuzzRandom, count: number): string {
  const out: string[] = []
  for (let index = 0; index < count; index++) {
    out.push(random.pick(WORDS))
    out.push(random.chance(0.15) ? random.pick(PUNCT) : ' ')
  }
  return out.join('').trimEnd() || 'x'
}

function paragraph(random: FuzzRandom): JSONContent {
  const parts: JSONContent[] = [{ type: 'text', text: words(random, random.int(1, 8)) }]
  if (random.chance(0.4)) parts.push(bold(` ${words(random, random.int(1, 3))}`))
  if (random.chance(0.3)) parts.push({ type: 'text', text: ` ${words(random, random.int(1, 4))}` })
  return { type: 'paragraph', content: parts }
}

let clauseCounter = 0
function subClause(random: FuzzRandom): JSONContent {
  clauseCounter++
  return clause(`s${clauseCounter}`, words(random, 2), paragraph(random))
}

function randomBase(random: FuzzRandom): PMNode {
  const blocks = Array.from({ length: random.int(1, 4) }, () => paragraph(random))
  const children = Array.from({ length: random.int(0, 2) }, () => subClause(random))
  return node(clause('c1', words(random, 2), ...blocks, ...children))
}

/** The content ranges of the clause's own textblocks (heading and body paragraphs). */
function textblocks(root: PMNode): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = []
  root.forEach((child, offset) => {
    if (child.isTextblock) out.push({ from: offset + 1, to: offset + 1 + child.content.size })
  })
  return out
}

function textPosition(random: FuzzRandom, root: PMNode) {
  const block = random.pick(textblocks(root))
  return { block, pos: random.int(block.from, block.to) }
}

function edit(random: FuzzRandom, tr: Transform): string {
  const root = tr.doc
  const body = textblocks(root).slice(1)
  const kind = random.weighted<string>([
    [4, 'type'],
    [3, 'delete'],
    [1, 'deleteAcross'],
    [2, 'bold'],
    [1, 'italic'],
    [1, 'unbold'],
    [2, 'split'],
    [1, 'paragraph'],
    [1, 'subClause'],
    [1, 'removeSubClause'],
  ])
  switch (kind) {
    case 'type': {
      const { pos } = textPosition(random, root)
      const text = random.chance(0.5) ? ` ${words(random, random.int(1, 3))}` : random.pick(WORDS)
      const marks = random.chance(0.3) ? [schema.mark('bold')] : []
      tr.insert(pos, schema.text(text, marks))
      return `type ${JSON.stringify(text)} at ${pos}${marks.length ? ' bold' : ''}`
    }
    case 'delete': {
      const { block } = textPosition(random, root)
      const from = random.int(block.from, block.to)
      const to = random.int(from, Math.min(block.to, from + 12))
      tr.delete(from, to)
      return `delete ${from}-${to}`
    }
    case 'deleteAcross': {
      if (body.length < 2) return 'none'
      const first = random.int(0, body.length - 2)
      const a = body[first] as { from: number; to: number }
      const b = body[random.int(first + 1, body.length - 1)] as { from: number; to: number }
      const from = random.int(a.from, a.to)
      const to = random.int(b.from, b.to)
      tr.delete(from, to)
      return `delete across ${from}-${to}`
    }
    case 'bold':
    case 'italic':
    case 'unbold': {
      const { block } = textPosition(random, root)
      const from = random.int(block.from, block.to)
      const to = random.int(from, block.to)
      const mark = kind === 'italic' ? schema.mark('italic') : schema.mark('bold')
      if (kind === 'unbold') tr.removeMark(from, to, mark)
      else tr.addMark(from, to, mark)
      return `${kind} ${from}-${to}`
    }
    case 'split': {
      if (body.length === 0) return 'none'
      const block = random.pick(body)
      const pos = random.int(block.from, block.to)
      tr.split(pos)
      return `split at ${pos}`
    }
    case 'paragraph': {
      if (body.length === 0) return 'none'
      const block = random.pick(body)
      const json = paragraph(random)
      tr.insert(block.to + 1, node(json))
      return `new paragraph after ${block.to}`
    }
    case 'subClause': {
      const json = subClause(random)
      tr.insert(root.content.size, node(json))
      return 'new sub-clause at the end'
    }
    default: {
      const children: Array<{ from: number; to: number }> = []
      root.forEach((child, offset) => {
        if (child.type.name === 'clause')
          children.push({ from: offset, to: offset + child.nodeSize })
      })
      if (children.length === 0) return 'none'
      const child = random.pick(children)
      tr.delete(child.from, child.to)
      return `remove sub-clause at ${child.from}`
    }
  }
}

/**
 * `root` as a reader sees it: bold and italic on spaces show nothing, and the diff
 * leaves such a format change out (diff.ts), so they are not compared.
 */
function asSeen(root: PMNode): unknown {
  const tr = new Transform(root)
  root.descendants((child, pos) => {
    if (!child.isText) return true
    for (const space of (child.text ?? '').matchAll(/\s+/g)) {
      const from = pos + (space.index ?? 0)
      for (const mark of child.marks)
        if (mark.type.name === 'bold' || mark.type.name === 'italic')
          tr.removeMark(from, from + space[0].length, mark.type)
    }
    return true
  })
  return tr.doc.toJSON()
}

describe('suggestion diff and apply, random edits', () => {
  it('applying every change of the diff to the base gives the copy exactly', () => {
    const seed = Number(process.env.SUGG_SEED ?? Math.floor(Math.random() * 2 ** 31))
    console.log(`suggestion random test: seed ${seed} (SUGG_SEED=${seed} replays it)`)
    const random = new FuzzRandom(seed)
    for (let round = 0; round < 300; round++) {
      const base = randomBase(random)
      const tr = new Transform(base)
      const made: string[] = []
      for (let count = random.int(1, 5); count > 0; count--) made.push(edit(random, tr))
      const copy = tr.doc
      copy.check()
      const diff = diffClause(base, copy)
      const what = `seed ${seed}, round ${round}: ${made.join(', ')}`
      const result = applyChanges(
        base,
        diff.baseTokens,
        diff.changes.map((change) => ({ change, span: change.base })),
        schema,
      )
      expect(asSeen(result), what).toEqual(asSeen(copy))
      for (const change of diff.changes)
        expect(rebaseSpan(change, diff.baseTokens, diff.baseTokens), what).toEqual(change.base)
    }
  })
  it('a change carried onto a text the mediator edited covers exactly the words it was written against', () => {
    const seed = Number(process.env.SUGG_SEED ?? Math.floor(Math.random() * 2 ** 31))
    console.log(`suggestion random rebase test: seed ${seed} (SUGG_SEED=${seed} replays it)`)
    const random = new FuzzRandom(seed)
    let carried = 0
    for (let round = 0; round < 300; round++) {
      const base = randomBase(random)
      const party = new Transform(base)
      const mediator = new Transform(base)
      const made: string[] = []
      for (let count = random.int(1, 3); count > 0; count--)
        made.push(`party ${edit(random, party)}`)
      for (let count = random.int(1, 3); count > 0; count--)
        made.push(`mediator ${edit(random, mediator)}`)
      const diff = diffClause(base, party.doc)
      const onto = mediator.doc
      const ontoTokens = clauseTokens(onto)
      const what = `seed ${seed}, round ${round}: ${made.join(', ')}`
      for (const change of diff.changes) {
        const span = rebaseSpan(change, diff.baseTokens, ontoTokens)
        if (span === 'outdated') continue
        carried++
        const keys = (tokens: ClauseToken[], from: number, to: number) =>
          tokens.slice(from, to).map((token) => `${token.kind}:${token.key}`)
        expect(keys(ontoTokens, span.from, span.to), what).toEqual(
          keys(diff.baseTokens, change.base.from, change.base.to),
        )
        if (change.kind === 'format')
          expect(
            ontoTokens.slice(span.from, span.to).map((token) => token.marks),
            what,
          ).toEqual(
            diff.baseTokens.slice(change.base.from, change.base.to).map((token) => token.marks),
          )
        expect(() => applyChange(onto, ontoTokens, span, change, schema), what).not.toThrow()
      }
    }
    expect(carried).toBeGreaterThan(0)
  })
})

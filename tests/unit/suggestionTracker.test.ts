/**
 * Suggesting mode's tracker (client/src/editor/suggestionTracker.ts) against edits as they reach
 * the editor: a local edit keeps the nodes it leaves alone, a colleague's arrives as a whole new
 * document (Yjs makes every node anew). Either way only the clauses that changed are compared
 * again, and the decorations after any run of edits are those a tracker started on the result
 * shows. The seed of the random run is printed (SUGG_SEED replays it).
 */

import { diffClause } from '@onetext/shared/suggestions/diff'
import type { JSONContent } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { EditorState, type Transaction } from '@tiptap/pm/state'
import { DecorationSet } from '@tiptap/pm/view'
import { describe, expect, it } from 'vitest'
import { FuzzRandom } from '../../bench/src/fuzz/random'
import { decorationKey } from '../../client/src/editor/suggestionDecorations'
import { suggestionMarksKey, suggestionMarksPlugin } from '../../client/src/editor/suggestionMarks'
import {
  changedRange,
  type SuggestionOptions,
  type SuggestionState,
} from '../../client/src/editor/suggestionTracker'
import { bold, clause, p, schema } from '../helpers/clauseNodes'

const LOOK: SuggestionOptions['look'] = {
  partyId: 'labor',
  color: '#b42318',
  userId: 'u-me',
  writer: true,
  moment: () => 'then',
}

function options(base: JSONContent, compared: string[] = []): SuggestionOptions {
  return {
    base,
    look: LOOK,
    diff: (baseNode, copy) => {
      compared.push(String(copy.attrs.clauseId))
      return diffClause(baseNode, copy)
    },
  }
}

function stateOf(doc: ProseMirrorNode, base: JSONContent, compared?: string[]): EditorState {
  return EditorState.create({
    doc,
    plugins: [suggestionMarksPlugin(options(base, compared), schema)],
  })
}

function tracked(state: EditorState): SuggestionState {
  const value = suggestionMarksKey.getState(state)
  if (!value) throw new Error('the plugin has no state')
  return value
}

/** What the decorations of `state` draw, and where, in order. */
function drawn(state: EditorState): string[] {
  return tracked(state).decorations.find().map(decorationKey).sort()
}

/** `doc` reached as a colleague's edit does: the whole document replaced by nodes made anew. */
function asRemote(state: EditorState, doc: ProseMirrorNode): Transaction {
  const fresh = schema.nodeFromJSON(doc.toJSON())
  return state.tr.replaceWith(0, state.doc.content.size, fresh.content)
}

function docJson(...clauses: JSONContent[]): JSONContent {
  return {
    type: 'doc',
    content: [{ type: 'title', content: [{ type: 'text', text: 'T' }] }, ...clauses],
  }
}

/** Iteration N: article a, article b with section b1, article c. */
const BASE = docJson(
  clause('a', 'Wages', p('Base rates rise by three percent each year.')),
  clause(
    'b',
    'Hours',
    p('The week has forty hours.'),
    clause('b1', 'Overtime', p('Overtime is paid at time and a half.')),
  ),
  clause('c', 'Training', p('Each employee receives forty hours of training.')),
)

/** The position of the first occurrence of `words` in `doc`. */
function textPosition(doc: ProseMirrorNode, words: string): number {
  let found = -1
  doc.descendants((node, pos) => {
    if (found >= 0) return false
    if (node.isText && node.text?.includes(words)) found = pos + (node.text.indexOf(words) ?? 0)
    return undefined
  })
  if (found < 0) throw new Error(`no "${words}" in the document`)
  return found
}

describe('suggestion tracker', () => {
  it('finds the one stretch an edit changed, also between documents that share no node', () => {
    const before = schema.nodeFromJSON(BASE)
    const at = textPosition(before, 'forty hours.')
    expect(changedRange(before, before)).toBeNull()
    expect(changedRange(before, schema.nodeFromJSON(BASE))).toBeNull()
    const typed = stateOf(before, BASE).tr.insertText('x', at).doc
    expect(changedRange(before, typed)).toEqual({ from: at, toBefore: at, toAfter: at + 1 })
    expect(changedRange(before, schema.nodeFromJSON(typed.toJSON()))).toEqual({
      from: at,
      toBefore: at,
      toAfter: at + 1,
    })
    // "a" typed after "a": the two ends cross, and the stretch starts where the first difference is.
    const repeated = stateOf(before, BASE).tr.insertText('e', textPosition(before, 'each year') + 1)
    const range = changedRange(before, repeated.doc)
    expect(range && range.toAfter - range.toBefore).toBe(1)
  })

  it('compares only the clause a colleague typed in and its ancestors, and keeps the others’ marks', () => {
    const compared: string[] = []
    let state = stateOf(schema.nodeFromJSON(BASE), BASE, compared)
    state = state.apply(state.tr.insertText(' paid', textPosition(state.doc, ' hours of training')))
    state = state.apply(state.tr.insertText('double ', textPosition(state.doc, 'time and a half')))
    const local = state.apply(
      state.tr.insertText(
        'four',
        textPosition(state.doc, 'three'),
        textPosition(state.doc, ' percent'),
      ),
    )
    compared.length = 0
    state = state.apply(asRemote(state, local.doc))
    expect(compared).toEqual(['a'])
    expect(drawn(state)).toEqual(drawn(stateOf(state.doc, BASE)))
    // The next local edit finds the colleague's nodes as its own: it compares only its clause.
    compared.length = 0
    state = state.apply(state.tr.insertText(' yearly', textPosition(state.doc, ' of training')))
    expect(compared).toEqual(['c'])
    expect(drawn(state)).toEqual(drawn(stateOf(state.doc, BASE)))
  })

  it('replaces only the decorations that differ: those of other paragraphs stay as they were', () => {
    const base = docJson(clause('a', 'Pay', p('Base rates rise.'), p('Each year they rise.')))
    let state = stateOf(schema.nodeFromJSON(base), base)
    state = state.apply(state.tr.insertText('The ', textPosition(state.doc, 'Base rates')))
    state = state.apply(state.tr.insertText(' now', textPosition(state.doc, ' they')))
    // The decorations of the first paragraph, as ProseMirror's view reads them.
    const firstParagraph = (current: EditorState) => {
      const clausePos = current.doc.child(0).nodeSize
      const clauseNode = current.doc.child(1)
      const heading = clauseNode.child(0).nodeSize
      return tracked(current)
        .decorations.forChild(clausePos, clauseNode)
        .forChild(heading, clauseNode.child(1))
    }
    const before = firstParagraph(state)
    expect(before).not.toBe(DecorationSet.empty)
    state = state.apply(state.tr.insertText('s', textPosition(state.doc, ' now') + 4))
    expect(firstParagraph(state)).toBe(before)
    expect(drawn(state)).toEqual(drawn(stateOf(state.doc, base)))
  })

  it('outlines the words of a bold change, not the spaces around them', () => {
    const base = docJson(clause('a', 'Pay', p('Pay the workers within five days of the end.')))
    const copy = schema.nodeFromJSON(
      docJson(clause('a', 'Pay', p('Pay the workers within', bold(' five days '), 'of the end.'))),
    )
    const state = stateOf(copy, base)
    const outlined = tracked(state)
      .decorations.find()
      .filter((decoration) => decoration.from < decoration.to)
      .map((decoration) => state.doc.textBetween(decoration.from, decoration.to))
    expect(outlined).toEqual(['five days'])
  })

  it('keeps the decorations equal to a fresh start’s through random local and remote edits', () => {
    let typedOn = 0
    const seed = Number(process.env.SUGG_SEED ?? Math.floor(Math.random() * 2 ** 31))
    console.log(`suggestion tracker random test: seed ${seed} (SUGG_SEED=${seed} replays it)`)
    const random = new FuzzRandom(seed)
    for (let round = 0; round < 40; round++) {
      const made: string[] = []
      const base = randomDoc(random)
      let state = stateOf(schema.nodeFromJSON(base), base)
      for (let step = 0; step < 12; step++) {
        const tr = state.tr
        for (let count = random.chance(0.2) ? 2 : 1; count > 0; count--)
          made.push(
            !tr.docChanged && random.chance(0.3) ? typeOn(random, tr, state) : edit(random, tr),
          )
        const remote = random.chance(0.4)
        if (remote) made.push('(remote)')
        state = state.apply(remote ? asRemote(state, tr.doc) : tr)
        state.doc.check()
        // Edits inside an insertion are compared once the typing pauses (the view's timer): what
        // the pause shows is a fresh start's. Half the time the pause comes, half the time the
        // next edits find those clauses still pending.
        const pending = tracked(state).pending
        const paused =
          pending.size > 0
            ? state.apply(state.tr.setMeta(suggestionMarksKey, { authors: pending, settle: true }))
            : state
        expect(tracked(paused).pending.size).toBe(0)
        expect(drawn(paused), `seed ${seed}, round ${round}: ${made.join(', ')}`).toEqual(
          drawn(stateOf(state.doc, base)),
        )
        if (pending.size > 0) typedOn++
        if (random.chance(0.5)) state = paused
      }
    }
    // Typing on in inserted words (compared once the typing pauses) was among the edits.
    expect(typedOn).toBeGreaterThan(0)
  })
})

const WORDS = ['the', 'union', 'shall', 'pay', 'five', 'days', 'of', 'wages', 'a']

function words(random: FuzzRandom, count: number): string {
  return Array.from({ length: count }, () => random.pick(WORDS)).join(' ')
}

let clauses = 0

function randomClause(random: FuzzRandom, depth: number): JSONContent {
  clauses++
  const blocks = Array.from({ length: random.int(1, 3) }, () =>
    random.chance(0.3) ? p(words(random, 2), bold(` ${words(random, 2)}`)) : p(words(random, 4)),
  )
  const children =
    depth < 2 ? Array.from({ length: random.int(0, 2) }, () => randomClause(random, depth + 1)) : []
  return clause(`k${clauses}`, words(random, 1), ...blocks, ...children)
}

function randomDoc(random: FuzzRandom): JSONContent {
  return docJson(...Array.from({ length: random.int(2, 4) }, () => randomClause(random, 1)))
}

/** The content ranges of the textblocks of `doc` (headings and paragraphs, not the title). */
function textblocks(doc: ProseMirrorNode, paragraphsOnly = false) {
  const out: Array<{ from: number; to: number }> = []
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true
    if (node.type.name === 'title' || (paragraphsOnly && node.type.name !== 'paragraph'))
      return false
    out.push({ from: pos + 1, to: pos + 1 + node.content.size })
    return false
  })
  return out
}

/** The clause nodes of `doc` with their positions. */
function clauseNodes(doc: ProseMirrorNode) {
  const out: Array<{ node: ProseMirrorNode; pos: number; depth: number }> = []
  doc.descendants((node, pos, parent) => {
    if (node.type.name !== 'clause') return node.isBlock && !node.isTextblock
    out.push({ node, pos, depth: parent?.type.name === 'clause' ? 2 : 1 })
    return true
  })
  return out
}

/**
 * Types into, or deletes from, an inserted run of `state` (whose document `tr` has not changed
 * yet): at its end, inside it, or at its start.
 */
function typeOn(random: FuzzRandom, tr: Transaction, state: EditorState): string {
  const runs = tracked(state)
    .decorations.find()
    .filter(
      (decoration) =>
        decoration.from < decoration.to && (decoration.spec as { kind?: string }).kind === 'insert',
    )
  if (runs.length === 0) return edit(random, tr)
  const run = random.pick(runs)
  const at = random.pick([run.to, random.int(run.from, run.to), run.from])
  if (random.chance(0.3)) {
    const to = Math.min(run.to, at + random.int(1, 3))
    tr.delete(at, to)
    return `delete ${at}-${to} of an insertion`
  }
  const text = random.pick([' ', 'x', `${random.pick(WORDS)} `, ` ${random.pick(WORDS)}`])
  tr.insertText(text, at)
  return `type ${JSON.stringify(text)} at ${at} in an insertion`
}

function edit(random: FuzzRandom, tr: Transaction): string {
  const doc = tr.doc
  const kind = random.weighted<string>([
    [5, 'type'],
    [3, 'delete'],
    [2, 'bold'],
    [1, 'split'],
    [1, 'subClause'],
    [1, 'removeClause'],
  ])
  switch (kind) {
    case 'type': {
      const block = random.pick(textblocks(doc))
      const pos = random.int(block.from, block.to)
      const text = random.chance(0.5) ? ` ${words(random, random.int(1, 2))}` : random.pick(WORDS)
      tr.insert(pos, schema.text(text, random.chance(0.2) ? [schema.mark('bold')] : []))
      return `type ${JSON.stringify(text)} at ${pos}`
    }
    case 'delete': {
      const block = random.pick(textblocks(doc))
      const from = random.int(block.from, block.to)
      const to = random.int(from, Math.min(block.to, from + 10))
      tr.delete(from, to)
      return `delete ${from}-${to}`
    }
    case 'bold': {
      const block = random.pick(textblocks(doc))
      const from = random.int(block.from, block.to)
      const to = random.int(from, block.to)
      if (random.chance(0.5)) tr.addMark(from, to, schema.mark('bold'))
      else tr.removeMark(from, to, schema.mark('bold'))
      return `bold ${from}-${to}`
    }
    case 'split': {
      const blocks = textblocks(doc, true)
      if (blocks.length === 0) return 'none'
      const block = random.pick(blocks)
      const pos = random.int(block.from, block.to)
      tr.split(pos)
      return `split at ${pos}`
    }
    case 'subClause': {
      const parent = random.pick(clauseNodes(doc).filter((found) => found.depth === 1))
      const at = parent.pos + parent.node.nodeSize - 1
      tr.insert(at, schema.nodeFromJSON(randomClause(random, 2)))
      return `new sub-clause at ${at}`
    }
    default: {
      const all = clauseNodes(doc)
      const articles = all.filter((found) => found.depth === 1).length
      const removable = all.filter((found) => found.depth === 2 || articles > 1)
      if (removable.length === 0) return 'none'
      const target = random.pick(removable)
      tr.delete(target.pos, target.pos + target.node.nodeSize)
      return `remove clause at ${target.pos}`
    }
  }
}

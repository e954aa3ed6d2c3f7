/**
 * Random structural edits of a rich-text document, made the way the editor makes them: the Yjs
 * fragment is read as a ProseMirror document (`initProseMirrorDoc`, as the editor binding does), a
 * ProseMirror transform changes it (typing, deleting within and across blocks, Enter, Backspace
 * joins, marks, code blocks, lists and quotes, lifting out of them, pasting blocks, and clauses: a
 * new clause after the current one or as its last child, a clause removed),
 * and `updateYFragment` writes the difference into Yjs in one transaction, as the binding does.
 * Undo and redo go through a Y.UndoManager on the fragment, like the editor's. A transform that
 * ProseMirror rejects, or a result its schema does not allow, is not written: the editor never
 * writes one either.
 */
import { CLAUSE_HEADING_NODE, CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { Fragment, type Mark, type Node, type NodeType, Slice } from '@tiptap/pm/model'
import { canJoin, canSplit, findWrapping, liftTarget, Transform } from '@tiptap/pm/transform'
import { initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/** The transaction origin of the user's edits (the undo manager tracks it). */
export const EDIT_ORIGIN = Symbol('converge.edit')

/** The kinds of edit {@link randomEdit} makes. */
export type EditKind =
  | 'type'
  | 'delete'
  | 'split'
  | 'join'
  | 'mark'
  | 'block'
  | 'clause'
  | 'wrap'
  | 'lift'
  | 'paste'
  | 'undo'
  | 'redo'

const WEIGHTS: ReadonlyArray<[EditKind, number]> = [
  ['type', 30],
  ['delete', 12],
  ['split', 10],
  ['join', 8],
  ['mark', 10],
  ['block', 3],
  ['clause', 5],
  ['wrap', 5],
  ['lift', 4],
  ['paste', 4],
  ['undo', 6],
  ['redo', 2],
]
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0)

/** Deepest a block may sit for a wrap edit to wrap it further. */
const MAX_WRAP_DEPTH = 8

const WORDS = ['wage', 'shift', 'leave', 'article', 'party', 'agree', 'notice', 'term', 'the', 'of']

/** The editor's undo manager for `doc`'s rich text: the user's own edits only. */
export function createUndoManager(doc: Y.Doc): Y.UndoManager {
  return new Y.UndoManager(doc.getXmlFragment(RICH_TEXT_FIELD), {
    trackedOrigins: new Set([EDIT_ORIGIN]),
  })
}

type Random = () => number

function pick<T>(random: Random, items: readonly T[]): T | undefined {
  return items[Math.floor(random() * items.length)]
}

function word(random: Random): string {
  return `${pick(random, WORDS) ?? 'x'}${Math.floor(random() * 100)}`
}

/** A textblock of the document and the position before it. */
interface Block {
  pos: number
  node: Node
}

function textblocks(doc: Node): Block[] {
  const blocks: Block[] = []
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      blocks.push({ pos, node })
      return false
    }
    return true
  })
  return blocks
}

/** A position inside `block`'s content. */
function inside(random: Random, block: Block): number {
  return block.pos + 1 + Math.floor(random() * (block.node.content.size + 1))
}

/** Two positions in order, in one block or (sometimes) from one block to a later one. */
function range(random: Random, blocks: Block[]): [number, number] | null {
  const first = Math.floor(random() * blocks.length)
  const from = blocks[first]
  if (!from) return null
  const to = random() < 0.25 ? (blocks[first + 1 + Math.floor(random() * 3)] ?? from) : from
  const a = inside(random, from)
  const b = inside(random, to)
  return a <= b ? [a, b] : [b, a]
}

function randomMark(random: Random): Mark {
  const schema = getDocumentSchema()
  const name = pick(random, ['bold', 'italic', 'strike', 'underline', 'code', 'link']) ?? 'bold'
  if (name === 'link')
    return schema.marks.link?.create({ href: `https://example.org/${word(random)}` }) as Mark
  return schema.mark(name)
}

/**
 * Positions where two neighbouring nodes can be joined (Backspace at a block's start), never at a
 * clause's edge: clauses are isolating, and Backspace never merges one into its neighbour.
 */
function joinPoints(doc: Node): number[] {
  const points: number[] = []
  const walk = (node: Node, start: number) => {
    let pos = start
    node.forEach((child, _offset, index) => {
      const before = index > 0 ? node.child(index - 1) : null
      const clauseEdge = before?.type.name === CLAUSE_NODE || child.type.name === CLAUSE_NODE
      if (before && !clauseEdge && canJoin(doc, pos)) points.push(pos)
      if (!child.isLeaf && !child.isTextblock) walk(child, pos + 1)
      pos += child.nodeSize
    })
  }
  walk(doc, 0)
  return points
}

function node(type: string): NodeType {
  return getDocumentSchema().nodes[type] as NodeType
}

function paragraph(text: string): Node {
  return node('paragraph').create(null, getDocumentSchema().text(text))
}

/** Textblocks whose type a 'block' edit may change. */
const BODY_TEXTBLOCKS: ReadonlySet<string> = new Set(['paragraph', 'codeBlock'])

/** A new clause id drawn from `random` (so that a seed replays it). */
function clauseId(random: Random): string {
  return `c${Math.floor(random() * 2 ** 48).toString(36)}`
}

/** A new clause: a heading and one paragraph of a word each. */
function newClause(random: Random): Node {
  const heading = node(CLAUSE_HEADING_NODE).create(null, getDocumentSchema().text(word(random)))
  return node(CLAUSE_NODE).create({ [CLAUSE_ID_ATTRIBUTE]: clauseId(random) }, [
    heading,
    paragraph(word(random)),
  ])
}

/**
 * A clause-tree edit around `block`: a new clause after the clause holding it (a sibling) or as
 * that clause's last child (a section), or that clause removed. Outside every clause (the title, a
 * preamble, caucus notes), a new clause at the end of the document. A removal the schema does not
 * allow (the document's only clause) fails the caller's check and is not written.
 */
function clauseEdit(tr: Transform, block: Block, random: Random): void {
  const $pos = tr.doc.resolve(block.pos + 1)
  let depth = $pos.depth
  while (depth > 0 && $pos.node(depth).type.name !== CLAUSE_NODE) depth--
  const roll = random()
  if (depth === 0) tr.insert(tr.doc.content.size, newClause(random))
  else if (roll < 0.45) tr.insert($pos.after(depth), newClause(random))
  else if (roll < 0.85) tr.insert($pos.end(depth), newClause(random))
  else tr.delete($pos.before(depth), $pos.after(depth))
}

/** Applies one edit of `kind` to `tr` (none when the drawn place does not allow it). */
function transform(kind: EditKind, tr: Transform, random: Random): void {
  const schema = getDocumentSchema()
  const blocks = textblocks(tr.doc)
  const block = pick(random, blocks)
  if (!block) return
  switch (kind) {
    case 'type': {
      const pos = inside(random, block)
      const allowed = (mark: Mark) => block.node.type.allowsMarkType(mark.type)
      const marks = random() < 0.2 ? [randomMark(random)] : [...tr.doc.resolve(pos).marks()]
      tr.insert(pos, schema.text(`${word(random)} `, marks.filter(allowed)))
      return
    }
    case 'delete': {
      const span = range(random, blocks)
      if (span) tr.delete(span[0], Math.min(span[1], span[0] + (random() < 0.8 ? 12 : 200)))
      return
    }
    case 'split': {
      const pos = inside(random, block)
      const $pos = tr.doc.resolve(pos)
      const inList = $pos.depth >= 2 && $pos.node(-1).type.name === 'listItem' && random() < 0.8
      // Enter in a heading or the title, as in a paragraph, goes on in a paragraph.
      const after = { type: node('paragraph') }
      const typesAfter = inList ? [{ type: node('listItem') }, after] : [after]
      const depth = inList ? 2 : 1
      if (canSplit(tr.doc, pos, depth, typesAfter)) tr.split(pos, depth, typesAfter)
      return
    }
    case 'join': {
      const point = pick(random, joinPoints(tr.doc))
      if (point !== undefined) tr.join(point)
      return
    }
    case 'mark': {
      const span = range(random, blocks)
      if (!span) return
      const mark = randomMark(random)
      if (random() < 0.3) tr.removeMark(span[0], span[1], mark.type)
      else tr.addMark(span[0], span[1], mark)
      return
    }
    case 'block': {
      const roll = random()
      const pos = block.pos + 1
      // Headings and the title keep their type: a clause is made with its heading, whole.
      if (!BODY_TEXTBLOCKS.has(block.node.type.name)) return
      tr.setBlockType(pos, pos, node(roll < 0.7 ? 'paragraph' : 'codeBlock'))
      return
    }
    case 'clause':
      clauseEdit(tr, block, random)
      return
    case 'wrap': {
      const span = range(random, blocks)
      if (!span) return
      const $from = tr.doc.resolve(span[0])
      // People do not nest lists and quotes dozens deep (the server refuses 48 levels).
      if ($from.depth > MAX_WRAP_DEPTH) return
      const blockRange = $from.blockRange(tr.doc.resolve(span[1]))
      const type = node(pick(random, ['bulletList', 'orderedList', 'blockquote']) ?? 'bulletList')
      const wrapping = blockRange && findWrapping(blockRange, type)
      if (blockRange && wrapping) tr.wrap(blockRange, wrapping)
      return
    }
    case 'lift': {
      const $pos = tr.doc.resolve(inside(random, block))
      const blockRange = $pos.blockRange()
      const target = blockRange && liftTarget(blockRange)
      if (blockRange && typeof target === 'number') tr.lift(blockRange, target)
      return
    }
    case 'paste': {
      const pos = inside(random, block)
      if (random() < 0.3) {
        const item = node('listItem').create(null, paragraph(word(random)))
        tr.replace(pos, pos, new Slice(Fragment.from(node('bulletList').create(null, item)), 0, 0))
      } else {
        const content = Fragment.from([paragraph(word(random)), paragraph(word(random))])
        tr.replace(pos, pos, new Slice(content, 1, 1))
      }
      return
    }
    default:
      return
  }
}

/**
 * Makes one random edit of `doc`'s rich text as its user, with `undo` for undo and redo. Returns
 * what it did, or null when the drawn edit did not apply (nothing was written).
 */
export function randomEdit(doc: Y.Doc, undo: Y.UndoManager, random: Random): EditKind | null {
  let roll = random() * TOTAL_WEIGHT
  let kind: EditKind = 'type'
  for (const [candidate, weight] of WEIGHTS) {
    roll -= weight
    if (roll < 0) {
      kind = candidate
      break
    }
  }
  if (kind === 'undo' || kind === 'redo') {
    const manager = undo
    const stack = kind === 'undo' ? manager.undoStack : manager.redoStack
    if (stack.length === 0) return null
    try {
      if (kind === 'undo') manager.undo()
      else manager.redo()
    } catch {
      // Yjs's UndoManager can throw on a stack item whose redone copy it cannot find (seen once in
      // a faulty run, in getItemCleanStart); the editor's undo key then does nothing, and so does
      // this. What the transaction changed before it threw is sent like any change.
      return null
    }
    return kind
  }
  const schema = getDocumentSchema()
  const fragment = doc.getXmlFragment(RICH_TEXT_FIELD)
  const { doc: current, meta } = initProseMirrorDoc(fragment, schema)
  const start = current.childCount > 0 ? current : schema.topNodeType.createAndFill()
  if (!start) return null
  const tr = new Transform(start)
  try {
    transform(kind, tr, random)
    if (!tr.docChanged && start === current) return null
    tr.doc.check()
  } catch {
    return null
  }
  doc.transact(() => updateYFragment(doc, fragment, tr.doc, meta), EDIT_ORIGIN)
  return kind
}

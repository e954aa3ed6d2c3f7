/**
 * Applying suggestion changes to a clause node: an insert replaces the gap between its context
 * tokens with the copy's slice, a delete removes its tokens, a format adds and removes marks. Pure
 * ProseMirror transforms over the clause node itself (positions are the tokens' own).
 */
import { type Node as PMNode, type Schema, Slice } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { type ClauseChange, gapEnd, gapStart } from './diff'
import type { ClauseToken } from './tokens'

/** A change and where it lands: `span` are token indexes in the tokens it is applied with. */
export interface PlacedChange {
  change: ClauseChange
  span: { from: number; to: number }
}

interface Edit {
  from: number
  to: number
  run: (tr: Transform, from: number, to: number) => void
}

function checkSpan(tokens: readonly ClauseToken[], span: { from: number; to: number }): void {
  if (
    !Number.isInteger(span.from) ||
    !Number.isInteger(span.to) ||
    span.from < 0 ||
    span.to < span.from ||
    span.to > tokens.length
  )
    throw new RangeError(`token span [${span.from}, ${span.to}) is outside 0..${tokens.length}`)
}

function sliceOf(change: ClauseChange, schema: Schema): Slice {
  if (change.content === undefined || change.content === null) return Slice.empty
  try {
    return Slice.fromJSON(schema, change.content as Parameters<typeof Slice.fromJSON>[1])
  } catch (error) {
    throw new RangeError(`insert content does not fit the schema: ${String(error)}`)
  }
}

/** The positions a delete of tokens [from, to) removes: a span opening with a block starts at the end of the content before it, so the block joins what precedes it. */
function deleteRange(tokens: readonly ClauseToken[], span: { from: number; to: number }) {
  const first = tokens[span.from] as ClauseToken
  const last = tokens[span.to - 1] as ClauseToken
  const from = first.kind === 'block' ? gapStart(tokens, span.from) : first.from
  return { from, to: last.to }
}

function editOf(
  clause: PMNode,
  tokens: readonly ClauseToken[],
  span: { from: number; to: number },
  change: ClauseChange,
  schema: Schema,
): Edit | null {
  checkSpan(tokens, span)
  const size = clause.content.size
  if (change.kind === 'insert') {
    const slice = sliceOf(change, schema)
    return {
      from: gapStart(tokens, span.from),
      to: gapEnd(tokens, span.from, size),
      run: (tr, from, to) => {
        tr.replace(from, to, slice)
      },
    }
  }
  if (span.from === span.to) return null
  if (change.kind === 'delete') {
    if (span.from === 0) throw new RangeError('the clause heading cannot be deleted')
    const range = deleteRange(tokens, span)
    return {
      ...range,
      run: (tr, from, to) => {
        tr.delete(from, to)
      },
    }
  }
  const add = (change.marks?.add ?? []).map((key) => schema.markFromJSON(JSON.parse(key)))
  const remove = (change.marks?.remove ?? []).map((key) => schema.markFromJSON(JSON.parse(key)))
  return {
    from: (tokens[span.from] as ClauseToken).from,
    to: (tokens[span.to - 1] as ClauseToken).to,
    run: (tr, from, to) => {
      for (const mark of remove) tr.removeMark(from, to, mark)
      for (const mark of add) tr.addMark(from, to, mark)
    },
  }
}

function pairEdit(
  clause: PMNode,
  tokens: readonly ClauseToken[],
  del: PlacedChange,
  ins: PlacedChange,
  schema: Schema,
): Edit {
  checkSpan(tokens, del.span)
  const slice = sliceOf(ins.change, schema)
  return {
    from: gapStart(tokens, del.span.from),
    to: gapEnd(tokens, del.span.to, clause.content.size),
    run: (tr, from, to) => {
      tr.replace(from, to, slice)
    },
  }
}

function finish(tr: Transform): PMNode {
  try {
    tr.doc.check()
  } catch (error) {
    throw new RangeError(`the change breaks the schema: ${String(error)}`)
  }
  return tr.doc
}

function run(tr: Transform, edits: Edit[]): void {
  // From the end backwards, each edit's positions mapped through the ones made before it.
  edits.sort((a, b) => b.from - a.from || b.to - a.to)
  for (const edit of edits) {
    const from = tr.mapping.map(edit.from, 1)
    const to = Math.max(from, tr.mapping.map(edit.to, -1))
    try {
      edit.run(tr, from, to)
    } catch (error) {
      throw new RangeError(`the change cannot be applied: ${String(error)}`)
    }
  }
}

/** Applies one change to `clause` (a clause node whose tokens are `tokens`, where the change's span is `span` (token indexes in `tokens`)); returns the new clause node. insert: replace at the gap with Slice.fromJSON(schema, change.content); delete: delete the tokens' positions; format: addMark/removeMark. Throws RangeError when the result breaks the schema. */
export function applyChange(
  clause: PMNode,
  tokens: ClauseToken[],
  span: { from: number; to: number },
  change: ClauseChange,
  schema: Schema,
): PMNode {
  const tr = new Transform(clause)
  const edit = editOf(clause, tokens, span, change, schema)
  if (edit) run(tr, [edit])
  return finish(tr)
}

/**
 * Applies several changes to `clause` at once, every span in the same `tokens` (as
 * {@link rebaseSpan} gives them onto one text). A delete and the insert it is paired with (the
 * insert's span at the end of the delete's) are applied together as one replacement of the
 * struck tokens by the inserted content, exactly as the copy has it; the other changes are applied
 * from the end backwards. Throws RangeError when a span is outside `tokens` or the result breaks
 * the schema.
 */
export function applyChanges(
  clause: PMNode,
  tokens: ClauseToken[],
  changes: readonly PlacedChange[],
  schema: Schema,
): PMNode {
  const edits: Edit[] = []
  const used = new Set<PlacedChange>()
  for (const del of changes) {
    if (del.change.kind !== 'delete' || used.has(del)) continue
    const ins = changes.find(
      (other) =>
        !used.has(other) &&
        other.change.kind === 'insert' &&
        other.span.from === del.span.to &&
        other.change.clauseId === del.change.clauseId &&
        del.change.pairedWith !== undefined &&
        other.change.pairedWith !== undefined &&
        other.change.copy.from === del.change.copy.from,
    )
    if (!ins) continue
    used.add(del)
    used.add(ins)
    edits.push(pairEdit(clause, tokens, del, ins, schema))
  }
  for (const placed of changes) {
    if (used.has(placed)) continue
    const edit = editOf(clause, tokens, placed.span, placed.change, schema)
    if (edit) edits.push(edit)
  }
  const tr = new Transform(clause)
  run(tr, edits)
  return finish(tr)
}

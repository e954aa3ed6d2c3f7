/**
 * Clause text (plain, one line per block, list items starting with "- " or "1. ", as
 * shared/src/clauses.ts writes it) split back into the paragraphs and lists it came from; also
 * for a word diff of two clause texts, line by line (`trackedBlocks`).
 */
import type { WordOp } from '@onetext/shared/wordDiff'

/** One block of a clause body: a paragraph, or a list with its items; `T` is one line's content. */
export type Block<T> =
  | { kind: 'paragraph'; text: T }
  | { kind: 'bullets'; items: T[] }
  | { kind: 'numbered'; start: number; items: T[] }

/** A block of plain clause text. */
export type ClauseBlock = Block<string>

/** A block of a word diff: each line is the operations that fall on it. */
export type TrackedBlock = Block<WordOp[]>

const BULLET = /^- /
const NUMBERED = /^(\d+)\. /
/** A list marker on its own, as a word diff shows a renumbered or re-bulleted item. */
const OTHER_MARKER = /^\s*(\d+\.|-)\s*$/

/**
 * Groups lines into blocks: consecutive list lines of one kind form one list, blank lines end a
 * list and are dropped. `textOf` is the line as read (its list marker decides its kind);
 * `strip(line, n)` is the line without its first `n` characters (the marker).
 */
function groupLines<T>(
  lines: readonly T[],
  textOf: (line: T) => string,
  strip: (line: T, length: number) => T,
  isBlank: (line: T) => boolean,
): Block<T>[] {
  const blocks: Block<T>[] = []
  for (const line of lines) {
    const last = blocks[blocks.length - 1]
    const text = textOf(line)
    const bullet = BULLET.exec(text)
    if (bullet) {
      const item = strip(line, bullet[0].length)
      if (last?.kind === 'bullets') last.items.push(item)
      else blocks.push({ kind: 'bullets', items: [item] })
      continue
    }
    const numbered = NUMBERED.exec(text)
    if (numbered) {
      const item = strip(line, numbered[0].length)
      if (last?.kind === 'numbered') last.items.push(item)
      else blocks.push({ kind: 'numbered', start: Number(numbered[1]), items: [item] })
      continue
    }
    if (!isBlank(line)) blocks.push({ kind: 'paragraph', text: line })
  }
  return blocks
}

/** Splits clause text into blocks: consecutive list lines of one kind form one list. */
export function clauseBlocks(text: string): ClauseBlock[] {
  return groupLines(
    text.split('\n'),
    (line) => line,
    (line, length) => line.slice(length),
    (line) => line.trim() === '',
  )
}

/**
 * Which text of a word diff gives the lines their structure: `after` (the default) the text after
 * the change (kept and inserted words), `before` the text before it (kept and deleted words).
 */
export type DiffSide = 'after' | 'before'

/** The kind of operation that is not part of `side`'s text. */
function otherKind(side: DiffSide): '+' | '-' {
  return side === 'after' ? '-' : '+'
}

/**
 * Splits a word diff of two clause texts into lines of `side`'s text. A line break in that text
 * ends a line; one only in the other text (deleted, for `after`) joins two lines, and is shown as
 * a space inside those words.
 */
export function trackedLines(ops: readonly WordOp[], side: DiffSide = 'after'): WordOp[][] {
  const other = otherKind(side)
  const lines: WordOp[][] = [[]]
  const add = (op: WordOp) => {
    if (op[1] !== '') lines[lines.length - 1]?.push(op)
  }
  for (const [kind, text] of ops) {
    if (kind === other) {
      add([kind, text.replace(/\n/g, ' ')])
      continue
    }
    const parts = text.split('\n')
    parts.forEach((part, index) => {
      if (index > 0) lines.push([])
      add([kind, part])
    })
  }
  return lines
}

/** The line as it reads on `side` of the change. */
function textOn(line: readonly WordOp[], side: DiffSide): string {
  const other = otherKind(side)
  return line
    .filter(([kind]) => kind !== other)
    .map(([, text]) => text)
    .join('')
}

/** The line without the first `length` characters of its text on `side`. */
function stripOn(line: readonly WordOp[], length: number, side: DiffSide): WordOp[] {
  const other = otherKind(side)
  let left = length
  const stripped: WordOp[] = []
  for (const [kind, text] of line) {
    // The other text's own marker ("2." renumbered "3.") is the list's numbering, not a change.
    if (kind === other && left > 0 && OTHER_MARKER.test(text)) continue
    if (kind === other || left === 0) {
      stripped.push([kind, text])
      continue
    }
    const cut = Math.min(left, text.length)
    left -= cut
    if (cut < text.length) stripped.push([kind, text.slice(cut)])
  }
  return stripped
}

/**
 * A word diff of two clause texts as the paragraphs and lists of `side`'s text (by default the
 * text after the change; a line's list marker there decides its kind), each line keeping its own
 * operations.
 */
export function trackedBlocks(ops: readonly WordOp[], side: DiffSide = 'after'): TrackedBlock[] {
  return groupLines(
    trackedLines(ops, side),
    (line) => textOn(line, side),
    (line, length) => stripOn(line, length, side),
    (line) => line.every(([, text]) => text.trim() === ''),
  )
}

/**
 * A clause diff's operations without the clause's heading line, which a view shows above them
 * (a clause's text starts with its heading; unchanged, it is the start of the first operation).
 * Returns `ops` as they are when they do not start with the unchanged heading.
 */
export function bodyOps(ops: readonly WordOp[], heading: string): readonly WordOp[] {
  const [first, ...rest] = ops
  const prefix = `${heading}\n`
  if (first?.[0] !== '=' || !first[1].startsWith(prefix)) return ops
  const remainder = first[1].slice(prefix.length)
  return remainder ? [['=', remainder], ...rest] : rest
}

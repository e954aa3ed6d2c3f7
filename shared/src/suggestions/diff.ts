/**
 * The structure-aware word diff of a suggestion copy against its base: one clause's tokens
 * ({@link clauseTokens}) aligned with jsdiff's `diffArrays`, the differences grouped into insert,
 * delete and format changes.
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import { type ChangeObject, diffArrays } from 'diff'
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '../clauses'
import { type ClauseToken, clauseTokens, parseMarksKey, sameToken, tokensText } from './tokens'

/** What a change does. */
export type ChangeKind = 'insert' | 'delete' | 'format'

/** One change of a clause: a run of inserted, deleted or reformatted tokens. */
export interface ClauseChange {
  kind: ChangeKind
  clauseId: string
  /** Plain text of the change (inserted words, struck words, or formatted words); see {@link tokensText}. */
  text: string
  /** Token index span [from, to) in the BASE tokens (an insert has from === to: the gap before base token `from`). */
  base: { from: number; to: number }
  /** Token index span [from, to) in the COPY tokens (a delete has from === to). */
  copy: { from: number; to: number }
  /** Text of the one base token before and after the span ('' at an edge). */
  context: { before: string; after: string }
  /** Index (in the returned array) of the insert paired with this delete, or the delete paired with this insert. */
  pairedWith?: number
  /**
   * For insert: ProseMirror Slice JSON (`slice.toJSON()`) of the copy from the end of the token
   * before the span to the start of the token after it (the end of the clause's content at the
   * end), so that it carries the closing and opening of blocks a split or a new block needs.
   */
  content?: unknown
  /** For format: canonical mark JSON strings ({@link markKey}) added and removed. */
  marks?: { add: string[]; remove: string[] }
}

/** The diff of one clause. */
export interface ClauseDiff {
  clauseId: string
  baseTokens: ClauseToken[]
  copyTokens: ClauseToken[]
  changes: ClauseChange[]
  rewritten: boolean
}

/** jsdiff gives up past this many edits (the clause then shows as rewritten). */
export const MAX_EDIT_LENGTH = 2000
/** jsdiff gives up after this many milliseconds (the clause then shows as rewritten)... */
export const DIFF_TIMEOUT_MS = 5
/**
 * ...unless that first attempt ran out of time rather than edits (a cold start, a busy machine):
 * it is then tried once more with this budget, so that the same texts give the same diff.
 */
export const DIFF_RETRY_TIMEOUT_MS = 250

/**
 * jsdiff's `diffArrays` with {@link MAX_EDIT_LENGTH} and {@link DIFF_TIMEOUT_MS} (retried once
 * with {@link DIFF_RETRY_TIMEOUT_MS} when the time ran out first). Undefined when it gave up.
 */
export function boundedDiffArrays<T>(
  oldItems: readonly T[],
  newItems: readonly T[],
  comparator: (a: T, b: T) => boolean,
): ChangeObject<T[]>[] | undefined {
  const attempt = (timeout: number) =>
    diffArrays(oldItems as T[], newItems as T[], {
      comparator,
      maxEditLength: MAX_EDIT_LENGTH,
      timeout,
    })
  const started = Date.now()
  const parts = attempt(DIFF_TIMEOUT_MS)
  if (parts || Date.now() - started < DIFF_TIMEOUT_MS) return parts
  return attempt(DIFF_RETRY_TIMEOUT_MS)
}

/** One aligned run of two token lists. */
export interface TokenRun {
  kind: 'equal' | 'removed' | 'added'
  /** Index of the run's first token in the old list (for 'added', the gap it is inserted at). */
  oldStart: number
  /** Index of the run's first token in the new list (for 'removed', the gap it was deleted at). */
  newStart: number
  count: number
}

/**
 * Aligns two token lists with jsdiff's `diffArrays` (tokens equal by {@link sameToken}, giving up
 * past {@link MAX_EDIT_LENGTH} edits or out of time: {@link boundedDiffArrays}). Returns the runs in order,
 * or null when jsdiff gave up.
 */
export function alignTokens(
  oldTokens: readonly ClauseToken[],
  newTokens: readonly ClauseToken[],
): TokenRun[] | null {
  const parts = boundedDiffArrays(oldTokens, newTokens, sameToken)
  if (!parts) return null
  const runs: TokenRun[] = []
  let oldIndex = 0
  let newIndex = 0
  for (const part of parts) {
    const count = part.count ?? part.value.length
    if (count === 0) continue
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'equal'
    runs.push({ kind, oldStart: oldIndex, newStart: newIndex, count })
    if (kind !== 'added') oldIndex += count
    if (kind !== 'removed') newIndex += count
  }
  return runs
}

const ABSORBED: ReadonlySet<string> = new Set(['space', 'block'])

/**
 * Joins changes that only whitespace or block openings separate ("five" → "ten", " ", + "working" becomes "five" →
 * "ten working"; a new list before a paragraph is one insert, not its item's paragraph matched
 * with the next paragraph): such an equal run between two changed runs counts as struck and
 * re-inserted, the changed runs between two equal runs become one removed and one added run, and
 * the tokens equal at both ends of the two stay equal.
 */
function joinAcrossWhitespace(
  runs: TokenRun[],
  oldTokens: readonly ClauseToken[],
  newTokens: readonly ClauseToken[],
): TokenRun[] {
  const marked = runs.map((run, index) => {
    if (run.kind !== 'equal' || index === 0 || index === runs.length - 1) return run
    for (let offset = 0; offset < run.count; offset++)
      if (!ABSORBED.has((oldTokens[run.oldStart + offset] as ClauseToken).kind)) return run
    return { ...run, kind: 'changed' as const }
  })
  const out: TokenRun[] = []
  let index = 0
  while (index < marked.length) {
    const run = marked[index] as TokenRun | (Omit<TokenRun, 'kind'> & { kind: 'changed' })
    if (run.kind === 'equal') {
      out.push(run)
      index++
      continue
    }
    let oldStart = run.oldStart
    let newStart = run.newStart
    let removed = 0
    let added = 0
    let first = true
    while (index < marked.length && (marked[index] as { kind: string }).kind !== 'equal') {
      const part = marked[index] as TokenRun | (Omit<TokenRun, 'kind'> & { kind: 'changed' })
      if (first) {
        oldStart = part.oldStart
        newStart = part.newStart
        first = false
      }
      if (part.kind !== 'added') removed += part.count
      if (part.kind !== 'removed') added += part.count
      index++
    }
    // The same tokens at both ends of the two sides stay equal.
    let prefix = 0
    while (
      prefix < removed &&
      prefix < added &&
      sameAndMarked(oldTokens[oldStart + prefix], newTokens[newStart + prefix])
    )
      prefix++
    let suffix = 0
    while (
      suffix < removed - prefix &&
      suffix < added - prefix &&
      sameAndMarked(
        oldTokens[oldStart + removed - 1 - suffix],
        newTokens[newStart + added - 1 - suffix],
      )
    )
      suffix++
    if (prefix > 0) out.push({ kind: 'equal', oldStart, newStart, count: prefix })
    const innerOld = oldStart + prefix
    const innerNew = newStart + prefix
    const innerRemoved = removed - prefix - suffix
    const innerAdded = added - prefix - suffix
    if (innerRemoved > 0)
      out.push({ kind: 'removed', oldStart: innerOld, newStart: innerNew, count: innerRemoved })
    if (innerAdded > 0)
      out.push({
        kind: 'added',
        oldStart: innerOld + innerRemoved,
        newStart: innerNew,
        count: innerAdded,
      })
    if (suffix > 0)
      out.push({
        kind: 'equal',
        oldStart: innerOld + innerRemoved,
        newStart: innerNew + innerAdded,
        count: suffix,
      })
  }
  return out
}

function sameAndMarked(a: ClauseToken | undefined, b: ClauseToken | undefined): boolean {
  return a !== undefined && b !== undefined && sameToken(a, b) && a.marks === b.marks
}

/**
 * Moves a lone inserted or deleted run back over equal tokens (the same tokens repeat at its end)
 * when that makes it start with a block: a new paragraph typed after another then shows as "¶ and
 * its words", not as "its words and the next paragraph's ¶".
 */
function slideToBlocks(
  runs: TokenRun[],
  oldTokens: readonly ClauseToken[],
  newTokens: readonly ClauseToken[],
): void {
  for (let index = 1; index < runs.length; index++) {
    const run = runs[index] as TokenRun
    const prev = runs[index - 1] as TokenRun
    const next = runs[index + 1]
    if (run.kind === 'equal' || prev.kind !== 'equal') continue
    if (next && next.kind !== 'equal') continue
    const tokens = run.kind === 'added' ? newTokens : oldTokens
    const start = run.kind === 'added' ? run.newStart : run.oldStart
    if ((tokens[start] as ClauseToken).kind === 'block') continue
    let shift = 0
    for (let k = 1; k <= prev.count; k++) {
      const before = tokens[start - k]
      const end = tokens[start + run.count - k]
      if (!before || !end || !sameToken(before, end)) break
      if (before.kind === 'block') {
        shift = k
        break
      }
    }
    if (shift === 0) continue
    prev.count -= shift
    run.oldStart -= shift
    run.newStart -= shift
    if (next) {
      next.oldStart -= shift
      next.newStart -= shift
      next.count += shift
    } else {
      runs.push({
        kind: 'equal',
        oldStart: run.kind === 'added' ? run.oldStart : run.oldStart + run.count,
        newStart: run.kind === 'added' ? run.newStart + run.count : run.newStart,
        count: shift,
      })
    }
    if (prev.count === 0) {
      runs.splice(index - 1, 1)
      index--
    }
  }
}

function clauseIdOfNode(node: PMNode): string {
  const id = node.attrs[CLAUSE_ID_ATTRIBUTE]
  return typeof id === 'string' ? id : ''
}

/** The position of the end of the token before index `index` (0 before the first). */
export function gapStart(tokens: readonly ClauseToken[], index: number): number {
  return index > 0 ? (tokens[index - 1]?.to ?? 0) : 0
}

/** The position of the start of token `index` (the end of the content past the last token). */
export function gapEnd(tokens: readonly ClauseToken[], index: number, contentSize: number): number {
  return tokens[index]?.from ?? contentSize
}

function context(tokens: readonly ClauseToken[], from: number, to: number) {
  return { before: tokens[from - 1]?.text ?? '', after: tokens[to]?.text ?? '' }
}

function insertContent(copy: PMNode, tokens: readonly ClauseToken[], from: number, to: number) {
  return copy.slice(gapStart(tokens, from), gapEnd(tokens, to, copy.content.size)).toJSON()
}

function formatChanges(
  clauseId: string,
  baseTokens: readonly ClauseToken[],
  copyTokens: readonly ClauseToken[],
  run: TokenRun,
  out: ClauseChange[],
): void {
  let open: ClauseChange | null = null
  let openSignature = ''
  for (let offset = 0; offset < run.count; offset++) {
    const base = baseTokens[run.oldStart + offset] as ClauseToken
    const copy = copyTokens[run.newStart + offset] as ClauseToken
    if (base.marks === copy.marks) {
      open = null
      continue
    }
    const before = new Set(parseMarksKey(base.marks))
    const after = new Set(parseMarksKey(copy.marks))
    const add = [...after].filter((mark) => !before.has(mark)).sort()
    const remove = [...before].filter((mark) => !after.has(mark)).sort()
    const signature = JSON.stringify([add, remove])
    if (open && openSignature === signature) {
      open.base.to++
      open.copy.to++
      continue
    }
    open = {
      kind: 'format',
      clauseId,
      text: '',
      base: { from: run.oldStart + offset, to: run.oldStart + offset + 1 },
      copy: { from: run.newStart + offset, to: run.newStart + offset + 1 },
      context: { before: '', after: '' },
      marks: { add, remove },
    }
    openSignature = signature
    out.push(open)
  }
}

/** Diff one clause (same clauseId) of base against copy. `rewritten` true (changes = one delete of all + one insert of all) when jsdiff gives up (maxEditLength 2000, timeout 5ms, retried once with 250 ms when the time ran out first). */
export function diffClause(base: PMNode, copy: PMNode): ClauseDiff {
  const clauseId = clauseIdOfNode(copy)
  const baseTokens = clauseTokens(base)
  const copyTokens = clauseTokens(copy)
  const aligned = alignTokens(baseTokens, copyTokens)
  const runs = aligned && joinAcrossWhitespace(aligned, baseTokens, copyTokens)
  if (runs) slideToBlocks(runs, baseTokens, copyTokens)
  const changes: ClauseChange[] = []
  if (!runs) {
    // Everything after the heading token (always first on both sides) is struck and re-inserted.
    const del: ClauseChange = {
      kind: 'delete',
      clauseId,
      text: tokensText(baseTokens.slice(1)),
      base: { from: 1, to: baseTokens.length },
      copy: { from: 1, to: 1 },
      context: context(baseTokens, 1, baseTokens.length),
      pairedWith: 1,
    }
    const ins: ClauseChange = {
      kind: 'insert',
      clauseId,
      text: tokensText(copyTokens.slice(1)),
      base: { from: baseTokens.length, to: baseTokens.length },
      copy: { from: 1, to: copyTokens.length },
      context: context(baseTokens, baseTokens.length, baseTokens.length),
      pairedWith: 0,
      content: insertContent(copy, copyTokens, 1, copyTokens.length),
    }
    return { clauseId, baseTokens, copyTokens, changes: [del, ins], rewritten: true }
  }
  for (let index = 0; index < runs.length; index++) {
    const run = runs[index] as TokenRun
    if (run.kind === 'equal') {
      formatChanges(clauseId, baseTokens, copyTokens, run, changes)
      continue
    }
    const next = runs[index + 1]
    const removed = run.kind === 'removed' ? run : next?.kind === 'removed' ? next : null
    const added = run.kind === 'added' ? run : next?.kind === 'added' ? next : null
    if (removed && added) index++
    let deleteIndex = -1
    if (removed) {
      deleteIndex = changes.length
      const from = removed.oldStart
      const to = removed.oldStart + removed.count
      changes.push({
        kind: 'delete',
        clauseId,
        text: tokensText(baseTokens.slice(from, to)),
        base: { from, to },
        // Paired: the gap in the copy is where the inserted tokens stand.
        copy: added
          ? { from: added.newStart, to: added.newStart }
          : { from: removed.newStart, to: removed.newStart },
        context: context(baseTokens, from, to),
      })
    }
    if (added) {
      const gap = removed ? removed.oldStart + removed.count : added.oldStart
      const from = added.newStart
      const to = added.newStart + added.count
      const insert: ClauseChange = {
        kind: 'insert',
        clauseId,
        text: tokensText(copyTokens.slice(from, to)),
        base: { from: gap, to: gap },
        copy: { from, to },
        context: context(baseTokens, gap, gap),
        content: insertContent(copy, copyTokens, from, to),
      }
      if (deleteIndex >= 0) {
        insert.pairedWith = deleteIndex
        const paired = changes[deleteIndex] as ClauseChange
        paired.pairedWith = changes.length
      }
      changes.push(insert)
    }
  }
  for (const change of changes) {
    if (change.kind !== 'format') continue
    change.text = tokensText(baseTokens.slice(change.base.from, change.base.to))
    change.context = context(baseTokens, change.base.from, change.base.to)
  }
  return { clauseId, baseTokens, copyTokens, changes, rewritten: false }
}

function clausesById(doc: PMNode): Map<string, PMNode> {
  const byId = new Map<string, PMNode>()
  doc.descendants((node) => {
    if (node.type.name !== CLAUSE_NODE) return true
    const id = clauseIdOfNode(node)
    if (id !== '' && !byId.has(id)) byId.set(id, node)
    return true
  })
  return byId
}

/** Diff every clause of the copy doc against the base doc, by clauseId. A clause new in the copy shows as an insert of a 'clause' token in its parent; a removed one as a delete in its parent. Clauses without an id, and top-level clauses new in the copy (which have no parent clause), are not in the map. */
export function diffDocument(base: PMNode, copy: PMNode): Map<string, ClauseDiff> {
  const baseClauses = clausesById(base)
  const result = new Map<string, ClauseDiff>()
  for (const [id, copyClause] of clausesById(copy)) {
    const baseClause = baseClauses.get(id)
    if (baseClause) result.set(id, diffClause(baseClause, copyClause))
  }
  return result
}

/**
 * The structure-aware word diff of a suggestion copy against its base: one clause's tokens
 * ({@link clauseTokens}) aligned with jsdiff's `diffArrays`, the differences grouped into insert,
 * delete and format changes.
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '../clauses'
import { alignTokens, joinAcrossWhitespace, slideToBlocks, type TokenRun } from './align'
import { type ClauseToken, clauseTokens, parseMarksKey, tokensText } from './tokens'

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
  /** The base clause's tokens, shared by every diff against that clause node: never change them. */
  baseTokens: ClauseToken[]
  copyTokens: ClauseToken[]
  changes: ClauseChange[]
  rewritten: boolean
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

/** Marks a reader can see on a space: the others (bold, italic) change nothing there. */
const SEEN_ON_SPACE = new Set(['underline', 'strike', 'link', 'highlight', 'code'])

/**
 * True when a reader sees on a space what format change `change` does (an underline, a link),
 * false when only its words show it (bold, italic).
 */
export function formatSeenOnSpace(change: Pick<ClauseChange, 'marks'>): boolean {
  const marks = [...(change.marks?.add ?? []), ...(change.marks?.remove ?? [])]
  return marks.some((mark) => {
    const type = (JSON.parse(mark) as { type?: unknown }).type
    return typeof type !== 'string' || SEEN_ON_SPACE.has(type)
  })
}

/**
 * True when a format change touches only whitespace and only with marks nobody sees there: the
 * space before bold words typed in ("after **promptly**") is no change of its own.
 */
function unseenFormat(change: ClauseChange, copyTokens: readonly ClauseToken[]): boolean {
  for (let index = change.copy.from; index < change.copy.to; index++)
    if (copyTokens[index]?.kind !== 'space') return false
  return !formatSeenOnSpace(change)
}

function formatChanges(
  clauseId: string,
  baseTokens: readonly ClauseToken[],
  copyTokens: readonly ClauseToken[],
  run: TokenRun,
  out: ClauseChange[],
): void {
  const first = out.length
  collectFormatChanges(clauseId, baseTokens, copyTokens, run, out)
  for (let index = out.length - 1; index >= first; index--)
    if (unseenFormat(out[index] as ClauseChange, copyTokens)) out.splice(index, 1)
}

function collectFormatChanges(
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

/**
 * The tokens of each base clause compared (an iteration's clause is compared again on every
 * keystroke in the copy's same clause, and its node never changes): made once, never changed.
 */
const baseTokensOf = new WeakMap<PMNode, ClauseToken[]>()

function baseClauseTokens(base: PMNode): ClauseToken[] {
  const cached = baseTokensOf.get(base)
  if (cached) return cached
  const made = clauseTokens(base)
  baseTokensOf.set(base, made)
  return made
}

/** Diff one clause (same clauseId) of base against copy. `rewritten` true (changes = one delete of all + one insert of all) when jsdiff gives up (maxEditLength 2000, timeout 5ms, retried once with 250 ms when the time ran out first). */
export function diffClause(base: PMNode, copy: PMNode): ClauseDiff {
  const clauseId = clauseIdOfNode(copy)
  const baseTokens = baseClauseTokens(base)
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

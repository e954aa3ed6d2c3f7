/**
 * The token model of tracked suggestions: one clause node's own content as a flat list of tokens
 * (its heading, its body blocks with list items flattened, each child clause as one opaque token),
 * the unit that suggestions are diffed, rebased and applied in.
 */
import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import { CLAUSE_HEADING_NODE, CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '../clauses'

/** What a token stands for. */
export type TokenKind = 'heading' | 'block' | 'break' | 'clause' | 'word' | 'space' | 'punct'

/** One token of a clause's own content (shared between calls: never changed). */
export interface ClauseToken {
  readonly kind: TokenKind
  /** Comparison key: structural tokens 'h' | 'b:<type>:<attrsKey>' | 'br' | 'c:<clauseId>'; text tokens their text. */
  readonly key: string
  /** The token's text ('' for structural tokens except 'c:' which has the child clause's plain text). */
  readonly text: string
  /** Canonical sorted JSON of the token's marks; '' when none. */
  readonly marks: string
  /** ProseMirror positions relative to the start of the clause node's CONTENT
   *  (absolute position = position before the clause node + 1 + from). A 'block' token spans
   *  from the block's opening position to its opening position + 1; a 'clause' token spans the
   *  whole child clause node; text tokens span their characters. */
  readonly from: number
  readonly to: number
}

/** Words (letters, digits and combining marks, with inner ' ’ -), whitespace runs, or one other character. */
const TEXT_TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’-][\p{L}\p{N}\p{M}]+)*|\s+|[\s\S]/gu
const WORD = /^[\p{L}\p{N}\p{M}]/u

/**
 * JSON of `value` with object keys sorted, so that equal values give equal strings whatever the
 * order their keys were written in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** The canonical JSON of one mark (its type and attributes), as {@link ClauseChange} mark lists name it. */
export function markKey(mark: Mark): string {
  return canonicalJson(mark.toJSON())
}

/** The canonical key of a set of marks: the sorted JSON array of their {@link markKey}s, '' when none. */
export function marksKey(marks: readonly Mark[]): string {
  if (marks.length === 0) return ''
  return `[${marks.map(markKey).sort().join(',')}]`
}

/** The mark keys a {@link marksKey} string holds ('' gives none). */
export function parseMarksKey(marks: string): string[] {
  if (marks === '') return []
  return (JSON.parse(marks) as unknown[]).map(canonicalJson)
}

function attrsKey(node: PMNode): string {
  const attrs = node.attrs
  return Object.keys(attrs).length === 0 ? '' : canonicalJson(attrs)
}

/** The plain text of a node: blocks separated by newlines, hard breaks as newlines. */
export function plainText(node: PMNode): string {
  return node.textBetween(0, node.content.size, '\n', (leaf) =>
    leaf.type.name === 'hardBreak' ? '\n' : '',
  )
}

function inlineTokens(block: PMNode, start: number, out: ClauseToken[]): void {
  block.forEach((child, offset) => {
    const from = start + offset
    if (child.isText) {
      const text = child.text ?? ''
      const marks = marksKey(child.marks)
      for (const match of text.matchAll(TEXT_TOKEN)) {
        const value = match[0]
        const at = from + (match.index ?? 0)
        const kind: TokenKind = WORD.test(value) ? 'word' : /^\s/u.test(value) ? 'space' : 'punct'
        out.push({ kind, key: value, text: value, marks, from: at, to: at + value.length })
      }
    } else if (child.type.name === 'hardBreak') {
      out.push({
        kind: 'break',
        key: 'br',
        text: '',
        marks: marksKey(child.marks),
        from,
        to: from + 1,
      })
    } else {
      out.push({
        kind: 'punct',
        key: `i:${child.type.name}:${attrsKey(child)}`,
        text: '\uFFFC',
        marks: marksKey(child.marks),
        from,
        to: from + child.nodeSize,
      })
    }
  })
}

function blockTokens(block: PMNode, from: number, out: ClauseToken[]): void {
  out.push({
    kind: 'block',
    key: `b:${block.type.name}:${attrsKey(block)}`,
    text: '',
    marks: '',
    from,
    to: from + 1,
  })
  if (block.isTextblock) inlineTokens(block, from + 1, out)
  else if (!block.isLeaf)
    block.forEach((child, offset) => {
      blockTokens(child, from + 1 + offset, out)
    })
}

/**
 * Tokens of each child of a clause seen so far, at positions relative to the child's start. Nodes
 * never change, and an edit keeps every node it leaves alone: a keystroke tokenizes one paragraph
 * again, not the whole clause (nor a child clause's whole text).
 */
const childTokens = new WeakMap<PMNode, readonly ClauseToken[]>()

function tokensOfChild(child: PMNode): readonly ClauseToken[] {
  const cached = childTokens.get(child)
  if (cached) return cached
  const out: ClauseToken[] = []
  if (child.type.name === CLAUSE_HEADING_NODE) {
    out.push({ kind: 'heading', key: 'h', text: '', marks: '', from: 0, to: 1 })
    inlineTokens(child, 1, out)
  } else if (child.type.name === CLAUSE_NODE) {
    out.push({
      kind: 'clause',
      key: `c:${String(child.attrs[CLAUSE_ID_ATTRIBUTE] ?? '')}`,
      text: plainText(child),
      marks: '',
      from: 0,
      to: child.nodeSize,
    })
  } else blockTokens(child, 0, out)
  childTokens.set(child, out)
  return out
}

/**
 * Tokens of each child of a clause at the offset it was last seen at in its clause (positions
 * relative to the clause's content). A clause compared again after an edit reuses those of every
 * child before the edit, and those of a clause that never changes (iteration N's) are made once.
 */
const placedTokens = new WeakMap<PMNode, { offset: number; tokens: readonly ClauseToken[] }>()

function tokensOfChildAt(child: PMNode, offset: number): readonly ClauseToken[] {
  const placed = placedTokens.get(child)
  if (placed && placed.offset === offset) return placed.tokens
  const own = tokensOfChild(child)
  const tokens =
    offset === 0
      ? own
      : own.map((token) => ({ ...token, from: token.from + offset, to: token.to + offset }))
  placedTokens.set(child, { offset, tokens })
  return tokens
}

/**
 * The tokens of one clause node's own content: heading, body blocks (list items flattened), child
 * clauses as one opaque token each. The array is the caller's; the tokens in it are shared with
 * other calls and never change.
 */
export function clauseTokens(clause: PMNode): ClauseToken[] {
  if (clause.type.name !== CLAUSE_NODE)
    throw new RangeError(`clauseTokens needs a clause node, not ${clause.type.name}`)
  const parts: Array<readonly ClauseToken[]> = []
  let count = 0
  clause.forEach((child, offset) => {
    const tokens = tokensOfChildAt(child, offset)
    parts.push(tokens)
    count += tokens.length
  })
  const out = new Array<ClauseToken>(count)
  let index = 0
  for (const tokens of parts) for (const token of tokens) out[index++] = token
  return out
}

/** True when two tokens compare equal in a diff: same kind and key (marks are compared apart). */
export function sameToken(a: ClauseToken, b: ClauseToken): boolean {
  return a.kind === b.kind && a.key === b.key
}

/** True for a token that opens structure (a heading, a block or a child clause). */
export function isStructural(token: ClauseToken): boolean {
  return token.kind === 'heading' || token.kind === 'block' || token.kind === 'clause'
}

/**
 * The plain text of a run of tokens as a change shows it: text tokens their text, a block after
 * the first token and a hard break a newline, a child clause its text.
 */
export function tokensText(tokens: readonly ClauseToken[]): string {
  return tokens
    .map((token, index) => {
      if (token.kind === 'block') return index === 0 && tokens.length > 1 ? '' : '\n'
      if (token.kind === 'break') return '\n'
      return token.text
    })
    .join('')
}

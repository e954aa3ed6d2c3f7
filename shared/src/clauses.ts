/**
 * Clauses of a single text. Headings structure the text: level 1 is the title, level 2 an article
 * (numbered 1, 2, …), level 3 a section (1.1), level 4 a sub-section (1.1(a)). A clause is one
 * heading and the blocks that follow it up to the next heading. Each heading carries a stable
 * `clauseId` attribute that survives edits, moves and renumbering; numbers are computed from the
 * order of the headings and are never stored in the text.
 */
import type { JSONContent } from '@tiptap/core'
import { flattenSegments } from './segments'

/** Attribute that holds a heading's stable clause id. */
export const CLAUSE_ID_ATTRIBUTE = 'clauseId'

/** One clause as the API and the views show it. */
export interface Clause {
  id: string
  /** "3", "3.1" or "3.1(a)". */
  number: string
  /** 2 article, 3 section, 4 sub-section. */
  level: number
  heading: string
  /** The clause body as plain text, one line per block (list items start with "- " or "1. "). */
  text: string
  /** The heading and body blocks, as ProseMirror JSON. */
  blocks: JSONContent[]
}

/** Plain text of a node and its descendants. */
export function nodeText(node: JSONContent): string {
  if (node.type === 'text') return node.text ?? ''
  if (node.type === 'hardBreak') return '\n'
  return (node.content ?? []).map(nodeText).join('')
}

/** Lines of plain text for one body block (lists give one line per item). */
export function blockLines(block: JSONContent): string[] {
  if (block.type === 'bulletList' || block.type === 'orderedList') {
    const start = Number(block.attrs?.start ?? 1)
    return (block.content ?? []).map((item, index) => {
      const marker = block.type === 'bulletList' ? '-' : `${start + index}.`
      return `${marker} ${(item.content ?? []).map(nodeText).join(' ')}`
    })
  }
  return [nodeText(block)]
}

function letter(index: number): string {
  // a..z, then aa, ab, … for very long sub-section lists.
  let value = index
  let out = ''
  do {
    out = String.fromCharCode(97 + (value % 26)) + out
    value = Math.floor(value / 26) - 1
  } while (value >= 0)
  return out
}

/** Computes clause numbers for a sequence of heading levels (1 = title, unnumbered). */
export class ClauseNumberer {
  private article = 0
  private section = 0
  private sub = 0

  /** The number of the next heading of `level`, or null for a title. */
  next(level: number): string | null {
    if (level <= 1) return null
    if (level === 2) {
      this.article++
      this.section = 0
      this.sub = 0
      return String(this.article)
    }
    if (level === 3) {
      this.section++
      this.sub = 0
      return `${this.article}.${this.section}`
    }
    this.sub++
    return `${this.article}.${this.section}(${letter(this.sub - 1)})`
  }
}

/** Splits a document into clauses (reading through segments). Blocks before the first numbered heading belong to no clause. */
export function extractClauses(doc: JSONContent): Clause[] {
  const clauses: Clause[] = []
  const numberer = new ClauseNumberer()
  let current: Clause | null = null
  let untitled = 0
  for (const block of flattenSegments(doc)) {
    if (block.type === 'heading') {
      const level = Number(block.attrs?.level ?? 2)
      const number = numberer.next(level)
      if (number === null) {
        current = null
        continue
      }
      const id =
        typeof block.attrs?.[CLAUSE_ID_ATTRIBUTE] === 'string'
          ? block.attrs[CLAUSE_ID_ATTRIBUTE]
          : null
      current = {
        id: id ?? `unassigned-${++untitled}`,
        number,
        level,
        heading: nodeText(block),
        text: '',
        blocks: [block],
      }
      clauses.push(current)
      continue
    }
    if (!current) continue
    current.blocks.push(block)
    const lines = blockLines(block)
    current.text = current.text ? `${current.text}\n${lines.join('\n')}` : lines.join('\n')
  }
  return clauses
}

/**
 * Gives every numbered heading of a ProseMirror JSON document a unique clause id, keeping the ids it
 * already has (the first of any duplicates keeps its id). Returns the number of ids assigned.
 */
export function ensureClauseIds(doc: JSONContent, newId: () => string): number {
  const seen = new Set<string>()
  let assigned = 0
  for (const block of flattenSegments(doc)) {
    if (block.type !== 'heading' || Number(block.attrs?.level ?? 2) < 2) continue
    const id = block.attrs?.[CLAUSE_ID_ATTRIBUTE]
    if (typeof id === 'string' && id !== '' && !seen.has(id)) {
      seen.add(id)
      continue
    }
    const fresh = newId()
    seen.add(fresh)
    block.attrs = { ...block.attrs, [CLAUSE_ID_ATTRIBUTE]: fresh }
    assigned++
  }
  return assigned
}

/** A short random clause id ("c-" and 10 base-36 characters). */
export function randomClauseId(): string {
  const bytes = new Uint8Array(8)
  globalThis.crypto.getRandomValues(bytes)
  let out = ''
  for (const byte of bytes) out += byte.toString(36).padStart(2, '0')
  return `c-${out.slice(0, 10)}`
}

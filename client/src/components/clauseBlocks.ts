/**
 * Clause text (plain, one line per block, list items starting with "- " or "1. ", as
 * shared/src/clauses.ts writes it) split back into the paragraphs and lists it came from.
 */

/** One block of a clause body: a paragraph, or a list with its items. */
export type ClauseBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'numbered'; start: number; items: string[] }

const BULLET = /^- (.*)$/
const NUMBERED = /^(\d+)\. (.*)$/

/** Splits clause text into blocks: consecutive list lines of one kind form one list. */
export function clauseBlocks(text: string): ClauseBlock[] {
  const blocks: ClauseBlock[] = []
  for (const line of text.split('\n')) {
    const last = blocks[blocks.length - 1]
    const bullet = BULLET.exec(line)
    if (bullet) {
      if (last?.kind === 'bullets') last.items.push(bullet[1] ?? '')
      else blocks.push({ kind: 'bullets', items: [bullet[1] ?? ''] })
      continue
    }
    const numbered = NUMBERED.exec(line)
    if (numbered) {
      if (last?.kind === 'numbered') last.items.push(numbered[2] ?? '')
      else blocks.push({ kind: 'numbered', start: Number(numbered[1]), items: [numbered[2] ?? ''] })
      continue
    }
    if (line.trim() !== '') blocks.push({ kind: 'paragraph', text: line })
  }
  return blocks
}

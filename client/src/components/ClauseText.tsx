/**
 * A clause body shown read-only. Clause text is plain text with one line per block, list items
 * starting with "- " or "1. " (shared/src/clauses.ts); this renders it as the paragraphs and lists
 * it came from, so that a local table reads the national text as it was drafted.
 */
import { BlockList } from './BlockList'
import { clauseBlocks } from './clauseBlocks'

export function ClauseText({ text }: { text: string }) {
  return <BlockList blocks={clauseBlocks(text)} className="clause-text" line={(line) => line} />
}
